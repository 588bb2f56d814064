package workflows

import (
	"slices"

	"github.com/expr-lang/expr/vm"
	"github.com/qmuntal/stateless"

	"jianfu/forms"
)

// FormNone, as a trigger's form, means the trigger is fired without a form
// even though its state has one (e.g. "no objection" at a notice).
const FormNone = "none"

// Join rules of a FanOut: every department, any one, or a count ("3": three
// of them).
const (
	JoinAll = "all"
	JoinAny = "any"
)

// Reserved trigger names used by Rules for actions that are not transitions.
const (
	TriggerStart        = "start"
	TriggerCompleteTask = "complete_task"
	// TriggerRecord completes a recurring task (the monthly visit record)
	// of the state the case is in; it does not move the case.
	TriggerRecord = "record"
)

// RoleLiaison is the role of department liaisons, who complete fanned-out
// department tasks.
const RoleLiaison = "liaison"

// Definition is one version of a workflow: named states, each with the role
// that acts there, the form it fills and the triggers that lead on. Parse
// builds it from YAML; Compile must succeed before the Engine uses it, after
// which it is read-only and safe to share between goroutines.
type Definition struct {
	ID      string
	Title   string
	Start   string // name of the first state
	Version int    // set by storage when the definition is published
	// Params are the definition's parameters (e.g. notice_days: 5); a
	// locality may overlay them (Snapshot.Params).
	Params forms.Params
	// ParamsByYear holds the params given by year (income_line: {2021:
	// 6000, 2022: 7000}); ParamsFor picks a case's values.
	ParamsByYear map[string]YearValues
	// Overlay is set when the definition was resolved from an overlay;
	// Origins then says where each overridden part comes from.
	Overlay *Overlay
	Origins []Origin
	// Deadline limits the whole procedure, counted from the case's start
	// (Snapshot.StartedAt): no role task falls due after it. Nil for none.
	Deadline *Limit
	// Lists are the department screening lists that start cases of this
	// workflow, one per department (lists.go).
	Lists  []*List
	States map[string]*State
	// Order lists the state names in source order, for display and DOT.
	Order  []string
	File   string // source file name, for problems
	Source []byte // the YAML text, kept for storage and display

	lines map[string]int // definition path → source line, from Parse
	// files maps the paths an overlay supplied to its file; other paths
	// of a resolved overlay belong to the base (baseFile).
	files    map[string]string
	baseFile string
	compiled bool
	// household is set by Compile when an expression reads household data,
	// so storage loads it only for definitions that need it.
	household bool
	// machine fires every action on the definition; built by Compile.
	machine *stateless.StateMachine
}

// UsesHousehold reports whether an expression of the compiled definition
// reads household data (Snapshot.Household); storage need not load it
// otherwise.
func (d *Definition) UsesHousehold() bool { return d.household }

// State is one step of a workflow.
type State struct {
	Name  string
	Title string
	// Role acts here: village, township or county. Empty for final states.
	Role string
	// Form is the form filled to act here, unless a trigger overrides it.
	Form string
	// Final states end the case with Outcome, e.g. 纳入监测.
	Final   bool
	Outcome string
	// Hold keeps the case in this state (e.g. during a public notice) for
	// triggers that do not set IgnoreHold.
	Hold *Hold
	// Tasks fans out one task per department on entry.
	Tasks *FanOut
	// Triggers lead out of the state, in source order.
	Triggers []*Trigger
	// DueWorkingDays or DueCalendarDays is the time limit of the role's
	// task in this state; 0 for none.
	DueWorkingDays  int
	DueCalendarDays int
	// Skip makes the state optional: when its condition holds on entry, the
	// case passes straight on to Skip.To (e.g. no application step where a
	// locality does not require one).
	Skip *Skip
	// Recurring is work generated every period while a case is in this
	// state (the monthly visit under monitoring), by the Scheduler.
	Recurring *Recurring
	// Then, on a final state, names the workflow to start for the same
	// household when a case ends here (entry → monitoring → exit).
	Then string
	Line int

	// actions offers every trigger, in order; built by Compile for Actions
	// to hand out when nothing holds a trigger back.
	actions []Action
}

// Limit is a length of time in working days or calendar days; exactly one
// is set.
type Limit struct {
	WorkingDays  int
	CalendarDays int
}

// Skip passes over an optional state: When is an expression over params,
// household and case; To is where the case goes instead.
type Skip struct {
	When string
	To   string

	cond *vm.Program
}

// Recurring is one task per period for Role, filled with Form, due after
// DueWorkingDays (0: at the end of the period). Every is EveryMonth or
// EveryQuarter.
type Recurring struct {
	Every          string
	Role           string
	Form           string
	Title          string
	DueWorkingDays int
}

// Periods of recurring work.
const (
	EveryMonth   = "month"
	EveryQuarter = "quarter"
)

