package store_test

import (
	"testing"

	"jianfu/workflows"
)

// testCaseTellsWhatActionsWaitFor: a case read by the cadre who acts next
// lists the actions a hold or the departments' join keeps back, with the
// reason; those who may not fire them are told nothing.
func testCaseTellsWhatActionsWaitFor(t *testing.T, f *fixture) {
	blocked := func(c workflows.Case) map[string]string {
		out := map[string]string{}
		for _, b := range c.Blocked {
			out[b.Trigger] = b.Reason
		}
		return out
	}
	offers := func(c workflows.Case, trigger string) bool {
		for _, a := range c.Actions {
			if a.Trigger == trigger {
				return true
			}
		}
		return false
	}

	c := f.moveTo(t, f.newCase(t, taoyuan), "notice")
	// Entered on Monday 2 March: five working days run to Friday 6, so
	// the hold is over when Saturday 7 begins.
	read := f.read(t, "village11", c.ID)
	if got, want := blocked(read)["no_objection"], "公示期未满5个工作日，2026-03-07 起方可办理"; got != want || len(read.Blocked) != 1 {
		t.Errorf("during the notice the cadre is told %v, want no_objection: %s", read.Blocked, want)
	}
	if offers(read, "no_objection") || !offers(read, "objection") {
		t.Errorf("during the notice the cadre is offered %v, want objection only", read.Actions)
	}
	f.waitOutNotice(c, 5)
	if read = f.read(t, "village11", c.ID); len(read.Blocked) != 0 || !offers(read, "no_objection") {
		t.Errorf("after the notice: offered %v, blocked %v; want no_objection offered, nothing blocked", read.Actions, read.Blocked)
	}

	c = f.moveTo(t, c, "township_review")
	rows := f.openDepartmentTasks(t, c.ID)
	f.completeTask(t, rows[0].ID, rows[0].Department, departmentCheckData)
	read = f.read(t, "town1", c.ID)
	if got, want := blocked(read)["approve"], "以下部门尚未完成：住建、水利、卫健"; got != want || len(read.Blocked) != 1 {
		t.Errorf("with one check in the township is told %v, want approve: %s", read.Blocked, want)
	}
	if read = f.read(t, "village11", c.ID); len(read.Blocked) != 0 {
		t.Errorf("the village cadre, who may not approve, is told %v, want nothing", read.Blocked)
	}
	f.completeChecks(t, c, departmentCheckData)
	if read = f.read(t, "town1", c.ID); len(read.Blocked) != 0 || !offers(read, "approve") {
		t.Errorf("with every check in: offered %v, blocked %v; want approve offered, nothing blocked", read.Actions, read.Blocked)
	}
}
