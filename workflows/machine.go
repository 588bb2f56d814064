package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/expr-lang/expr/vm"
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
// Fire decides whether the trigger may fire (hold, join, then the trigger's
// condition) with the case's snapshot at hand, and fires only a trigger so
// cleared, so the machine's transitions carry no guard of their own.
// Deciding inside a guard meant carrying the whole snapshot, submission and
// clock in the context: copying them in and out of the pooled action cost
// more than the decisions themselves once the collector was running, and
// stateless allocates for every guarded transition it fires.
//
// Its states and triggers are the definition's *State and *Trigger: a pointer
// goes into the library's `any` without allocating, and its maps hash a
// pointer rather than a name.

// firingKey is the context key of the action in flight.
type firingKey struct{}

// firing is one action on a case: the case's state, which the machine reads
// and moves, and the memory its expressions reuse. It is the context the
// machine fires with, so that carrying it costs no context.WithValue per
// action.
type firing struct {
	context.Context // the caller's
	state           *State
	// env is the environment of the trigger's expressions (its submission,
	// params, household and case) with the names they read; empty when the
	// trigger has none. The map is kept from action to action.
	env map[string]any
	// vm runs the trigger's expressions, one after the other.
	vm vm.VM
}

// newFiring returns a firing of the engine's pool for an action in state st,
// so that the guard's environment map and machine serve action after
// action. None outlives its Fire, since the machine fires immediately and
// keeps no context.
func (e *Engine) newFiring(ctx context.Context, st *State) *firing {
	f, _ := e.firings.Get().(*firing)
	if f == nil {
		f = &firing{env: make(map[string]any, 4)}
	}
	f.Context, f.state = ctx, st
	return f
}

// release puts f back in the pool, without the caller's context and the
// values its expressions saw.
func (e *Engine) release(f *firing) {
	f.Context, f.state = nil, nil
	clear(f.env)
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

// newMachine configures the machine of a compiled definition: every trigger
// of every state, unguarded, since Fire fires only what allow cleared.
func newMachine(d *Definition) *stateless.StateMachine {
	sm := stateless.NewStateMachineWithExternalStorage(firingState, setFiringState, stateless.FiringImmediate)
	sm.OnUnhandledTrigger(refused)
	// Final states are configured too: the machine looks its destination
	// up, and an unconfigured state would be added to its map at run time.
	for _, name := range d.Order {
		st := d.States[name]
		cfg := sm.Configure(st)
		for _, t := range st.Triggers {
			if to := d.States[t.To]; to == st {
				cfg.PermitReentry(t)
			} else {
				cfg.Permit(t, to)
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

// refused answers a trigger the machine will not fire.
func refused(_ context.Context, state stateless.State, trigger stateless.Trigger, _ []string) error {
	st, _ := state.(*State)
	t, _ := trigger.(*Trigger)
	if st == nil || t == nil {
		return fmt.Errorf("trigger %v is not permitted in state %v", trigger, state)
	}
	return fmt.Errorf("trigger %s is not permitted in state %s", t.Name, st.Name)
}

// allow returns the Conflict or Invalid that keeps t from firing now from
// st, or nil when it may fire: the hold, the join and then the trigger's
// condition, which runs in f.env, filled with what it reads.
func (f *firing) allow(e *Engine, s *Snapshot, st *State, t *Trigger, params forms.Params, sub submission, now time.Time) error {
	if err := e.blocked(s, st, t, params, now); err != nil {
		return err
	}
	if t.guard != nil || t.classify != nil || t.routes != nil {
		s.scope(now).envInto(f.env, params, sub.def, sub.values, t.reads)
	}
	return guard(&f.vm, st, t, f.env)
}

// transit fires t on the definition's machine from f's state and returns
// the state it leads to.
func (e *Engine) transit(f *firing, d *Definition, t *Trigger) (*State, error) {
	from := f.state
	if err := d.machine.FireCtx(f, t); err != nil {
		return nil, fmt.Errorf("fire %s in %s of workflow %s: %w", t.Name, from.Name, d.ID, err)
	}
	return f.state, nil
}
