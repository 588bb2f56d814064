package store_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"jianfu/ent"
	"jianfu/ent/event"
	"jianfu/ent/submission"
	"jianfu/workflows"
)

// testFireWritesTheRows pins every row one action writes, whichever way the
// dialect writes them (PostgreSQL in one statement, SQLite in prepared
// statements of its own, apply_sqlite.go).
func testFireWritesTheRows(t *testing.T, f *fixture) {
	t.Run("SubmissionCaseTasksEvent", func(t *testing.T) { fireWritesSubmissionCaseTasksEvent(t, f) })
	t.Run("LeavingCancelsOpenChecks", func(t *testing.T) { leavingCancelsOpenChecks(t, f) })
	t.Run("LateWriterWritesNothing", func(t *testing.T) { lateWriterWritesNothing(t, f) })
}

// lateWriterWritesNothing: an action decided on a version that another
// action has since replaced is refused as a conflict when it writes, and
// leaves no row behind — no submission, event or task, and the case and
// its tasks as the winner left them. On PostgreSQL the write is one
// statement outside any transaction, so every part of it must hang on
// the case's version check.
func lateWriterWritesNothing(t *testing.T, f *fixture) {
	c := f.moveTo(t, f.newCase(t, taoyuan), "notice")
	f.waitOutNotice(c, 5)
	cadre := f.user(t, cadreOf(taoyuan))
	var (
		tasks  []*ent.Task
		subs   int
		events int
		won    workflows.Case
	)
	err := f.svc.DecideThenWrite(f.ctx, cadre, c.ID, "no_objection", noticeData(), func() {
		won = f.fire(t, cadre.Username, c, "no_objection", noticeData())
		tasks, subs, events = f.caseTasks(t, c.ID), f.submissionCount(t, c.ID), f.eventCount(t)
	})
	if workflows.ErrorCode(err) != workflows.Conflict {
		t.Fatalf("late write of no_objection on case %d: err = %v, want a conflict", c.ID, err)
	}
	if got := f.submissionCount(t, c.ID); got != subs {
		t.Errorf("submissions of case %d after the late write = %d, want %d", c.ID, got, subs)
	}
	if got := f.eventCount(t); got != events {
		t.Errorf("events after the late write = %d, want %d", got, events)
	}
	after := f.caseTasks(t, c.ID)
	if len(after) != len(tasks) {
		t.Fatalf("case %d has %d tasks after the late write, want %d", c.ID, len(after), len(tasks))
	}
	for i := range after {
		if got, want := taskClosing(after[i])+after[i].State, taskClosing(tasks[i])+tasks[i].State; got != want {
			t.Errorf("task %d after the late write: %s, want %s", after[i].ID, got, want)
		}
	}
	read, err := f.svc.Case(f.ctx, cadre, c.ID)
	if err != nil {
		t.Fatalf("read case %d: %v", c.ID, err)
	}
	if read.State != won.State || read.Version != won.Version {
		t.Errorf("case %d after the late write in %s v%d, want %s v%d", c.ID, read.State, read.Version, won.State, won.Version)
	}
}

// submissionCount counts the submissions of a case.
func (f *fixture) submissionCount(t testing.TB, caseID int) int {
	t.Helper()
	n, err := f.db.Client.Submission.Query().Where(submission.CaseID(caseID)).Count(f.ctx)
	if err != nil {
		t.Fatalf("count submissions of case %d: %v", caseID, err)
	}
	return n
}

