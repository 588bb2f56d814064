package store_test

import (
	"slices"
	"strings"
	"testing"

	"jianfu/ent/store"
	"jianfu/roles"
	"jianfu/workflows"
)

// otherCountyLiaison is an education liaison of a county next door (510200),
// who must see none of the demo county's work.
const otherCountyLiaison = "liaison-jiaoyu-510200"

func testInbox(t *testing.T, f *fixture) {
	f.createUsers(t, store.NewUser{Username: otherCountyLiaison, Name: "邻县教育局 联络员",
		Role: roles.Liaison, Locality: "510200000000", Department: "education"})
	// One case waiting in each place an inbox may or may not show it.
	reviewTaoyuan := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
	applicationLiuwan := f.newCase(t, liuwan)
	reviewQingsong := f.moveTo(t, f.newCase(t, qingsong), "township_review")
	applicationTaoyuan := f.newCase(t, taoyuan)
	decisionLiuwan := f.moveTo(t, f.newCase(t, liuwan), "county_decision")
	verificationTaoyuan := f.moveTo(t, f.newCase(t, taoyuan), "verification")
	all := []int{reviewTaoyuan.ID, applicationLiuwan.ID, reviewQingsong.ID, applicationTaoyuan.ID, decisionLiuwan.ID, verificationTaoyuan.ID}

	tests := []struct {
		name, user string
		sees       []int // of all, the cases with a task in the inbox
	}{
		{"VillageCadreSeesOwnVillage", "village11", []int{applicationTaoyuan.ID, verificationTaoyuan.ID}},
		{"NeighbouringVillageCadreSeesOwnVillage", "village12", []int{applicationLiuwan.ID}},
		{"VillageCadreOfOtherTownship", "village21", nil},
		{"TownshipSeesItsVillages", "town1", []int{reviewTaoyuan.ID}},
		{"OtherTownshipSeesItsVillages", "town2", []int{reviewQingsong.ID}},
		{"CountySeesCountyDecisions", "county1", []int{decisionLiuwan.ID}},
		{"LiaisonSeesOwnDepartment", "liaison-jiaoyu", []int{reviewTaoyuan.ID, reviewQingsong.ID}},
		{"LiaisonOfComparisonDepartment", "liaison-gongan", []int{decisionLiuwan.ID}},
		{"LiaisonOfOtherCounty", otherCountyLiaison, nil},
		{"AdminHasNoInbox", "admin", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			actor := f.user(t, tt.user)
			inbox := allTasks(t, f, actor)
			var seen []int
			for _, task := range inbox {
				assertMayWork(t, actor, task)
				if slices.Contains(all, task.CaseID) && !slices.Contains(seen, task.CaseID) {
					seen = append(seen, task.CaseID)
				}
			}
			slices.Sort(seen)
			want := slices.Sorted(slices.Values(tt.sees))
			if !slices.Equal(seen, want) {
				t.Errorf("%s's inbox shows cases %v of %v, want %v", tt.user, seen, all, want)
			}
			if actor.Role == roles.Admin && len(inbox) > 0 {
				t.Errorf("admin's inbox has %d tasks, want none", len(inbox))
			}
			assertDatedFirst(t, inbox)
		})
	}

	educationTask := func(c workflows.Case) int {
		for _, row := range f.openDepartmentTasks(t, c.ID) {
			if row.Department == "education" {
				return row.ID
			}
		}
		t.Fatalf("case %d has no open education task", c.ID)
		return 0
	}
	open := []struct {
		name, user string
		task       int
		want       workflows.Code // "" when allowed
	}{
		{"LiaisonOpensOwnDepartmentsTask", "liaison-jiaoyu", educationTask(reviewTaoyuan), ""},
		{"LiaisonOpensOtherDepartmentsTask", "liaison-gongan", educationTask(reviewTaoyuan), workflows.Forbidden},
		{"OtherCountyOpensTask", otherCountyLiaison, educationTask(reviewQingsong), workflows.Forbidden},
		{"NeighbouringVillageOpensTask", "village12", f.roleTask(t, applicationTaoyuan), workflows.Forbidden},
		{"OtherTownshipOpensTask", "town2", f.roleTask(t, applicationTaoyuan), workflows.Forbidden},
		{"CadreOpensOwnTask", "village11", f.roleTask(t, applicationTaoyuan), ""},
	}
	for _, tt := range open {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.svc.Task(f.ctx, f.user(t, tt.user), tt.task)
			if tt.want != "" {
				wantCode(t, err, tt.want)
				return
			}
			if err != nil || got.ID != tt.task {
				t.Errorf("Task(%d) as %s = %d, %v; want the task", tt.task, tt.user, got.ID, err)
			}
		})
	}

	// A user row whose locality code is broken sees nothing, and is not
	// an error: on PostgreSQL the old NUL-byte path was refused (500).
	t.Run("BrokenLocalitySeesNothing", func(t *testing.T) {
		for _, broken := range []workflows.User{
			{Username: "broken1", Role: roles.Village, Locality: "51010000100"},
			{Username: "broken2", Role: roles.Liaison, Department: "education", Locality: "x"},
			{Username: "broken3", Role: roles.County, Locality: ""},
		} {
			p, err := f.svc.Tasks(f.ctx, broken, workflows.Page{})
			if err != nil || p.Total != 0 || len(p.Tasks) != 0 {
				t.Errorf("inbox of %+v: %d of %d tasks, %v; want none and no error", broken, len(p.Tasks), p.Total, err)
			}
			hs, err := f.svc.Households(f.ctx, broken, "", 50)
			if err != nil || len(hs) != 0 {
				t.Errorf("households of %+v: %d, %v; want none and no error", broken, len(hs), err)
			}
		}
	})
}

