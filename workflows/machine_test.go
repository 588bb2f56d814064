package workflows

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestMachineSharedByConcurrentActions fires actions with every kind of
// outcome at once on one definition, whose one state machine they share:
// each action must get its own answer whatever the others' states, holds,
// joins and guards. Run with -race.
func TestMachineSharedByConcurrentActions(t *testing.T) {
	d, e := identification(t)
	township := openTasks("education", "housing", "water", "health")
	early, late := at(t, "2026-10-10 12:00"), at(t, "2026-10-12 09:00")
	tests := []struct {
		name          string
		s             Snapshot
		user, trigger string
		data          func() map[string]any
		now           time.Time
		to            string // where the action leads; "" when refused
		code          Code   // the refusal's code
	}{
		{"HoldOver", snapshotAt(t, d, "notice"), "cun", "no_objection", noticeData, late, "township_review", ""},
		{"HoldNotOver", snapshotAt(t, d, "notice"), "cun", "no_objection", noticeData, early, "", Conflict},
		{"ObjectionDuringHold", snapshotAt(t, d, "notice"), "cun", "objection", sendBackData, early, "verification", ""},
		{"JoinDone", withDone(snapshotAt(t, d, "township_review", township...)), "xiang", "approve", townshipReviewData,
			late, "county_decision", ""},
		{"JoinIncomplete", snapshotAt(t, d, "township_review", township...), "xiang", "approve", townshipReviewData,
			late, "", Conflict},
		{"GuardHolds", snapshotAt(t, d, "deliberation"), "cun", "pass",
			func() map[string]any { return deliberationData(10, 8, 6) }, late, "notice", ""},
		{"GuardFails", snapshotAt(t, d, "deliberation"), "cun", "pass",
			func() map[string]any { return deliberationData(10, 6, 6) }, late, "", Invalid},
		{"ToFinalState", snapshotAt(t, d, "verification"), "cun", "reject", explanationData, late, "not_included", ""},
	}
	const rounds = 16
	var wg sync.WaitGroup
	errs := make(chan error, len(tests)*rounds)
	for i := range len(tests) * rounds {
		tt := tests[i%len(tests)]
		wg.Go(func() {
			tr, err := e.Fire(t.Context(), tt.s, User{Username: tt.user}, tt.trigger, tt.data(), tt.now)
			switch {
			case tt.to != "" && err != nil:
				errs <- fmt.Errorf("%s: %v, want %s→%s", tt.name, err, tt.s.State, tt.to)
			case tt.to != "" && (tr.From != tt.s.State || tr.To != tt.to):
				errs <- fmt.Errorf("%s: %s→%s, want %s→%s", tt.name, tr.From, tr.To, tt.s.State, tt.to)
			case tt.to == "" && ErrorCode(err) != tt.code:
				errs <- fmt.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
