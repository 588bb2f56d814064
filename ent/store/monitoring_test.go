package store_test

import (
	"testing"
	"time"

	"jianfu/workflows"
)

// testMonitoring follows an included household into monitoring: the hand-
// over opens the monitoring case, the plan classifies it, the scheduler
// creates the monthly visit once per period however often it runs, and only
// the household's own village cadre may record the visit.
func testMonitoring(t *testing.T, f *fixture) {
	c := f.moveTo(t, f.newCase(t, "510100001001"), "included")
	village := f.user(t, "village11")
	cases, err := f.svc.Cases(f.ctx, village, c.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	var m workflows.Case
	for _, x := range cases {
		if x.Workflow == "monitoring" {
			m = x
		}
	}
	if m.ID == 0 || m.State != "plan" {
		t.Fatalf("inclusion opened no monitoring case in plan; cases: %+v", cases)
	}
	plan := map[string]any{"cadre": "张明", "risks": []any{"因病"}, "measures": []any{"健康帮扶", "就业帮扶"},
		"per_capita": 3000, "three_guarantees": true, "plan": "落实医疗救助，安排公益岗位。", "date": "2026-03-20"}
	m = f.fire(t, "village11", m, "submit", plan)
	if m.State != "monitoring" || m.Classification != "红" {
		t.Fatalf("after the plan: state %s, classification %q; want monitoring, 红 (3000 < 80%% of the line)", m.State, m.Classification)
	}

	t.Run("HistoryNamesStepsAsTheDefinitionDoes", func(t *testing.T) {
		last := m.History[len(m.History)-1]
		if last.TriggerTitle != "提交帮扶计划" || last.FromTitle != "制定帮扶计划" || last.ToTitle != "动态监测" || last.ActorName == "" {
			t.Errorf("last history entry %+v: want 提交帮扶计划, 制定帮扶计划 → 动态监测 and the cadre's name", last)
		}
	})
	t.Run("ScheduleIsIdempotent", func(t *testing.T) {
		created, _, err := f.svc.Schedule(f.ctx)
		if err != nil || created != 1 {
			t.Fatalf("first run created %d, err %v; want 1 monthly visit", created, err)
		}
		f.restart(t)
		created, _, err = f.svc.Schedule(f.ctx)
		if err != nil || created != 0 {
			t.Fatalf("second run after a restart created %d, err %v; want 0", created, err)
		}
	})
	visit := recurringTask(t, f, village, m.ID)
	data := map[string]any{"visit_date": "2026-03-25", "visitor": "张明", "income_changed": false, "notes": "已入户。"}

	t.Run("NeighbouringVillageCannotRecord", func(t *testing.T) {
		_, err := f.svc.CompleteTask(f.ctx, f.user(t, "village12"), visit, data)
		wantCode(t, err, workflows.Forbidden)
	})
	t.Run("InvalidRecordRefused", func(t *testing.T) {
		// The date sent blank (left out, today would be prefilled).
		bad := map[string]any{"visit_date": "", "visitor": "张明", "income_changed": false}
		wantField(t, wantCode(t, mustFail(f.svc.CompleteTask(f.ctx, village, visit, bad)), workflows.Invalid), "visit_date")
	})
	t.Run("RecordDoesNotMoveTheCase", func(t *testing.T) {
		done, err := f.svc.CompleteTask(f.ctx, village, visit, data)
		if err != nil || done.Status != workflows.TaskDone {
			t.Fatalf("record visit: status %q, err %v", done.Status, err)
		}
		after, err := f.svc.Case(f.ctx, village, m.ID)
		if err != nil || after.State != "monitoring" || after.Version != m.Version {
			t.Fatalf("case after the visit: %s v%d, err %v; want monitoring v%d", after.State, after.Version, err, m.Version)
		}
	})
	t.Run("NextMonthGetsANewVisit", func(t *testing.T) {
		f.clock.Advance(31 * 24 * time.Hour)
		if created, _, err := f.svc.Schedule(f.ctx); err != nil || created != 1 {
			t.Fatalf("next month created %d, err %v; want 1", created, err)
		}
	})
}

func mustFail(_ workflows.Task, err error) error { return err }

// recurringTask finds the open recurring task of a case in a user's inbox.
func recurringTask(t *testing.T, f *fixture, u workflows.User, caseID int) int {
	t.Helper()
	tasks, err := f.svc.Tasks(f.ctx, u, workflows.Page{Size: workflows.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks.Tasks {
		if task.CaseID == caseID && task.Recurring {
			return task.ID
		}
	}
	t.Fatalf("%s has no recurring task for case %d: %+v", u.Username, caseID, tasks)
	return 0
}