// assertMayWork checks one inbox task against the user's role and area:
// cadres get their role's tasks under their locality, liaisons their
// department's tasks in their county.
func assertMayWork(t *testing.T, u workflows.User, task workflows.Task) {
	t.Helper()
	area, err := roles.Path(u.Locality)
	if err != nil {
		t.Fatalf("path of %s: %v", u.Locality, err)
	}
	where, err := roles.Path(task.Locality)
	if err != nil {
		t.Fatalf("path of task %d's locality %q: %v", task.ID, task.Locality, err)
	}
	if !strings.HasPrefix(where, area) {
		t.Errorf("%s (%s) sees task %d of %s, outside the area", u.Username, u.Locality, task.ID, task.Locality)
	}
	if task.Status != workflows.TaskOpen {
		t.Errorf("%s sees task %d with status %s, want only open tasks", u.Username, task.ID, task.Status)
	}
	switch {
	case u.Role == roles.Liaison && task.Department != u.Department:
		t.Errorf("%s (%s) sees task %d of department %q", u.Username, u.Department, task.ID, task.Department)
	case u.Role != roles.Liaison && (task.Role != u.Role || task.Department != ""):
		t.Errorf("%s (%s) sees task %d of role %q, department %q", u.Username, u.Role, task.ID, task.Role, task.Department)
	}
}

// assertDatedFirst checks the inbox's order: oldest due first, tasks without
// a time limit after every dated one, on every dialect alike.
// allTasks reads an actor's whole inbox page by page, one task a page so
// that every inbox of two or more tasks spans pages, and checks that the pages
// add up to the total without gaps or repeats.
func allTasks(t *testing.T, f *fixture, actor workflows.User) []workflows.Task {
	t.Helper()
	var all []workflows.Task
	seen := map[int]bool{}
	for n := 1; ; n++ {
		p, err := f.svc.Tasks(f.ctx, actor, workflows.Page{Number: n, Size: 1})
		if err != nil {
			t.Fatalf("page %d of %s's inbox: %v", n, actor.Username, err)
		}
		if len(p.Tasks) > 1 {
			t.Fatalf("page %d of %s's inbox has %d tasks, want at most 1", n, actor.Username, len(p.Tasks))
		}
		for _, task := range p.Tasks {
			if seen[task.ID] {
				t.Errorf("task %d shows on two pages of %s's inbox", task.ID, actor.Username)
			}
			seen[task.ID] = true
		}
		all = append(all, p.Tasks...)
		if !p.More() {
			if len(all) != p.Total {
				t.Errorf("%s's inbox pages hold %d tasks, but its total is %d", actor.Username, len(all), p.Total)
			}
			return all
		}
		if n > 100 {
			t.Fatalf("%s's inbox never ends (total %d)", actor.Username, p.Total)
		}
	}
}

func assertDatedFirst(t *testing.T, inbox []workflows.Task) {
	t.Helper()
	for i := 1; i < len(inbox); i++ {
		prev, cur := inbox[i-1], inbox[i]
		switch {
		case prev.Due.IsZero() && !cur.Due.IsZero():
			t.Errorf("task %d (no time limit) comes before task %d due %v", prev.ID, cur.ID, cur.Due)
		case !cur.Due.IsZero() && cur.Due.Before(prev.Due):
			t.Errorf("task %d due %v comes after task %d due %v", cur.ID, cur.Due, prev.ID, prev.Due)
		}
	}
}
