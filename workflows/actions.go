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
func (e *Engine) Actions(ctx context.Context, s Snapshot, actor User, now time.Time) []Action {
	st, err := current(s)
	if err != nil || st.Final {
		return nil
	}
	state := s.State
	permitted, err := e.machine(s, st, s.params(), now, &state).PermittedTriggersCtx(ctx)
	if err != nil {
		return nil
	}
	open := make(map[string]bool, len(permitted))
	for _, p := range permitted {
		if name, ok := p.(string); ok {
			open[name] = true
		}
	}
	var actions []Action
	for _, t := range st.Triggers {
		if !open[t.Name] || !e.Auth.MayFire(actor.Username, s.Definition.ID, st.Name, t.Name, s.Locality) {
			continue
		}
		actions = append(actions, Action{Trigger: t.Name, Title: t.Title, Form: effectiveForm(st, t), To: t.To})
	}
	return actions
}
