package store_test

import (
	"cmp"
	"slices"
	"strings"
	"testing"
	"time"

	"jianfu/roles"
	"jianfu/workflows"
)

// testInboxPage pins what a page of an inbox holds, field by field and in
// order, against the same tasks read another way: the rows through ent,
// each shown as its case page shows it. Among them are tasks without a
// time limit (they come last), tasks due at the same instant (by id), and
// overdue tasks escalated to the level above.
func testInboxPage(t *testing.T, f *fixture) {
	// Two applications (no time limit), the first opened before every
	// other task: in id order it would come first, in the inbox last.
	f.newCase(t, taoyuan)
	// Two verifications due at the same instant, and a later one.
	f.moveTo(t, f.newCase(t, taoyuan), "verification")
	f.moveTo(t, f.newCase(t, taoyuan), "verification")
	f.clock.Advance(24 * time.Hour)
	f.moveTo(t, f.newCase(t, taoyuan), "verification")
	f.newCase(t, taoyuan)
	f.newCase(t, liuwan)
	// Two township reviews (with their department checks) entered at the
	// same instant: both notices began together and so end together.
	first := f.moveTo(t, f.newCase(t, taoyuan), "notice")
	second := f.moveTo(t, f.newCase(t, liuwan), "notice")
	f.moveTo(t, first, "township_review")
	f.moveTo(t, second, "township_review")
	f.moveTo(t, f.newCase(t, qingsong), "township_review")
	// Past every time limit: the scheduler escalates the overdue role
	// tasks, a village's to its township, a township's to the county.
	f.clock.Advance(30 * 24 * time.Hour)
	if _, escalated, err := f.svc.Schedule(f.ctx); err != nil || escalated == 0 {
		t.Fatalf("schedule: %d escalated, %v; want the overdue tasks escalated", escalated, err)
	}

	wants := map[string][]workflows.Task{}
	for _, name := range []string{"village11", "village12", "village21", "town1", "town2", "county1",
		"liaison-jiaoyu", "liaison-gongan", "admin"} {
		wants[name] = f.expectedInbox(t, f.user(t, name))
	}
	assertInboxesCover(t, wants)

	for name, want := range wants {
		t.Run(name, func(t *testing.T) {
			actor := f.user(t, name)
			t.Run("OnePage", func(t *testing.T) {
				p, err := f.svc.Tasks(f.ctx, actor, workflows.Page{})
				if err != nil {
					t.Fatal(err)
				}
				assertSameTasks(t, "the page", p.Tasks, want)
				if p.Total != len(want) {
					t.Errorf("total %d, want %d", p.Total, len(want))
				}
			})
			t.Run("PagesOfTwo", func(t *testing.T) {
				var got []workflows.Task
				for n := 1; n <= len(want)/2+1; n++ {
					p, err := f.svc.Tasks(f.ctx, actor, workflows.Page{Number: n, Size: 2})
					if err != nil {
						t.Fatalf("page %d: %v", n, err)
					}
					if p.Total != len(want) {
						t.Errorf("page %d: total %d, want %d", n, p.Total, len(want))
					}
					got = append(got, p.Tasks...)
				}
				assertSameTasks(t, "the pages of two", got, want)
			})
			t.Run("PagePastTheEnd", func(t *testing.T) {
				p, err := f.svc.Tasks(f.ctx, actor, workflows.Page{Number: len(want) + 2, Size: 1})
				if err != nil || len(p.Tasks) != 0 || p.Total != len(want) {
					t.Errorf("page %d of 1: %d tasks of %d, %v; want none of %d", len(want)+2, len(p.Tasks), p.Total, err, len(want))
				}
			})
			t.Run("EachTaskOpened", func(t *testing.T) {
				for _, w := range want {
					got, err := f.svc.Task(f.ctx, actor, w.ID)
					if err != nil {
						t.Errorf("Task(%d): %v", w.ID, err)
						continue
					}
					// Task alone says whether the reader may complete it: a
					// department task its department's liaison, recurring
					// work its role; a role's step is fired on the case.
					may := w.Department != "" && w.Department == actor.Department || w.Recurring && w.Role == actor.Role
					if got.MayComplete != may {
						t.Errorf("Task(%d) as %s: MayComplete = %v, want %v", w.ID, name, got.MayComplete, may)
					}
					got.MayComplete = false
					assertSameTasks(t, "Task", []workflows.Task{got}, []workflows.Task{w})
				}
			})
		})
	}
}

