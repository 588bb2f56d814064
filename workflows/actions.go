package workflows

import (
	"context"
	"errors"
	"time"
)

// Actions lists the triggers actor may fire on the case now, in the order
// the definition lists them: authorized, and not blocked by a hold or an
// incomplete join. Data guards cannot be known before the form is filled, so
// triggers with a guard are included. A final state, or a snapshot the
// Engine cannot use, has no actions.
//
// These are the triggers the definition's state machine would fire but for
// the data guards, which Fire checks after exactly blocked; the machine is
// not asked, since the data guards need a submission.
//
// The slice may be shared with other calls (when every trigger is offered,
// it is the definition's own list): callers must not modify its elements.
func (e *Engine) Actions(ctx context.Context, s Snapshot, actor User, now time.Time) []Action {
	st, err := current(&s)
	if err != nil || st.Final {
		return nil
	}
	params := s.params()
	// offered[i] tells whether st.Triggers[i] is offered; a state has a
	// handful of triggers, so the flags fit on the stack.
	var flags [16]bool
	offered := flags[:0]
	if len(st.Triggers) > len(flags) {
		offered = make([]bool, 0, len(st.Triggers))
	}
	n := 0
	for _, t := range st.Triggers {
		ok := e.blocked(&s, st, t, params, now) == nil && e.Auth.MayFire(actor.Username, s.Definition.ID, st.Name, t.Name, s.Locality)
		offered = append(offered, ok)
		if ok {
			n++
		}
	}
	switch n {
	case 0:
		return nil
	case len(st.actions):
		// A capacity of its length makes an append copy the list.
		return st.actions[:n:n]
	}
	actions := make([]Action, 0, n)
	for i, a := range st.actions {
		if offered[i] {
			actions = append(actions, a)
		}
	}
	return actions
}

// Blocked lists the triggers actor may fire in the case's state but not yet,
// kept by the state's hold or by the departments' join, each with the reason
// Fire would refuse it with ("以下部门尚未完成：卫健", "公示期未满5个工作日，
// 2026-10-11 起方可办理"), in the order the definition lists them. It is the
// complement of Actions a case page shows disabled, so that a cadre looking
// for 审核通过 learns why it is not offered. A final state, or a snapshot
// the Engine cannot use, has none; so has a trigger whose block cannot be
// computed (Fire reports that error).
func (e *Engine) Blocked(ctx context.Context, s Snapshot, actor User, now time.Time) []BlockedAction {
	st, err := current(&s)
	if err != nil || st.Final {
		return nil
	}
	params := s.params()
	var out []BlockedAction
	for i, t := range st.Triggers {
		// Cheap first: most triggers wait for nothing, and only an
		// actor allowed to fire one may learn what it waits for.
		var block *Error
		if !errors.As(e.blocked(&s, st, t, params, now), &block) || block.Code != Conflict {
			continue
		}
		if !e.Auth.MayFire(actor.Username, s.Definition.ID, st.Name, t.Name, s.Locality) {
			continue
		}
		out = append(out, BlockedAction{Action: st.actions[i], Reason: block.Message})
	}
	return out
}

// offers lists the triggers of st as the actions offering them.
func offers(st *State) []Action {
	actions := make([]Action, len(st.Triggers))
	for i, t := range st.Triggers {
		actions[i] = Action{Trigger: t.Name, Title: t.Title, Form: effectiveForm(st, t), To: t.To, Negative: t.Negative}
	}
	return actions
}
