package workflows

import (
	"context"
	"fmt"
	"time"

	"github.com/qmuntal/stateless"

	"jianfu/forms"
)

// machine builds a state machine for one action on one case from the case's
// pinned definition. Its state lives outside, in *state (a copy of the case
// row's state): the caller stores the result in its own transaction, since
// stateless has no rollback. Only the current state is configured — an
// action can fire nothing else, and configuring every state costs more than
// the rest of the action. Each trigger is guarded by the case's hold and
// join, so PermittedTriggers reports what the case allows now; data guards
// need a submission and are checked by Fire before firing.
func (e *Engine) machine(s Snapshot, st *State, params forms.Params, now time.Time, state *string) *stateless.StateMachine {
	sm := stateless.NewStateMachineWithExternalStorage(
		func(context.Context) (stateless.State, error) { return *state, nil },
		func(_ context.Context, next stateless.State) error {
			name, ok := next.(string)
			if !ok {
				return fmt.Errorf("state %v is not a state name", next)
			}
			*state = name
			return nil
		},
		stateless.FiringImmediate,
	)
	cfg := sm.Configure(st.Name)
	for _, t := range st.Triggers {
		open := func(context.Context, ...any) bool { return e.blocked(s, st, t, params, now) == nil }
		if t.To == st.Name {
			cfg.PermitReentry(t.Name, open)
		} else {
			cfg.Permit(t.Name, t.To, open)
		}
	}
	return sm
}

// transit fires t on a machine in the case's state and returns the state it
// leads to.
func (e *Engine) transit(ctx context.Context, s Snapshot, st *State, params forms.Params, t *Trigger, now time.Time) (string, error) {
	state := s.State
	sm := e.machine(s, st, params, now, &state)
	if err := sm.FireCtx(ctx, t.Name); err != nil {
		return "", fmt.Errorf("fire %s in %s of workflow %s: %w", t.Name, s.State, s.Definition.ID, err)
	}
	return state, nil
}
