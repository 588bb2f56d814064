package workflows

import (
	"fmt"
	"strings"
	"time"

	"jianfu/forms"
)

// A case may be blocked from leaving its state by a hold (a public notice
// must run its days) or by a join (the departments' checks must be in).
// Both depend only on the snapshot and the clock, so they also decide which
// actions to offer.

// blocked returns the Conflict that keeps t from firing now, or nil.
func (e *Engine) blocked(s *Snapshot, st *State, t *Trigger, params forms.Params, now time.Time) error {
	if st.Hold != nil && !t.IgnoreHold {
		if err := e.holdBlock(s, st, params, now); err != nil {
			return err
		}
	}
	if t.Join {
		return joinBlock(st, s.Tasks)
	}
	return nil
}

func (e *Engine) holdBlock(s *Snapshot, st *State, params forms.Params, now time.Time) error {
	end, n, err := e.holdEnd(st, s, params)
	if err != nil {
		return err
	}
	if !now.Before(end) {
		return nil
	}
	date := end.In(chinaZone()).Format(time.DateOnly)
	if st.Hold.WorkingDays != "" {
		return Errorf(Conflict, "%s期未满%d个工作日，%s 起方可办理", st.Title, n, date)
	}
	return Errorf(Conflict, "%s期未满%d天，%s 起方可办理", st.Title, n, date)
}

// holdEnd returns when the hold of st, entered at s.EnteredAt, is over, and
// its length in days. params are s's params over the definition's.
func (e *Engine) holdEnd(st *State, s *Snapshot, params forms.Params) (time.Time, int, error) {
	n := st.Hold.own // Compile's answer for a case without params of its own
	if len(s.Params) > 0 {
		var err error
		if n, err = runDays(st.Hold.days, params); err != nil {
			return time.Time{}, 0, fmt.Errorf("hold of state %s: %w", st.Name, err)
		}
	}
	if st.Hold.WorkingDays != "" {
		return e.Calendar.HoldEnd(s.EnteredAt, n), n, nil
	}
	return e.Calendar.CalendarHoldEnd(s.EnteredAt, n), n, nil
}

// HoldUntil returns when the hold of the case's current state ends, and
// false when the state has no hold (or its length cannot be computed with
// the snapshot's params, which Fire reports as an error).
func (e *Engine) HoldUntil(s Snapshot) (time.Time, bool) {
	st, err := current(&s)
	if err != nil || st.Hold == nil {
		return time.Time{}, false
	}
	end, _, err := e.holdEnd(st, &s, s.params())
	if err != nil {
		return time.Time{}, false
	}
	return end, true
}

// joinBlock returns the Conflict naming the departments still to finish when
// fewer tasks are done than the fan-out's join requires. It allocates only
// to say so: it runs for every join trigger a case page offers.
func joinBlock(st *State, tasks []TaskState) error {
	f := st.Tasks
	// With routes, the departments are those that got a task on entry;
	// otherwise the fixed list, so a missing task row still counts as
	// pending.
	routed := len(f.Routes) > 0
	created := len(f.Departments)
	if routed {
		created = len(tasks)
	}
	department := func(i int) string {
		if routed {
			return tasks[i].Department
		}
		return f.Departments[i]
	}
	need, err := joinQuorum(f, created)
	if err != nil {
		return fmt.Errorf("join of state %s: %w", st.Name, err)
	}
	if need <= created && allDone(tasks, created, department) {
		return nil
	}
	finished := 0
	for i := range created {
		if doneTask(tasks, department(i)) {
			finished++
		}
	}
	if finished >= need {
		return nil
	}
	var pending []string
	for i := range created {
		if dep := department(i); !doneTask(tasks, dep) {
			pending = append(pending, DepartmentTitle(dep))
		}
	}
	names := strings.Join(pending, "、")
	if need == created {
		return Errorf(Conflict, "以下部门尚未完成：%s", names)
	}
	return Errorf(Conflict, "需至少%d个部门完成，已完成%d个；尚未完成：%s", need, finished, names)
}

// allDone reports whether tasks are the created departments' tasks, in
// their order, all done: how a joined state's tasks stand when the join
// passes, seen without matching every department against every task.
func allDone(tasks []TaskState, created int, department func(int) string) bool {
	if len(tasks) < created {
		return false
	}
	for i := range created {
		if !tasks[i].Done || tasks[i].Department != department(i) {
			return false
		}
	}
	return true
}

// doneTask reports whether tasks hold a done task of department dep.
func doneTask(tasks []TaskState, dep string) bool {
	for _, t := range tasks {
		if t.Done && t.Department == dep {
			return true
		}
	}
	return false
}
