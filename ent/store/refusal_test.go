package store_test

import (
	"fmt"
	"maps"
	"testing"

	"jianfu/ent"
	"jianfu/workflows"
)

// dbState is what a refused action must leave as it was: the number of rows
// of every table an action writes, and the columns an action updates.
type dbState struct {
	counts      map[string]int
	caseVersion map[int]string // id → state@version
	taskStatus  map[int]string // id → status by whom
}

func (f *fixture) state(t testing.TB) dbState {
	t.Helper()
	c := f.db.Client
	s := dbState{counts: map[string]int{}, caseVersion: map[int]string{}, taskStatus: map[int]string{}}
	count := func(table string, n int, err error) {
		if err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		s.counts[table] = n
	}
	n, err := c.Event.Query().Count(f.ctx)
	count("events", n, err)
	n, err = c.Submission.Query().Count(f.ctx)
	count("submissions", n, err)
	n, err = c.Household.Query().Count(f.ctx)
	count("households", n, err)
	n, err = c.Member.Query().Count(f.ctx)
	count("members", n, err)
	n, err = c.Definition.Query().Count(f.ctx)
	count("definitions", n, err)
	cases, err := c.Casefile.Query().All(f.ctx)
	count("cases", len(cases), err)
	for _, r := range cases {
		s.caseVersion[r.ID] = fmt.Sprintf("%s@%d", r.State, r.Version)
	}
	tasks, err := c.Task.Query().All(f.ctx)
	count("tasks", len(tasks), err)
	for _, r := range tasks {
		s.taskStatus[r.ID] = r.Status + " by " + r.CompletedBy
	}
	return s
}

// unchanged reports every difference between two states.
func unchanged(t *testing.T, before, after dbState) {
	t.Helper()
	for table, n := range before.counts {
		if after.counts[table] != n {
			t.Errorf("%s: %d rows before the refused action, %d after", table, n, after.counts[table])
		}
	}
	if !maps.Equal(before.caseVersion, after.caseVersion) {
		t.Errorf("cases changed: before %v, after %v", before.caseVersion, after.caseVersion)
	}
	if !maps.Equal(before.taskStatus, after.taskStatus) {
		t.Errorf("tasks changed: before %v, after %v", before.taskStatus, after.taskStatus)
	}
}