// Trigger is one way out of a state.
type Trigger struct {
	Name  string
	Title string
	To    string // target state
	// Form overrides the state's form; FormNone for no form.
	Form string
	// When is a guard over the submitted form's values and params; Message
	// is shown when it is false.
	When    string
	Message string
	// IgnoreHold lets the trigger leave during a hold (e.g. an objection).
	IgnoreHold bool
	// Join requires the state's department tasks to be joined.
	Join bool
	// Negative marks a trigger that refuses, returns or sends back: pages
	// show it as a secondary button, so the step's main way forward is the
	// one that stands out on a phone.
	Negative bool
	// Classify is an expression over the same data as When whose text
	// result (a category, a colour band) is stored on the case.
	Classify string
	Line     int

	guard    *vm.Program   // compiled When
	classify *vm.Program   // compiled Classify
	routes   []*vm.Program // the target's FanOut.Routes, compiled against this trigger's form
	// reads are the names guard, classify and routes read (see
	// forms.NamesRead): an action builds only those of their environment.
	reads []string
}

// Hold is how long a case must stay in a state: WorkingDays or CalendarDays,
// each an integer literal or an expression over params ("params.notice_days").
type Hold struct {
	WorkingDays  string
	CalendarDays string

	days *vm.Program // compiled WorkingDays or CalendarDays
	// own is the length with the definition's own params, computed by
	// Compile: the hold of a case without params of its own.
	own int
}

// FanOut creates one task per department on entering a state, filled with
// Form, due after DueWorkingDays (0: no time limit). Departments always get
// a task; each of Routes only when its condition holds over the data that
// entered the state (routing by risk type). Join is JoinAll (every task
// created), JoinAny or a count such as "3".
type FanOut struct {
	Departments    []string
	Routes         []Route
	Form           string
	Join           string
	DueWorkingDays int
}

// Route gives Department a task when When holds.
type Route struct {
	Department string
	When       string

	cond *vm.Program // compiled without a form, for entries by start or skip
}

// has reports whether the fan-out may create a task for department.
func (f *FanOut) has(department string) bool {
	if slices.Contains(f.Departments, department) {
		return true
	}
	return slices.ContainsFunc(f.Routes, func(r Route) bool { return r.Department == department })
}

// Rule is one Casbin policy row a definition implies: Role may fire Trigger
// in State.
type Rule struct{ Role, State, Trigger string }

// Trigger returns the state's trigger of that name, or nil.
func (s *State) Trigger(name string) *Trigger {
	for _, t := range s.Triggers {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// TriggerForm returns the id of the form filled to fire trigger in state: the
// trigger's own form, else the state's; "" when there is none (or the state
// or trigger does not exist).
func (d *Definition) TriggerForm(state, trigger string) string {
	st := d.States[state]
	if st == nil {
		return ""
	}
	t := st.Trigger(trigger)
	if t == nil {
		return ""
	}
	return effectiveForm(st, t)
}

func effectiveForm(st *State, t *Trigger) string {
	switch t.Form {
	case "":
		return st.Form
	case FormNone:
		return ""
	default:
		return t.Form
	}
}

// Rules returns the Casbin rows the definition implies: the acting role of
// every non-final state may fire each of its triggers; liaisons may complete
// the department tasks of states with tasks; the start state's role may start
// a case.
func (d *Definition) Rules() []Rule {
	var rules []Rule
	if st := d.States[d.Start]; st != nil && st.Role != "" {
		rules = append(rules, Rule{Role: st.Role, State: "", Trigger: TriggerStart})
	}
	if len(d.Lists) > 0 {
		// Which department's list a liaison may import is their
		// department, checked by the authorizer like department tasks.
		rules = append(rules, Rule{Role: RoleLiaison, State: "", Trigger: TriggerImportList})
	}
	for _, name := range d.Order {
		st := d.States[name]
		if st == nil || st.Final {
			continue
		}
		for _, t := range st.Triggers {
			rules = append(rules, Rule{Role: st.Role, State: st.Name, Trigger: t.Name})
		}
		if st.Tasks != nil {
			rules = append(rules, Rule{Role: RoleLiaison, State: st.Name, Trigger: TriggerCompleteTask})
		}
		if st.Recurring != nil {
			role := st.Recurring.Role
			if role == "" {
				role = st.Role
			}
			rules = append(rules, Rule{Role: role, State: st.Name, Trigger: TriggerRecord})
		}
	}
	return rules
}

// line returns the source line of a definition path, falling back to the
// nearest enclosing path that has one (0 when built in code).
func (d *Definition) line(path string) int {
	for path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := lastSep(path)
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
	return 0
}

// lastSep finds the end of the parent of a path such as
// "states.a.tasks.departments[2]".
func lastSep(path string) int {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' || path[i] == '[' {
			return i
		}
	}
	return -1
}