// expectedInbox is the actor's inbox worked out from every task row: the
// open tasks of their department in their county (a liaison), or of their
// role or escalated to it under their locality (a cadre), each as the
// case page shows it, oldest due first, then without a time limit, then
// by id.
func (f *fixture) expectedInbox(t *testing.T, actor workflows.User) []workflows.Task {
	t.Helper()
	area, err := roles.Path(actor.Locality)
	if err != nil {
		t.Fatalf("path of %s: %v", actor.Locality, err)
	}
	rows, err := f.db.Client.Task.Query().All(f.ctx)
	if err != nil {
		t.Fatalf("load tasks: %v", err)
	}
	county := f.user(t, "county1")
	var out []workflows.Task
	for _, r := range rows {
		mine := r.Department == actor.Department
		if actor.Role != roles.Liaison {
			mine = r.Department == "" && (r.Role == actor.Role || r.EscalatedTo == actor.Role)
		}
		if !mine || r.Status != workflows.TaskOpen || !strings.HasPrefix(r.LocalityPath, area) {
			continue
		}
		c, err := f.svc.Case(f.ctx, county, r.CaseID)
		if err != nil {
			t.Fatalf("case %d: %v", r.CaseID, err)
		}
		i := slices.IndexFunc(c.Tasks, func(x workflows.Task) bool { return x.ID == r.ID })
		if i < 0 {
			t.Fatalf("case %d does not show its open task %d", c.ID, r.ID)
		}
		out = append(out, c.Tasks[i])
	}
	slices.SortFunc(out, func(a, b workflows.Task) int {
		switch {
		case a.Due.IsZero() && !b.Due.IsZero():
			return 1
		case !a.Due.IsZero() && b.Due.IsZero():
			return -1
		}
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// assertInboxesCover fails unless the inboxes hold what the order must
// settle: dated tasks and tasks without a time limit in one inbox, two due
// at the same instant, and an escalated task; and unless some inbox is
// empty.
func assertInboxesCover(t *testing.T, wants map[string][]workflows.Task) {
	t.Helper()
	var mixed, tie, escalated, empty bool
	for _, want := range wants {
		empty = empty || len(want) == 0
		for i, w := range want {
			escalated = escalated || w.EscalatedTo != ""
			if i == 0 {
				continue
			}
			mixed = mixed || (!want[0].Due.IsZero() && w.Due.IsZero())
			tie = tie || (!w.Due.IsZero() && w.Due.Equal(want[i-1].Due))
		}
	}
	if !mixed || !tie || !escalated || !empty {
		t.Fatalf("the inboxes cover dated and undated %v, equal due %v, escalated %v, empty %v; want all: %v",
			mixed, tie, escalated, empty, wants)
	}
}

// assertSameTasks compares tasks field by field, times as instants.
func assertSameTasks(t *testing.T, what string, got, want []workflows.Task) {
	t.Helper()
	instants := func(x workflows.Task) workflows.Task {
		x.Due, x.CompletedAt, x.CreatedAt = x.Due.UTC(), x.CompletedAt.UTC(), x.CreatedAt.UTC()
		return x
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d tasks %v, want %d %v", what, len(got), ids(got), len(want), ids(want))
		return
	}
	for i := range want {
		if g, w := instants(got[i]), instants(want[i]); g != w {
			t.Errorf("%s: task %d is\n%+v, want\n%+v", what, i, g, w)
		}
	}
}

func ids(tasks []workflows.Task) []int {
	out := make([]int, len(tasks))
	for i, x := range tasks {
		out[i] = x.ID
	}
	return out
}

// testEscalationOnAServerInUTC: time limits end at midnight in China
// (+08:00) and a server's clock may run in UTC, as in most containers.
// An hour after the limit the overdue task is escalated; on SQLite, which
// stores times as text, that holds only if every time is stored in one
// zone, so that text order is time order.
func testEscalationOnAServerInUTC(t *testing.T, f *fixture) {
	f.clock.Set(clockStart.UTC())
	c := f.moveTo(t, f.newCase(t, taoyuan), "verification")
	id := f.roleTask(t, c)
	task, err := f.svc.Task(f.ctx, f.user(t, cadreOf(taoyuan)), id)
	if err != nil {
		t.Fatal(err)
	}
	if task.Due.IsZero() {
		t.Fatalf("the verification task has no time limit; this test needs one")
	}
	f.clock.Set(task.Due.Add(-time.Hour).UTC())
	if _, escalated, err := f.svc.Schedule(f.ctx); err != nil || escalated != 0 {
		t.Fatalf("an hour before the limit (%s): %d escalated, %v; want none", task.Due, escalated, err)
	}
	f.clock.Set(task.Due.Add(time.Hour).UTC())
	if _, escalated, err := f.svc.Schedule(f.ctx); err != nil || escalated != 1 {
		t.Fatalf("an hour after the limit (%s): %d escalated, %v; want the verification task", task.Due, escalated, err)
	}
	if got := f.caseTasks(t, c.ID); got[len(got)-1].EscalatedTo != "township" {
		t.Errorf("task %d after the limit: escalated to %q, want township", id, got[len(got)-1].EscalatedTo)
	}
}
