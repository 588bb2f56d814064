package workflows

import (
	"slices"
	"testing"
	"time"
)

func TestSchedulerDue(t *testing.T) {
	d, _ := builtinEngine(t, "monitoring.yaml")
	sch := Scheduler{Calendar: BuiltinCalendar()}
	entered := at(t, "2026-10-23 10:00")
	cases := []ScheduledCase{
		{ID: 7, Snapshot: Snapshot{Definition: d, State: "monitoring", EnteredAt: entered}},
		{ID: 8, Snapshot: Snapshot{Definition: d, State: "plan", EnteredAt: entered}},        // no recurring work
		{ID: 9, Snapshot: Snapshot{Definition: d, State: "handed_over", EnteredAt: entered}}, // final
		{ID: 10, Snapshot: Snapshot{Definition: d, State: "gone", EnteredAt: entered}},       // not in the definition
	}
	t.Run("OneTaskPerCaseInARecurringState", func(t *testing.T) {
		got := sch.Due(cases, at(t, "2026-11-02 08:00"))
		if len(got) != 1 || got[0].CaseID != 7 {
			t.Fatalf("Due = %+v, want one task for case 7", got)
		}
		r := got[0]
		if r.Key != "7/monitoring/2026-11" || r.Period != "2026-11" || r.Role != "village" || r.Form != "monthly_visit" {
			t.Errorf("task %+v, want key 7/monitoring/2026-11 for village with monthly_visit", r)
		}
		// 10 working days from Monday Nov 2: Nov 13.
		if want := at(t, "2026-11-13 23:59").Add(59 * time.Second); !r.Due.Equal(want) {
			t.Errorf("due %v, want %v", r.Due, want)
		}
	})
	t.Run("SameKeyOnEveryRunOfThePeriod", func(t *testing.T) {
		a := sch.Due(cases, at(t, "2026-11-02 08:00"))
		b := sch.Due(cases, at(t, "2026-11-30 23:00"))
		if a[0].Key != b[0].Key {
			t.Errorf("keys %q and %q within one month, want the same", a[0].Key, b[0].Key)
		}
		c := sch.Due(cases, at(t, "2026-12-01 00:10"))
		if c[0].Key == a[0].Key {
			t.Errorf("key %q repeated in the next month", c[0].Key)
		}
	})
	t.Run("DueNoLaterThanPeriodEnd", func(t *testing.T) {
		got := sch.Due(cases, at(t, "2026-12-28 09:00"))
		if want := at(t, "2026-12-31 23:59").Add(59 * time.Second); !got[0].Due.Equal(want) {
			t.Errorf("due %v, want the month's end %v", got[0].Due, want)
		}
	})
}

func TestPeriod(t *testing.T) {
	tests := []struct {
		name, every, now, want, end string
	}{
		{"Month", EveryMonth, "2026-02-14 10:00", "2026-02", "2026-03-01 00:00"},
		{"MonthInChinaTime", EveryMonth, "2026-03-01 00:30", "2026-03", "2026-04-01 00:00"},
		{"Quarter", EveryQuarter, "2026-05-20 10:00", "2026-Q2", "2026-07-01 00:00"},
		{"LastQuarter", EveryQuarter, "2026-12-31 23:00", "2026-Q4", "2027-01-01 00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, end := Period(tt.every, at(t, tt.now))
			if got != tt.want || !end.Equal(at(t, tt.end)) {
				t.Errorf("Period(%s, %s) = %s ending %v, want %s ending %s", tt.every, tt.now, got, end, tt.want, tt.end)
			}
		})
	}
}

func TestEscalations(t *testing.T) {
	now := at(t, "2026-11-20 10:00")
	due := at(t, "2026-11-19 23:59")
	tasks := []Task{
		{ID: 1, CaseID: 1, Role: "village", Status: TaskOpen, Due: due},
		{ID: 2, CaseID: 1, Role: "township", Status: TaskOpen, Due: due},
		{ID: 3, CaseID: 2, Role: "county", Status: TaskOpen, Due: due},                 // nobody above
		{ID: 4, CaseID: 2, Department: "health", Status: TaskOpen, Due: due},           // department: flagged only
		{ID: 5, CaseID: 3, Role: "village", Status: TaskDone, Due: due},                // done
		{ID: 6, CaseID: 3, Role: "village", Status: TaskOpen},                          // no limit
		{ID: 7, CaseID: 4, Role: "village", Status: TaskOpen, Due: now.Add(time.Hour)}, // not yet due
	}
	got := Scheduler{}.Escalations(tasks, now)
	var summary []string
	for _, e := range got {
		summary = append(summary, e.Key)
	}
	if want := []string{"1/township", "2/county"}; !slices.Equal(summary, want) {
		t.Errorf("escalations %v, want %v", summary, want)
	}
	t.Run("OverdueFlag", func(t *testing.T) {
		for _, tt := range []struct {
			id   int
			want bool
		}{{1, true}, {4, true}, {5, false}, {6, false}, {7, false}} {
			if got := tasks[tt.id-1].Overdue(now); got != tt.want {
				t.Errorf("task %d Overdue = %v, want %v", tt.id, got, tt.want)
			}
		}
	})
}