func testRefusedActionWritesNothing(t *testing.T, f *fixture) {
	// One case waiting at each step a refusal is tried on.
	application := f.newCase(t, taoyuan)
	deliberation := f.moveTo(t, f.newCase(t, taoyuan), "deliberation")
	review := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
	// Last, so that no other case's notice moves the clock past its hold.
	notice := f.moveTo(t, f.newCase(t, taoyuan), "notice")
	var education, water *ent.Task
	for _, row := range f.openDepartmentTasks(t, review.ID) {
		switch row.Department {
		case "education":
			education = row
		case "water":
			water = row
		}
	}
	if education == nil || water == nil {
		t.Fatalf("case %d at township_review lacks its education or water check", review.ID)
	}
	f.completeTask(t, education.ID, "education", departmentCheckData)
	h, err := f.svc.Household(f.ctx, f.user(t, "village11"), application.HouseholdID)
	if err != nil {
		t.Fatalf("load household: %v", err)
	}

	fire := func(actor string, c workflows.Case, trigger string, data map[string]any, version int) func() error {
		return func() error {
			_, err := f.svc.Fire(f.ctx, f.user(t, actor), c.ID, trigger, data, version)
			return err
		}
	}
	complete := func(actor string, taskID int, data map[string]any) func() error {
		return func() error {
			_, err := f.svc.CompleteTask(f.ctx, f.user(t, actor), taskID, data)
			return err
		}
	}
	register := func(actor string, edit func(*workflows.Household)) func() error {
		return func() error {
			nh := workflows.Household{HeadName: "欧阳未登", IDNumber: testID(1980, 999), Locality: taoyuan}
			edit(&nh)
			_, err := f.svc.CreateHousehold(f.ctx, f.user(t, actor), nh)
			return err
		}
	}
	publish := func(actor, src string) func() error {
		return func() error {
			_, err := f.svc.PublishDefinition(f.ctx, f.user(t, actor), []byte(src))
			return err
		}
	}
	missingReason := applicationData(h)
	delete(missingReason, "reason")
	badMember := applicationData(h)
	badMember["members"].([]any)[1].(map[string]any)["id_card"] = wrongCheck(h.Members[0].IDNumber)
	noResult := departmentCheckData("water")
	delete(noResult, "result")

	tests := []struct {
		name string
		want workflows.Code
		do   func() error
	}{
		{"NeighbouringVillageFires", workflows.Forbidden, fire("village12", application, "submit", applicationData(h), application.Version)},
		{"OtherTownshipFires", workflows.Forbidden, fire("town2", application, "submit", applicationData(h), application.Version)},
		{"LiaisonFires", workflows.Forbidden, fire("liaison-jiaoyu", review, "approve", reviewData(), review.Version)},
		{"TriggerOfAnotherState", workflows.Forbidden, fire("village11", application, "pass", deliberationData(10, 8, 6), application.Version)},
		{"MissingRequiredField", workflows.Invalid, fire("village11", application, "submit", missingReason, application.Version)},
		{"InvalidMemberIDNumber", workflows.Invalid, fire("village11", application, "submit", badMember, application.Version)},
		{"QuorumNotReached", workflows.Invalid, fire("village11", deliberation, "pass", deliberationData(10, 6, 6), deliberation.Version)},
		{"StaleVersion", workflows.Conflict, fire("village11", application, "submit", applicationData(h), application.Version-1)},
		{"NoticeHoldNotOver", workflows.Conflict, fire("village11", notice, "no_objection", noticeData(), notice.Version)},
		{"JoinNotComplete", workflows.Conflict, fire("town1", review, "approve", reviewData(), review.Version)},
		{"UnknownCase", workflows.NotFound, fire("village11", workflows.Case{ID: 1 << 30}, "submit", applicationData(h), 1)},
		{"LiaisonOfAnotherDepartment", workflows.Forbidden, complete("liaison-gongan", water.ID, departmentCheckData("water"))},
		{"CadreCompletesDepartmentTask", workflows.Forbidden, complete("town1", water.ID, departmentCheckData("water"))},
		{"CheckMissingResult", workflows.Invalid, complete("liaison-shuili", water.ID, noResult)},
		{"CheckAlreadyDone", workflows.Conflict, complete("liaison-jiaoyu", education.ID, departmentCheckData("education"))},
		{"StartOutsideVillage", workflows.Forbidden, func() error {
			_, err := f.svc.StartCase(f.ctx, f.user(t, "village12"), "identification", application.HouseholdID)
			return err
		}},
		{"SecondOpenCase", workflows.Conflict, func() error {
			_, err := f.svc.StartCase(f.ctx, f.user(t, "village11"), "identification", application.HouseholdID)
			return err
		}},
		{"HouseholdWithoutHeadName", workflows.Invalid, register("village11", func(nh *workflows.Household) { nh.HeadName = " " })},
		{"HouseholdOutsideArea", workflows.Forbidden, register("village12", func(*workflows.Household) {})},
		{"HouseholdHeadAlreadyRegistered", workflows.Conflict, register("village11", func(nh *workflows.Household) { nh.IDNumber = h.IDNumber })},
		{"PublishByCadre", workflows.Forbidden, publish("county1", "id: x\ntitle: x\n")},
		{"PublishInvalidDefinition", workflows.Invalid, publish("admin", "id: identification\ntitle: [\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.state(t)
			wantCode(t, tt.do(), tt.want)
			unchanged(t, before, f.state(t))
		})
	}
}
