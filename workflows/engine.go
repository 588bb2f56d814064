package workflows

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"

	"jianfu/forms"
)

// Authorizer answers "may this user do this here?" (package roles implements
// it with Casbin on the locality tree).
type Authorizer interface {
	// MayFire reports whether username may fire trigger in state of workflow
	// on a household of locality (its 12-digit code). Starting a case is
	// state "" and trigger TriggerStart.
	MayFire(username, workflow, state, trigger, locality string) bool
	// MayCompleteTask reports whether username may complete department's
	// task in state of workflow on a household of locality.
	MayCompleteTask(username, workflow, state, department, locality string) bool
	// MayImportList reports whether username may start cases of workflow
	// from department's screening list on a household of locality.
	MayImportList(username, workflow, department, locality string) bool
}

// FormSource returns the form a household fills.
type FormSource interface {
	// FormFor returns the newest published version of the most specific
	// variant of form id whose locality covers a household of locality
	// (its 12-digit code), else of id itself. Returns NotFound.
	FormFor(id, locality string) (*forms.Definition, error)
}

// Snapshot is what the Engine needs to know of a case to decide one action.
// The Engine never modifies it.
type Snapshot struct {
	Definition *Definition // the pinned, compiled workflow version
	State      string
	EnteredAt  time.Time // when the case entered State; holds count from here
	Locality   string    // the household's 12-digit code
	Tasks      []TaskState
	// Params are the locality's params; the engine lays them over the
	// definition's (nil: the definition's own).
	Params forms.Params
	// StartedAt is when the case started; the definition's Deadline counts
	// from here (zero: no procedure deadline applies).
	StartedAt time.Time
	// Household is the household's data as expressions see it
	// (household.no_labour); nil when there is none.
	Household map[string]any
	// Classification is the case's stored classification (case.classification).
	Classification string
	// FormData loads what def's prefilled fields read (forms.Context's
	// Household and Submissions). The engine calls it only when the input
	// leaves a prefilled field to its source (forms.NeedsPrefill), so an
	// action whose page posted every value reads nothing more; nil: no
	// source holds anything.
	FormData func(def *forms.Definition) (household map[string]any, submissions map[string]map[string]any, err error)
}

// TaskState is one department task of the case's current state.
type TaskState struct {
	Department string
	Done       bool
}

// Transition is the outcome of starting a case or firing a trigger: what the
// caller must store, in one transaction.
type Transition struct {
	Trigger, From, To string
	// Form is the id of the validated submission's form; "" when the
	// trigger takes no form (then Values are empty).
	Form        string
	FormVersion int
	Values      forms.Values
	Final       bool
	Outcome     string
	// Classification, when not empty, is the case's new classification,
	// computed by the trigger's classify expression.
	Classification string
	// Skipped lists the optional states passed over on the way to To.
	Skipped []string
	// Then names the workflow to start for the household when To is a
	// final state that hands over to it; "" otherwise.
	Then string
	// NewTasks are to be created on entering To: the acting role's task, if
	// To has a role, then one per department of To's fan-out.
	NewTasks []NewTask
}

// NewTask is a task to create. A role task has Role set; a department task
// has Department set and Role empty. Due is zero without a time limit.
type NewTask struct {
	Role, Department, Form string
	Due                    time.Time
}

// TaskCompletion is a validated department task submission to store.
type TaskCompletion struct {
	Form        string
	FormVersion int
	Values      forms.Values
}

// Engine decides actions on cases: who may fire what, with which data, and
// where it leads. It holds no state of its own, only a pool of memory its
// actions reuse, and is safe for concurrent use; use it by pointer, never
// copied. A nil Calendar counts Monday to Friday only.
type Engine struct {
	Auth     Authorizer
	Forms    FormSource
	Calendar *Calendar

	// firings pools the actions in flight (see firing).
	firings sync.Pool
}

// errForbidden is the one answer to an unauthorized action; it says nothing
// of what exists.
func errForbidden() *Error { return Errorf(Forbidden, "无权在此环节执行该操作") }

// Start opens a case of def for a household of locality: the actor must be
// allowed to fire TriggerStart. The transition leads from "" to def.Start, or
// past it when the start state is optional and skipped. Returns Forbidden.
func (e *Engine) Start(ctx context.Context, def *Definition, actor User, locality string, now time.Time) (*Transition, error) {
	return e.StartFor(ctx, Snapshot{Definition: def, Locality: locality}, actor, now)
}

// StartFor is Start with what is known of the household: s.Household,
// s.Params and s.Classification (carried over from the case that handed
// over) are seen by the start's skip and route conditions. s.State is
// ignored. Returns Forbidden.
func (e *Engine) StartFor(ctx context.Context, s Snapshot, actor User, now time.Time) (*Transition, error) {
	def := s.Definition
	if err := ready(def); err != nil {
		return nil, err
	}
	if !e.MayStart(def, actor, s.Locality) {
		return nil, errForbidden()
	}
	return e.begin(s, now)
}

