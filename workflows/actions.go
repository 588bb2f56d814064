package workflows

import (
	"context"
	"time"
)

// Actions lists the triggers actor may fire on the case now, in the order
// the definition lists them: authorized, and not blocked by a hold or an
// incomplete join. Data guards cannot be known before the form is filled, so
// triggers with a guard are included. A final state, or a snapshot the
// Engine cannot use, has no actions.
//
// These are the triggers the definition's state machine would fire but for
// the data guards, which its guards check after exactly blocked; the
// machine is not asked, since its guards need a submission.
func (e *Engine) Actions(ctx context.Context, s Snapshot, actor User, now time.Time) []Action {
	st, err := current(s)
	if err != nil || st.Final {
		return nil
	}
	params := s.params()
	var actions []Action
	for _, t := range st.Triggers {
		if e.blocked(&s, st, t, params, now) != nil || !e.Auth.MayFire(actor.Username, s.Definition.ID, st.Name, t.Name, s.Locality) {
			continue
		}
		if actions == nil {
			actions = make([]Action, 0, len(st.Triggers))
		}
		actions = append(actions, Action{Trigger: t.Name, Title: t.Title, Form: effectiveForm(st, t), To: t.To, Negative: t.Negative})
	}
	return actions
}
