package store_test

import (
	"slices"
	"testing"
	"time"

	"jianfu/ent"
	"jianfu/workflows"
)

func testTasks(t *testing.T, f *fixture) {
	t.Run("EnteringStateOpensRoleTask", func(t *testing.T) {
		c := f.newCase(t, taoyuan)
		rows := f.caseTasks(t, c.ID)
		if len(rows) != 1 {
			t.Fatalf("a new case has %d tasks, want 1: %v", len(rows), rows)
		}
		got := rows[0]
		if got.State != "application" || got.Role != "village" || got.Department != "" ||
			got.Form != "application_authorization" || got.Status != workflows.TaskOpen || got.Locality != taoyuan {
			t.Errorf("task = %s/%s/%q/%s/%s/%s, want application/village/\"\"/application_authorization/open/%s",
				got.State, got.Role, got.Department, got.Form, got.Status, got.Locality, taoyuan)
		}
		if len(c.Tasks) != 1 || c.Tasks[0].ID != got.ID {
			t.Errorf("the case shows open tasks %v, want task %d", c.Tasks, got.ID)
		}
	})

	t.Run("LeavingStateClosesTaskAsDoneByActor", func(t *testing.T) {
		// The due date below is worked out for this hour.
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, china)
		if f.clock.Now().After(at) {
			t.Fatalf("the clock is at %v, past %v: this subtest must run before any that moves it on", f.clock.Now(), at)
		}
		c := f.newCase(t, taoyuan)
		f.clock.Set(at)
		c = f.moveTo(t, c, "verification")
		rows := f.caseTasks(t, c.ID)
		if len(rows) != 2 {
			t.Fatalf("after submit the case has %d tasks, want 2", len(rows))
		}
		left, entered := rows[0], rows[1]
		if left.Status != workflows.TaskDone || left.CompletedBy != "village11" ||
			left.CompletedAt == nil || !left.CompletedAt.Equal(at) || left.SubmissionID == nil {
			t.Errorf("application task: status %s by %q at %v (submission %v), want done by village11 at %v with the submission",
				left.Status, left.CompletedBy, left.CompletedAt, left.SubmissionID, at)
		}
		// 入户核实 is due in 5 working days, counting today: Monday 2
		// March at 10:00 gives Friday 6 March, 23:59:59.
		due := time.Date(2026, 3, 6, 23, 59, 59, 0, china)
		if entered.State != "verification" || entered.Status != workflows.TaskOpen || entered.Due == nil || !entered.Due.Equal(due) {
			t.Errorf("verification task: %s %s due %v, want verification open due %v", entered.State, entered.Status, entered.Due, due)
		}
	})

	t.Run("FanOutOpensOneTaskPerDepartment", func(t *testing.T) {
		c := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
		var role []string
		for _, row := range f.caseTasks(t, c.ID) {
			if row.Status == workflows.TaskOpen && row.Department == "" {
				role = append(role, row.Role+"@"+row.State)
			}
		}
		if !slices.Equal(role, []string{"township@township_review"}) {
			t.Errorf("open role tasks = %v, want [township@township_review]", role)
		}
		if got := departments(f.openDepartmentTasks(t, c.ID)); !slices.Equal(got, townshipDepartments) {
			t.Errorf("open department tasks = %v, want %v", got, townshipDepartments)
		}
	})

	t.Run("UnfinishedDepartmentTasksCancelledOnLeaving", func(t *testing.T) {
		c := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
		for _, row := range f.openDepartmentTasks(t, c.ID)[:2] {
			f.completeTask(t, row.ID, row.Department, departmentCheckData)
		}
		f.clock.Advance(time.Hour)
		c = f.fire(t, "town1", c, "return", sendBackData())
		if c.State != "verification" {
			t.Fatalf("a return leads to %s, want verification", c.State)
		}
		status := map[string]string{}
		for _, row := range f.caseTasks(t, c.ID) {
			if row.State != "township_review" {
				continue
			}
			who := row.Role
			if row.Department != "" {
				who = row.Department
			}
			status[who] = row.Status + " by " + row.CompletedBy
		}
		want := map[string]string{
			"township":  "done by town1",
			"education": "done by liaison-jiaoyu", "housing": "done by liaison-zhujian",
			"water": "cancelled by ", "health": "cancelled by ",
		}
		for who, w := range want {
			if status[who] != w {
				t.Errorf("%s task of township_review is %q, want %q", who, status[who], w)
			}
		}
		if len(status) != len(want) {
			t.Errorf("township_review tasks = %v, want %v", status, want)
		}
	})

	t.Run("SendBackStartsFreshRoundOfChecks", func(t *testing.T) {
		c := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
		first := f.openDepartmentTasks(t, c.ID)
		f.completeChecks(t, c, departmentCheckData)
		c = f.fire(t, "town1", c, "return", sendBackData())
		c = f.moveTo(t, c, "township_review")
		second := f.openDepartmentTasks(t, c.ID)
		assertFreshRound(t, first, second)
		f.joinCountsOnlyFreshRound(t, c, "town1", second)
	})

	t.Run("ReturnFromCountyStartsFreshRoundAtSameInstant", func(t *testing.T) {
		// The clock stands still from the township's approval to the
		// county's return: the first round's checks are as old as the
		// state's new entry, and must still not count.
		c := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
		first := f.openDepartmentTasks(t, c.ID)
		c = f.moveTo(t, c, "county_decision")
		c = f.fire(t, "county1", c, "return", sendBackData())
		if c.State != "township_review" {
			t.Fatalf("the county's return leads to %s, want township_review", c.State)
		}
		second := f.openDepartmentTasks(t, c.ID)
		assertFreshRound(t, first, second)
		f.joinCountsOnlyFreshRound(t, c, "town1", second)
	})
}

func departments(rows []*ent.Task) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Department
	}
	return out
}

// assertFreshRound checks that re-entering a state opened a new task for
// every department, none of them a task of the first round.
func assertFreshRound(t *testing.T, first, second []*ent.Task) {
	t.Helper()
	if got := departments(second); !slices.Equal(got, townshipDepartments) {
		t.Fatalf("after re-entry the open department tasks are %v, want %v", got, townshipDepartments)
	}
	for _, old := range first {
		for _, fresh := range second {
			if old.ID == fresh.ID {
				t.Errorf("task %d (%s) of the first round is open again, want a new task", old.ID, old.Department)
			}
		}
	}
}

// joinCountsOnlyFreshRound checks that the approval waits for every check
// of the new round, however many of the first round were done.
func (f *fixture) joinCountsOnlyFreshRound(t *testing.T, c workflows.Case, approver string, fresh []*ent.Task) {
	t.Helper()
	for i, row := range fresh {
		_, err := f.svc.Fire(f.ctx, f.user(t, approver), c.ID, "approve", reviewData(), c.Version)
		if e := wantCode(t, err, workflows.Conflict); e.Message == "" {
			t.Errorf("approval with %d of %d fresh checks done: a Conflict without a message", i, len(fresh))
		}
		f.completeTask(t, row.ID, row.Department, departmentCheckData)
	}
	c = f.fire(t, approver, c, "approve", reviewData())
	if c.State != "county_decision" {
		t.Errorf("approval with every fresh check done leads to %s, want county_decision", c.State)
	}
}