// MayStart reports whether actor may start def for a household of
// locality, the question StartFor asks first.
func (e *Engine) MayStart(def *Definition, actor User, locality string) bool {
	return e.Auth.MayFire(actor.Username, def.ID, "", TriggerStart, locality)
}

// HandOver starts s.Definition for the household of a case that ended in a
// final state with then: (Transition.Then). The system starts it, not the
// actor who ended the previous case, so nothing is authorized here.
func (e *Engine) HandOver(s Snapshot, now time.Time) (*Transition, error) {
	if err := ready(s.Definition); err != nil {
		return nil, err
	}
	return e.begin(s, now)
}

// begin is the transition into a new case's first state.
func (e *Engine) begin(s Snapshot, now time.Time) (*Transition, error) {
	def := s.Definition
	s.EnteredAt, s.StartedAt = now, now
	params := s.params()
	sc := s.scope(now)
	first, skipped, err := enter(def, def.States[def.Start], sc, params)
	if err != nil {
		return nil, err
	}
	deps, err := departments(nil, first, nil, nil, sc, params)
	if err != nil {
		return nil, err
	}
	return &Transition{
		Trigger: TriggerStart, To: first.Name, Skipped: skipped,
		Final: first.Final, Outcome: first.Outcome, Then: first.Then,
		NewTasks: e.entryTasks(&s, first, deps, now),
	}, nil
}

// Fire fires trigger on the case with the data of the trigger's form. It
// checks, in this order: authorization (Forbidden), that the trigger leads
// out of the current state (Conflict), the form data (Invalid with Fields),
// the state's hold and the department join (Conflict) and the trigger's
// guard (Invalid with Message); then it fires the trigger on the pinned
// definition's state machine, passes over optional states, computes the
// classification and the departments to fan out to. It never modifies s or
// its Definition.
func (e *Engine) Fire(ctx context.Context, s Snapshot, actor User, trigger string, data map[string]any, now time.Time) (*Transition, error) {
	st, err := current(&s)
	if err != nil {
		return nil, err
	}
	d := s.Definition
	if !e.Auth.MayFire(actor.Username, d.ID, st.Name, trigger, s.Locality) {
		return nil, errForbidden()
	}
	if st.Final {
		return nil, Errorf(Conflict, "该案件已办结（%s），不能再办理", st.Outcome)
	}
	t := st.Trigger(trigger)
	if t == nil {
		return nil, Errorf(Conflict, "「%s」环节不能办理此操作", st.Title)
	}
	params := s.params()
	sub, err := e.submit(&s, actor, effectiveForm(st, t), data, params, now)
	if err != nil {
		return nil, err
	}
	f := e.newFiring(ctx, st)
	defer e.release(f)
	if err := f.allow(e, &s, st, t, params, sub, now); err != nil {
		return nil, err
	}
	to, err := e.transit(f, d, t)
	if err != nil {
		return nil, err
	}
	env, sc := f.env, s.scope(now)
	tr := &Transition{
		Trigger: t.Name, From: st.Name,
		Form: sub.form, FormVersion: sub.version, Values: sub.values,
	}
	if t.classify != nil {
		if tr.Classification, err = runLabel(&f.vm, t.classify, env); err != nil {
			return nil, fmt.Errorf("classify in %s.%s: %w", st.Name, t.Name, err)
		}
	}
	next, skipped, err := enter(d, to, sc, params)
	if err != nil {
		return nil, err
	}
	tr.To, tr.Skipped = next.Name, skipped
	entering := t
	if len(tr.Skipped) > 0 {
		entering = nil // the trigger's data was for a state passed over
	}
	deps, err := departments(&f.vm, next, entering, env, sc, params)
	if err != nil {
		return nil, err
	}
	tr.Final, tr.Outcome, tr.Then = next.Final, next.Outcome, next.Then
	tr.NewTasks = e.entryTasks(&s, next, deps, now)
	return tr, nil
}

// guard evaluates the trigger's When in env (the submission, params,
// household and case).
func guard(m *vm.VM, st *State, t *Trigger, env map[string]any) error {
	if t.guard == nil {
		return nil
	}
	ok, err := runGuard(m, t.guard, env)
	if err != nil {
		// The guard compiled against the form version in the catalog; a
		// newer form that dropped a field it reads lands here.
		return fmt.Errorf("evaluate guard of %s.%s: %w", st.Name, t.Name, err)
	}
	if ok {
		return nil
	}
	msg := t.Message
	if msg == "" {
		msg = fmt.Sprintf("不满足「%s」的办理条件", t.Title)
	}
	return &Error{Code: Invalid, Message: msg, Fields: forms.FieldErrors{{Field: "", Message: msg}}}
}

