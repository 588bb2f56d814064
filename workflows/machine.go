package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qmuntal/stateless"

	"jianfu/forms"
)

// Every action fires on one stateless machine per definition version,
// configured by Compile with all of its states and triggers: building a
// machine per action cost as much as the rest of the action's decisions.
//
// The machine holds no case. Its external storage is the action in flight,
// carried by the context (the one thing stateless hands to both its state
// accessor and the guards), and the caller stores the outcome in its own
// transaction, since stateless has no rollback. It fires in immediate mode:
// the queued mode keeps one queue per machine, which would let concurrent
// actions run each other's triggers. The machine's maps are written only
// while Compile configures it, so any number of actions may fire at once.
//
// Its states and triggers are the definition's *State and *Trigger: a pointer
// goes into the library's `any` without allocating, and its maps hash a
// pointer rather than a name.

// firingKey is the context key of the action in flight.
type firingKey struct{}

// firing is one action on a case: what the trigger's guard needs, the case's
// state (which the machine reads and moves) and, when the guard refuses, why.
// It is the context the machine fires with, so that carrying it costs no
// context.WithValue per action.
type firing struct {
	context.Context // the caller's
	e               *Engine
	s               Snapshot
	params          forms.Params
	// sub is the validated submission the trigger's expressions read.
	sub submission
	// env is the environment of the trigger's expressions (its submission,
	// params, household and case), built by allow with the names they
	// read; nil when the trigger has none.
	env   map[string]any
	now   time.Time
	state *State
	err   error
}

// newFiring returns f in a firing of the engine's pool: apart from what
// Fire returns, a firing (~280 bytes) was an action's largest allocation,
// and none outlives its Fire, since the machine fires immediately and
// keeps no context.
func (e *Engine) newFiring(f firing) *firing {
	p, _ := e.firings.Get().(*firing)
	if p == nil {
		p = new(firing)
	}
	*p = f
	return p
}

// release puts f back in the pool, without the case, the submission and
// the caller's context it held.
func (e *Engine) release(f *firing) {
	*f = firing{}
	e.firings.Put(f)
}

// Value answers firingKey with the firing itself, and asks the caller's
// context anything else.
func (f *firing) Value(key any) any {
	if _, ok := key.(firingKey); ok {
		return f
	}
	return f.Context.Value(key)
}

// newMachine configures the machine of a compiled definition. Each trigger
// is guarded by allow: the hold, the join and then the trigger's own
// condition, in the order Fire documents.
func newMachine(d *Definition) *stateless.StateMachine {
	sm := stateless.NewStateMachineWithExternalStorage(firingState, setFiringState, stateless.FiringImmediate)
	sm.OnUnhandledTrigger(refused)
	// Final states are configured too: the machine looks its destination
	// up, and an unconfigured state would be added to its map at run time.
	for _, name := range d.Order {
		st := d.States[name]
		cfg := sm.Configure(st)
		for _, t := range st.Triggers {
			allow := func(ctx context.Context, _ ...any) bool {
				f, ok := firingOf(ctx)
				return ok && f.allow(st, t)
			}
			if to := d.States[t.To]; to == st {
				cfg.PermitReentry(t, allow)
			} else {
				cfg.Permit(t, to, allow)
			}
		}
	}
	return sm
}

func firingOf(ctx context.Context) (*firing, bool) {
	f, ok := ctx.Value(firingKey{}).(*firing)
	return f, ok
}

var errNoFiring = errors.New("workflow state machine used outside an action")

// firingState is the machine's state accessor.
func firingState(ctx context.Context) (stateless.State, error) {
	f, ok := firingOf(ctx)
	if !ok {
		return nil, errNoFiring
	}
	return f.state, nil
}

// setFiringState is the machine's state mutator.
func setFiringState(ctx context.Context, next stateless.State) error {
	f, ok := firingOf(ctx)
	if !ok {
		return errNoFiring
	}
	st, ok := next.(*State)
	if !ok {
		return fmt.Errorf("state %v is not a workflow state", next)
	}
	f.state = st
	return nil
}

// refused answers a trigger the machine will not fire: the guard's reason
// when it gave one.
func refused(ctx context.Context, state stateless.State, trigger stateless.Trigger, _ []string) error {
	if f, ok := firingOf(ctx); ok && f.err != nil {
		return f.err
	}
	st, _ := state.(*State)
	t, _ := trigger.(*Trigger)
	if st == nil || t == nil {
		return fmt.Errorf("trigger %v is not permitted in state %v", trigger, state)
	}
	return fmt.Errorf("trigger %s is not permitted in state %s", t.Name, st.Name)
}

// allow reports whether t may fire now, keeping the reason when not.
func (f *firing) allow(st *State, t *Trigger) bool {
	if err := f.e.blocked(&f.s, st, t, f.params, f.now); err != nil {
		f.err = err
		return false
	}
	if f.env == nil && (t.guard != nil || t.classify != nil || t.routes != nil) {
		f.env = f.s.scope(f.params, f.now).envOf(f.sub.def, f.sub.values, t.reads)
	}
	if err := guard(st, t, f.env); err != nil {
		f.err = err
		return false
	}
	return true
}

// transit fires t on the definition's machine from the case's state, with
// f as the context, and returns the state it leads to. A refusal by the
// trigger's guard (a hold, a join, the trigger's condition) is returned as
// the guard gave it.
func (e *Engine) transit(f *firing, t *Trigger) (*State, error) {
	d := f.s.Definition
	if err := d.machine.FireCtx(f, t); err != nil {
		if f.err != nil {
			return nil, f.err
		}
		return nil, fmt.Errorf("fire %s in %s of workflow %s: %w", t.Name, f.s.State, d.ID, err)
	}
	return f.state, nil
}
