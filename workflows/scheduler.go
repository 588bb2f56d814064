package workflows

import (
	"fmt"
	"time"
)

// The Scheduler computes recurring work and escalations from what storage
// lists; it keeps nothing between runs. Every task it proposes carries a key
// that is the same for the same case, state and period, so a store that
// inserts with a unique key on it can run the scheduler any number of times,
// after any restart, and create each task once.

// Scheduler computes due recurring tasks and escalations of overdue tasks. A
// nil Calendar counts Monday to Friday only.
type Scheduler struct {
	Calendar *Calendar
}

// ScheduledCase is a case as the scheduler sees it: its id and snapshot.
type ScheduledCase struct {
	ID       int
	Snapshot Snapshot
}

// RecurringTask is a periodic task to create for a case unless one with the
// same Key exists.
type RecurringTask struct {
	CaseID int
	State  string
	// Period is "2026-11" for monthly work, "2026-Q4" for quarterly work.
	Period string
	// Key is unique per case, state and period: "17/monitoring/2026-11".
	Key   string
	Title string
	NewTask
}

// Due returns the recurring tasks of the current period (at now) for every
// case in a state with recurring work. A case that entered its state during
// the period gets the period's task too: the first visit falls in the month
// of inclusion.
func (sch Scheduler) Due(cases []ScheduledCase, now time.Time) []RecurringTask {
	var out []RecurringTask
	for _, c := range cases {
		st, err := current(&c.Snapshot)
		if err != nil || st.Final || st.Recurring == nil {
			continue
		}
		r := st.Recurring
		period, end := Period(r.Every, now)
		due := end.Add(-time.Second)
		if r.DueWorkingDays > 0 {
			due = earliest(sch.Calendar.AddWorkingDays(now, r.DueWorkingDays), due)
		}
		out = append(out, RecurringTask{
			CaseID: c.ID, State: st.Name, Period: period,
			Key:     fmt.Sprintf("%d/%s/%s", c.ID, st.Name, period),
			Title:   r.Title,
			NewTask: NewTask{Role: r.Role, Form: r.Form, Due: due},
		})
	}
	return out
}

// Period returns the key of the month or quarter (China time) that now falls
// in, and when that period ends. every is EveryMonth or EveryQuarter;
// anything else counts as a month.
func Period(every string, now time.Time) (string, time.Time) {
	t := now.In(chinaZone())
	y, m := t.Year(), t.Month()
	if every == EveryQuarter {
		q := (int(m)-1)/3 + 1
		end := time.Date(y, time.Month(q*3+1), 1, 0, 0, 0, 0, chinaZone())
		return fmt.Sprintf("%d-Q%d", y, q), end
	}
	end := time.Date(y, m+1, 1, 0, 0, 0, 0, chinaZone())
	return fmt.Sprintf("%d-%02d", y, int(m)), end
}

// Overdue reports whether the task is open past its due time.
func (t Task) Overdue(now time.Time) bool {
	return t.Status == TaskOpen && !t.Due.IsZero() && now.After(t.Due)
}

// Escalation hands an overdue task to the level above its role.
// TriggerEscalate marks, in a case's history, the scheduler handing an
// overdue task to the level above; TriggerSchedule, its opening of
// recurring work (the monthly visit). Neither moves the case.
const (
	TriggerEscalate = "escalate"
	TriggerSchedule = "schedule"
)

type Escalation struct {
	TaskID int
	CaseID int
	// From is the task's role; To the role that now also sees it.
	From, To string
	// Key is unique per task and level, for idempotent storage.
	Key string
}

// Escalations returns, for each overdue role task, the level above its
// role: a village's overdue task goes to the township, a township's to the
// county. County tasks and department tasks have no level above in a county
// and are only flagged (Task.Overdue).
func (sch Scheduler) Escalations(tasks []Task, now time.Time) []Escalation {
	var out []Escalation
	for _, t := range tasks {
		if t.Department != "" || !t.Overdue(now) {
			continue
		}
		up := LevelAbove(t.Role)
		if up == "" {
			continue
		}
		out = append(out, Escalation{TaskID: t.ID, CaseID: t.CaseID, From: t.Role, To: up,
			Key: fmt.Sprintf("%d/%s", t.ID, up)})
	}
	return out
}

// LevelAbove returns the acting role one level up: village → township →
// county; "" above the county or for any other role.
func LevelAbove(role string) string {
	switch role {
	case "village":
		return "township"
	case "township":
		return "county"
	default:
		return ""
	}
}