// fireWritesSubmissionCaseTasksEvent: the submission, the case's new
// version, the acting role's task done with that submission, the next
// state's role and department tasks with their time limits, and one event
// that points at the submission.
func fireWritesSubmissionCaseTasksEvent(t *testing.T, f *fixture) {
	c := f.moveTo(t, f.newCase(t, taoyuan), "notice")
	f.waitOutNotice(c, 5)
	cadre := f.user(t, cadreOf(taoyuan))
	before := f.caseTasks(t, c.ID)
	roleTask := f.roleTask(t, c)
	events := f.eventCount(t)
	now := f.clock.Now()

	c = f.fire(t, cadre.Username, c, "no_objection", noticeData())

	sub, err := f.db.Client.Submission.Query().Where(submission.CaseID(c.ID)).
		Order(ent.Desc(submission.FieldID)).First(f.ctx)
	if err != nil {
		t.Fatalf("newest submission of case %d: %v", c.ID, err)
	}
	if sub.State != "notice" || sub.Trigger != "no_objection" || sub.Form == "" || sub.FormVersion < 1 ||
		sub.CreatedBy != cadre.Username || !sub.CreatedAt.Equal(now) || sub.TaskID != nil {
		t.Errorf("submission = %+v; want state notice, trigger no_objection, a pinned form, by %s at %v",
			sub, cadre.Username, now)
	}
	if sub.Data["place"] != noticeData()["place"] {
		t.Errorf("submission data place = %v, want %v", sub.Data["place"], noticeData()["place"])
	}

	after := f.caseTasks(t, c.ID)
	var opened []*ent.Task
	for _, row := range after {
		switch {
		case row.ID == roleTask:
			if row.Status != workflows.TaskDone || row.CompletedBy != cadre.Username ||
				row.SubmissionID == nil || *row.SubmissionID != sub.ID || row.CompletedAt == nil || !row.CompletedAt.Equal(now) {
				t.Errorf("the notice's task after the action = %+v; want done by %s with submission %d at %v",
					row, cadre.Username, sub.ID, now)
			}
		case row.ID > before[len(before)-1].ID:
			opened = append(opened, row)
		}
	}
	if len(opened) < 2 || opened[0].Role != "township" || opened[0].Department != "" {
		t.Fatalf("opened tasks %+v; want the township's review first, then department checks", opened)
	}
	for i, row := range opened {
		if row.State != "township_review" || row.Status != workflows.TaskOpen || row.Workflow != c.Workflow ||
			row.Locality != taoyuan || row.LocalityPath == "" || !row.CreatedAt.Equal(now) ||
			row.CompletedBy != "" || row.CompletedAt != nil || row.SubmissionID != nil || row.EscalatedTo != "" || row.ScheduleKey != nil {
			t.Errorf("opened task %d = %+v; want an open township_review task of %s created at %v", i, row, taoyuan, now)
		}
		if i > 0 && (row.Department == "" || row.Form == "") {
			t.Errorf("opened task %d = %+v; want a department check with its form", i, row)
		}
		if row.Due == nil || !row.Due.After(now) {
			t.Errorf("opened task %d is due %v; want a time limit after %v", i, row.Due, now)
		}
	}
	if got := f.eventCount(t); got != events+1 {
		t.Errorf("the action appended %d events, want 1", got-events)
	}
	e := f.lastEvent(t)
	if e.Kind != "fire" || e.CaseID == nil || *e.CaseID != c.ID || e.Actor != cadre.Username || e.Role != cadre.Role ||
		e.Locality != taoyuan || e.Trigger != "no_objection" || e.FromState != "notice" || e.ToState != "township_review" ||
		e.SubmissionID == nil || *e.SubmissionID != sub.ID || e.Object != "" || !e.At.Equal(now) {
		t.Errorf("event = %+v; want the fire of no_objection by %s pointing at submission %d", e, cadre.Username, sub.ID)
	}
	if n, err := f.db.Client.Event.Query().Where(event.SubmissionID(sub.ID)).Count(f.ctx); err != nil || n != 1 {
		t.Errorf("events pointing at the submission: %d, %v; want 1", n, err)
	}
}

// leavingCancelsOpenChecks: a state left with department checks still open
// closes all its tasks at the action's time, and only the role's own task
// takes the actor and the submission; checks already done keep their rows.
func leavingCancelsOpenChecks(t *testing.T, f *fixture) {
	c := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
	checks := f.openDepartmentTasks(t, c.ID)
	f.completeTask(t, checks[0].ID, checks[0].Department, departmentCheckData)
	done := f.caseTasks(t, c.ID)
	roleTask := f.roleTask(t, c)
	f.clock.Advance(time.Hour)
	now := instant(f.clock.Now())

	c = f.fire(t, "town1", c, "return", sendBackData())

	sub := f.lastSubmission(t, c.ID)
	for i, row := range f.caseTasks(t, c.ID) {
		if row.State != "township_review" {
			continue
		}
		var want string
		switch {
		case row.ID == roleTask:
			want = fmt.Sprintf("done by town1 at %s with submission %d", now, sub.ID)
		case row.ID == checks[0].ID:
			want = taskClosing(done[slices.IndexFunc(done, func(d *ent.Task) bool { return d.ID == row.ID })])
		default:
			want = fmt.Sprintf("cancelled by  at %s with submission <nil>", now)
		}
		if got := taskClosing(row); got != want {
			t.Errorf("task %d (%s%s) after the return: %s, want %s", i, row.Role, row.Department, got, want)
		}
	}
}

// taskClosing says how a task was closed, in one comparable line.
func taskClosing(row *ent.Task) string {
	sub := "<nil>"
	if row.SubmissionID != nil {
		sub = strconv.Itoa(*row.SubmissionID)
	}
	at := "<nil>"
	if row.CompletedAt != nil {
		at = instant(*row.CompletedAt)
	}
	return fmt.Sprintf("%s by %s at %s with submission %s", row.Status, row.CompletedBy, at, sub)
}

// instant writes a time the same whatever zone a dialect reads it back in.
func instant(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
