package workflows

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// step is one action of the identification walk.
type step struct {
	user, trigger string
	data          map[string]any
	now           time.Time
}

func identificationSteps(b *testing.B) []step {
	return []step{
		{"cun", "submit", applicationData(), at(b, "2026-09-21 10:00")},
		{"cun", "confirm", verificationData(), at(b, "2026-09-24 15:00")},
		{"cun", "pass", deliberationData(10, 8, 6), at(b, "2026-09-29 10:00")},
		{"cun", "no_objection", noticeData(), at(b, "2026-10-12 09:00")},
		{"xiang", "approve", townshipReviewData(), at(b, "2026-10-15 11:00")},
		{"xian", "approve", countyDecisionData("纳入"), at(b, "2026-10-22 16:00")},
	}
}

// walk takes one case from start to 纳入监测, offering actions at each step
// as the case page would.
func walk(ctx context.Context, d *Definition, e *Engine, steps []step, now time.Time) error {
	tr, err := e.Start(ctx, d, User{Username: "cun"}, household, now)
	if err != nil {
		return err
	}
	s := after(Snapshot{Definition: d, Locality: household}, tr, now)
	for _, st := range steps {
		s = withDone(s)
		_ = e.Actions(ctx, s, User{Username: st.user}, st.now)
		tr, err := e.Fire(ctx, s, User{Username: st.user}, st.trigger, st.data, st.now)
		if err != nil {
			return fmt.Errorf("%s in %s: %w", st.trigger, s.State, err)
		}
		s = after(s, tr, st.now)
	}
	if s.State != "included" {
		return fmt.Errorf("case ended in %s, want included", s.State)
	}
	return nil
}

// BenchmarkEngineIdentification takes one case through the five steps
// (start, six actions with form validation, guards, hold and join) in memory.
func BenchmarkEngineIdentification(b *testing.B) {
	d, e := identification(b)
	steps := identificationSteps(b)
	ctx := b.Context()
	b.ReportAllocs()
	start := at(b, "2026-09-21 09:00")
	for b.Loop() {
		if err := walk(ctx, d, e, steps, start); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEngineIdentificationParallel runs the same walk from many
// goroutines sharing one engine and definition.
func BenchmarkEngineIdentificationParallel(b *testing.B) {
	d, e := identification(b)
	steps := identificationSteps(b)
	ctx := b.Context()
	b.ReportAllocs()
	start := at(b, "2026-09-21 09:00")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := walk(ctx, d, e, steps, start); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
