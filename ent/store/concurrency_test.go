package store_test

import (
	"sync"
	"testing"

	"jianfu/ent/event"
	"jianfu/ent/submission"
	"jianfu/workflows"
)

// racers is how many requests race for the same case version: enough for
// every one of them to find the row locked, few enough for two cores.
const racers = 8

// race runs do racers times at once, released together, and returns the
// errors in no particular order.
func race(do func() error) []error {
	var (
		wg    sync.WaitGroup
		ready = make(chan struct{})
		errs  = make([]error, racers)
	)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-ready
			errs[i] = do()
		}()
	}
	close(ready)
	wg.Wait()
	return errs
}

// oneWinner checks that exactly one of errs is nil and every other one is
// a Conflict.
func oneWinner(t *testing.T, errs []error) {
	t.Helper()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		if code := workflows.ErrorCode(err); code != workflows.Conflict {
			t.Errorf("a losing request got %s (%v), want %s", code, err, workflows.Conflict)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent requests succeeded, want exactly 1", won, len(errs))
	}
}

func testOneWinnerPerCase(t *testing.T, f *fixture) {
	t.Run("SameTriggerSameVersion", func(t *testing.T) {
		c := f.newCase(t, taoyuan)
		h, err := f.svc.Household(f.ctx, f.user(t, "village11"), c.HouseholdID)
		if err != nil {
			t.Fatalf("load household: %v", err)
		}
		actor := f.user(t, "village11")
		oneWinner(t, race(func() error {
			_, err := f.svc.Fire(f.ctx, actor, c.ID, "submit", applicationData(h), c.Version)
			return err
		}))

		fires, err := f.db.Client.Event.Query().Where(event.CaseID(c.ID), event.Kind("fire")).Count(f.ctx)
		if err != nil {
			t.Fatalf("count events: %v", err)
		}
		if fires != 1 {
			t.Errorf("the case has %d fire events, want 1", fires)
		}
		subs, err := f.db.Client.Submission.Query().Where(submission.CaseID(c.ID)).Count(f.ctx)
		if err != nil {
			t.Fatalf("count submissions: %v", err)
		}
		if subs != 1 {
			t.Errorf("the case has %d submissions, want 1", subs)
		}
		got, err := f.svc.Case(f.ctx, actor, c.ID)
		if err != nil {
			t.Fatalf("load case: %v", err)
		}
		if got.State != "verification" || got.Version != c.Version+1 {
			t.Errorf("case is in %s v%d, want verification v%d", got.State, got.Version, c.Version+1)
		}
		if n := len(f.caseTasks(t, c.ID)); n != 2 {
			t.Errorf("the case has %d tasks, want 2 (application done, verification open)", n)
		}
	})

	t.Run("SameDepartmentTaskCompletedOnce", func(t *testing.T) {
		c := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
		var id int
		for _, row := range f.openDepartmentTasks(t, c.ID) {
			if row.Department == "education" {
				id = row.ID
			}
		}
		if id == 0 {
			t.Fatalf("case %d has no open education task at township_review", c.ID)
		}
		liaison := f.liaison(t, "education")
		oneWinner(t, race(func() error {
			_, err := f.svc.CompleteTask(f.ctx, liaison, id, departmentCheckData("education"))
			return err
		}))

		done, err := f.db.Client.Event.Query().Where(event.CaseID(c.ID), event.Kind("complete_task")).Count(f.ctx)
		if err != nil {
			t.Fatalf("count events: %v", err)
		}
		if done != 1 {
			t.Errorf("the case has %d complete_task events after one check, want 1", done)
		}
		subs, err := f.db.Client.Submission.Query().Where(submission.TaskID(id)).Count(f.ctx)
		if err != nil {
			t.Fatalf("count submissions: %v", err)
		}
		if subs != 1 {
			t.Errorf("task %d has %d submissions, want 1", id, subs)
		}
	})
}