// submission is validated form data.
type submission struct {
	def     *forms.Definition
	form    string
	version int
	values  forms.Values
}

// submit validates data against the newest version of form's variant for
// the case's locality, with the form's params of the year the case started
// under the case's params; without a form the data is ignored. The
// submission pins the variant it was filled against.
func (e *Engine) submit(s *Snapshot, actor User, form string, data map[string]any, params forms.Params, now time.Time) (submission, error) {
	if form == "" {
		return submission{}, nil
	}
	def, err := e.Forms.FormFor(form, s.Locality)
	if err != nil {
		return submission{}, fmt.Errorf("load form %s: %w", form, err)
	}
	fctx := forms.Context{Params: def.ParamsFor(s.StartedAt).Under(params), Now: now}
	if def.NeedsPrefill(data) {
		fctx.User = map[string]any{"name": actor.Name}
		fctx.Today = now.In(chinaTime).Format(time.DateOnly)
		if s.FormData != nil {
			if fctx.Household, fctx.Submissions, err = s.FormData(def); err != nil {
				return submission{}, fmt.Errorf("load prefill data of form %s: %w", form, err)
			}
		}
	}
	values, problems := def.Check(data, fctx)
	if len(problems) > 0 {
		return submission{}, &Error{Code: Invalid, Message: "表单填写有误，请按提示修改后重新提交", Fields: problems}
	}
	return submission{def: def, form: def.ID, version: def.Version, values: values}, nil
}

// entryTasks are the tasks to create on entering st: the role's task and one
// per department of deps. No task falls due after the procedure's deadline.
func (e *Engine) entryTasks(s *Snapshot, st *State, deps []string, now time.Time) []NewTask {
	if st.Final {
		return nil
	}
	end := e.procedureEnd(s)
	n := len(deps)
	if st.Role != "" {
		n++
	}
	// The tasks are filled field by field: copying a NewTask into the
	// slice whole takes the collector's bulk barrier while it marks.
	tasks := make([]NewTask, n)
	i := 0
	if st.Role != "" {
		due := e.due(now, Limit{WorkingDays: st.DueWorkingDays, CalendarDays: st.DueCalendarDays})
		t := &tasks[0]
		t.Role, t.Form, t.Due = st.Role, st.Form, earliest(due, end)
		i++
	}
	if f := st.Tasks; f != nil {
		due := earliest(e.due(now, Limit{WorkingDays: f.DueWorkingDays}), end)
		for _, dep := range deps {
			t := &tasks[i]
			t.Department, t.Form, t.Due = dep, f.Form, due
			i++
		}
	}
	return tasks
}

// due returns the end of a time limit that starts now; zero without one.
func (e *Engine) due(now time.Time, l Limit) time.Time {
	switch {
	case l.WorkingDays > 0:
		return e.Calendar.AddWorkingDays(now, l.WorkingDays)
	case l.CalendarDays > 0:
		return e.Calendar.CalendarHoldEnd(now, l.CalendarDays).Add(-time.Second)
	}
	return time.Time{}
}

// procedureEnd is when the definition's whole-procedure deadline falls, zero
// when it has none or the case's start is unknown.
func (e *Engine) procedureEnd(s *Snapshot) time.Time {
	if s.Definition.Deadline == nil || s.StartedAt.IsZero() {
		return time.Time{}
	}
	return e.due(s.StartedAt, *s.Definition.Deadline)
}

// earliest returns the earlier of two due times, zero meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// ready checks that a definition may be used by the Engine.
func ready(d *Definition) error {
	if d == nil {
		return errors.New("workflow definition is nil")
	}
	if !d.compiled {
		return fmt.Errorf("workflow %s v%d is not compiled", d.ID, d.Version)
	}
	return nil
}

// current returns the case's state in its pinned definition.
func current(s *Snapshot) (*State, error) {
	if err := ready(s.Definition); err != nil {
		return nil, err
	}
	st := s.Definition.States[s.State]
	if st == nil {
		return nil, fmt.Errorf("case state %q is not in workflow %s v%d", s.State, s.Definition.ID, s.Definition.Version)
	}
	return st, nil
}

// params returns the definition's params overlaid by the snapshot's, so a
// locality that overrides only notice_days keeps the other defaults.
func (s *Snapshot) params() forms.Params {
	base := s.Definition.Params
	if len(s.Params) == 0 {
		return base
	}
	merged := make(forms.Params, len(base)+len(s.Params))
	for k, v := range base {
		merged[k] = v
	}
	for k, v := range s.Params {
		merged[k] = v
	}
	return merged
}
