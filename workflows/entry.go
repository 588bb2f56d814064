package workflows

import (
	"fmt"

	"github.com/expr-lang/expr/vm"

	"jianfu/forms"
)

// Entering a state may pass over it (an optional step whose skip condition
// holds) and decides which departments get a task there (routing by the data
// that entered it). Both are pure functions of the definition and the data.

// enter returns the state a case entering st ends up in, after passing
// over optional states, and the states passed over. A chain of skips longer
// than the definition has states is a cycle, which Compile cannot always
// rule out (the conditions depend on data), so it is an error here.
func enter(d *Definition, st *State, sc scope, params forms.Params) (*State, []string, error) {
	var (
		skipped []string
		env     map[string]any
	)
	for range len(d.States) + 1 {
		if st.Skip == nil || st.Skip.cond == nil {
			return st, skipped, nil
		}
		if env == nil {
			env = sc.env(params, nil, forms.Values{})
		}
		skip, err := runGuard(nil, st.Skip.cond, env)
		if err != nil {
			return nil, nil, fmt.Errorf("evaluate skip of %s: %w", st.Name, err)
		}
		if !skip {
			return st, skipped, nil
		}
		skipped = append(skipped, st.Name)
		st = d.States[st.Skip.To]
	}
	return nil, nil, fmt.Errorf("workflow %s v%d: skips from %s loop", d.ID, d.Version, skipped[0])
}

// departments returns the departments that get a task on entering st: the
// fan-out's fixed ones, then each routed one whose condition holds. entering
// is the trigger whose submission env entered the state; nil when the state
// was entered by start or by a skip, which see no form. m runs the
// conditions; nil for a machine of their own.
func departments(m *vm.VM, st *State, entering *Trigger, env map[string]any, sc scope, params forms.Params) ([]string, error) {
	f := st.Tasks
	if f == nil {
		return nil, nil
	}
	if len(f.Routes) == 0 {
		return f.Departments, nil
	}
	deps := make([]string, len(f.Departments), len(f.Departments)+len(f.Routes))
	copy(deps, f.Departments)
	if entering == nil || entering.routes == nil {
		env = sc.env(params, nil, forms.Values{})
	}
	for i, r := range f.Routes {
		prog := r.cond
		if entering != nil && entering.routes != nil {
			prog = entering.routes[i]
		}
		if prog == nil {
			continue
		}
		ok, err := runGuard(m, prog, env)
		if err != nil {
			return nil, fmt.Errorf("evaluate route %s of %s: %w", r.Department, st.Name, err)
		}
		if ok {
			deps = append(deps, r.Department)
		}
	}
	return deps, nil
}
