package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"jianfu/ent"
	"jianfu/ent/event"
	"jianfu/forms"
	"jianfu/workflows"
)

// wantEvent is the audit line one mutation must append.
type wantEvent struct {
	kind, actor, role, locality string
	trigger, from, to, object   string
	caseID                      int  // 0 for an event of no case
	submission                  bool // whether it points at a submission
}

// lastEvent returns the newest audit event.
func (f *fixture) lastEvent(t testing.TB) *ent.Event {
	t.Helper()
	e, err := f.db.Client.Event.Query().Order(ent.Desc(event.FieldID)).First(f.ctx)
	if err != nil {
		t.Fatalf("newest event: %v", err)
	}
	return e
}

func (f *fixture) eventCount(t testing.TB) int {
	t.Helper()
	n, err := f.db.Client.Event.Query().Count(f.ctx)
	if err != nil {
		t.Fatalf("count events: %v", err)
	}
	return n
}

func testEveryMutationAppendsOneEvent(t *testing.T, f *fixture) {
	review := f.moveTo(t, f.newCase(t, taoyuan), "township_review")
	var household workflows.Household
	var started workflows.Case

	tests := []struct {
		name string
		do   func(t *testing.T) wantEvent
	}{
		{"CreateHousehold", func(t *testing.T) wantEvent {
			household = f.newHousehold(t, taoyuan)
			return wantEvent{kind: "create_household", actor: "village11", role: "village", locality: taoyuan,
				object: fmt.Sprintf("household:%d", household.ID)}
		}},
		{"StartCase", func(t *testing.T) wantEvent {
			var err error
			started, err = f.svc.StartCase(f.ctx, f.user(t, "village11"), "identification", household.ID)
			if err != nil {
				t.Fatalf("start case: %v", err)
			}
			return wantEvent{kind: "start", actor: "village11", role: "village", locality: taoyuan,
				trigger: workflows.TriggerStart, to: "application", caseID: started.ID}
		}},
		{"Fire", func(t *testing.T) wantEvent {
			f.fire(t, "village11", started, "submit", applicationData(household))
			return wantEvent{kind: "fire", actor: "village11", role: "village", locality: taoyuan,
				trigger: "submit", from: "application", to: "verification", caseID: started.ID, submission: true}
		}},
		{"CompleteTask", func(t *testing.T) wantEvent {
			open := f.openDepartmentTasks(t, review.ID)
			if len(open) == 0 {
				t.Fatalf("case %d at township_review has no open department task", review.ID)
			}
			row := open[0]
			f.completeTask(t, row.ID, row.Department, departmentCheckData)
			return wantEvent{kind: "complete_task", actor: f.liaison(t, row.Department).Username, role: "liaison",
				locality: taoyuan, trigger: "complete_task", from: "township_review", to: "township_review",
				object: fmt.Sprintf("task:%d", row.ID), caseID: review.ID, submission: true}
		}},
		{"PublishDefinition", func(t *testing.T) wantEvent {
			src := strings.Replace(string(forms.Builtin()["explanation.yaml"]), "title: 不予纳入说明", "title: 不予纳入情况说明", 1)
			info, err := f.svc.PublishDefinition(f.ctx, f.user(t, "admin"), []byte(src))
			if err != nil {
				t.Fatalf("publish: %v", err)
			}
			return wantEvent{kind: "publish_definition", actor: "admin", role: "admin", locality: "510100000000",
				object: fmt.Sprintf("form:explanation@%d", info.Version)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each action happens at its own minute, so the event's time
			// is this action's and no other's.
			f.clock.Advance(time.Minute)
			before := f.eventCount(t)
			want := tt.do(t)
			if n := f.eventCount(t) - before; n != 1 {
				t.Fatalf("%s appended %d audit events, want 1", tt.name, n)
			}
			assertEvent(t, f.lastEvent(t), want, f.clock.Now())
			if want.caseID != 0 {
				assertHistoryEnds(t, f, want)
			}
		})
	}
}

func assertEvent(t *testing.T, e *ent.Event, want wantEvent, at time.Time) {
	t.Helper()
	got := wantEvent{kind: e.Kind, actor: e.Actor, role: e.Role, locality: e.Locality, trigger: e.Trigger,
		from: e.FromState, to: e.ToState, object: e.Object, submission: e.SubmissionID != nil}
	if e.CaseID != nil {
		got.caseID = *e.CaseID
	}
	if got != want {
		t.Errorf("event = %+v, want %+v", got, want)
	}
	if !e.At.Equal(at) {
		t.Errorf("event at %v, want the clock's %v", e.At, at)
	}
}

// assertHistoryEnds checks that the case's history, as the service shows
// it, ends with the event.
func assertHistoryEnds(t *testing.T, f *fixture, want wantEvent) {
	t.Helper()
	c, err := f.svc.Case(f.ctx, f.user(t, "county1"), want.caseID)
	if err != nil {
		t.Fatalf("load case %d: %v", want.caseID, err)
	}
	if len(c.History) == 0 {
		t.Fatalf("case %d has no history", want.caseID)
	}
	last := c.History[len(c.History)-1]
	if last.Actor != want.actor || last.Role != want.role || last.Trigger != want.trigger ||
		last.From != want.from || last.To != want.to || !last.At.Equal(f.clock.Now()) {
		t.Errorf("history ends with %+v, want %s (%s) %s %s→%s at %v", last, want.actor, want.role,
			want.trigger, want.from, want.to, f.clock.Now())
	}
	if want.submission && last.SubmissionID == 0 {
		t.Errorf("history entry %s names no submission", want.trigger)
	}
}
