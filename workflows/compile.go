package workflows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"jianfu/forms"
)

// Catalog is what a definition may refer to: published forms, roles and
// departments. Storage or the built-in definitions implement it.
type Catalog interface {
	Form(id string) (*forms.Definition, bool)
	HasRole(name string) bool
	HasDepartment(id string) bool
}

// WorkflowCatalog is a Catalog that also knows the workflows a final state
// may hand over to (then:). Without it, then: is checked for shape only,
// since a chain's workflows may be published in any order.
type WorkflowCatalog interface {
	Catalog
	HasWorkflow(id string) bool
}

// Compile lints d against the catalog and compiles its guards and hold
// expressions, once. It must succeed before the Engine uses d, and must not
// run while d is in use. It reports every problem as forms.Problems with the
// line and path of each: unknown states, roles, forms and departments; a
// missing start; unreachable states; non-final states with no way to a final
// state; final states with triggers, holds or tasks; guards that do not
// compile or are not boolean against the trigger's form and params; holds
// that are not a whole number of days; join triggers on states without tasks.
func (d *Definition) Compile(cat Catalog) error {
	d.compiled, d.machine = false, nil
	c := &compiler{d: d, cat: cat}
	c.order()
	c.start()
	for _, name := range d.Order {
		if st := d.States[name]; st != nil {
			c.state(st)
		}
	}
	c.entryRoutes()
	c.lists()
	c.reachability()
	if len(c.problems) > 0 {
		slices.SortStableFunc(c.problems, func(a, b forms.Problem) int { return a.Line - b.Line })
		return c.problems
	}
	d.household = readsHousehold(d)
	for _, st := range d.States {
		st.actions = offers(st)
	}
	d.machine = newMachine(d)
	d.compiled = true
	return nil
}

// readsHousehold reports whether any expression of d mentions household. A
// textual test may say yes for a string literal "household"; that only
// costs storage one needless read.
func readsHousehold(d *Definition) bool {
	mentions := func(src string) bool { return strings.Contains(src, "household") }
	for _, name := range d.Order {
		st := d.States[name]
		if st.Skip != nil && mentions(st.Skip.When) {
			return true
		}
		if st.Tasks != nil && slices.ContainsFunc(st.Tasks.Routes, func(r Route) bool { return mentions(r.When) }) {
			return true
		}
		for _, t := range st.Triggers {
			if mentions(t.When) || mentions(t.Classify) {
				return true
			}
		}
	}
	return false
}

type compiler struct {
	d        *Definition
	cat      Catalog
	problems forms.Problems
	// unknownTargets counts transitions to undefined states: the states
	// they were meant to reach then look unreachable, which says nothing
	// new, so reachability keeps quiet.
	unknownTargets int
}

// unknownTarget reports a transition to a state the definition lacks,
// naming the state most probably meant.
func (c *compiler) unknownTarget(path, to string) {
	c.unknownTargets++
	best, bestDist := "", 3 // a typo is at most two edits away
	for _, name := range c.d.Order {
		if d := levenshtein.Distance(to, name, nil); d < bestDist {
			best, bestDist = name, d
		}
	}
	if best == "" {
		c.add(path, "目标环节 %q 未定义", to)
		return
	}
	c.add(path, "目标环节 %q 未定义；是否应为 %s（%s）？", to, best, c.d.States[best].Title)
}

func (c *compiler) add(path, format string, args ...any) {
	c.problems = append(c.problems, forms.Problem{
		File: c.d.fileOf(path), Line: c.d.line(path), Path: path, Message: fmt.Sprintf(format, args...),
	})
}

// order makes Order list every state once, so that a definition built in
// code (without Parse) can leave it empty.
func (c *compiler) order() {
	d := c.d
	if len(d.Order) == 0 {
		for name, st := range d.States {
			if st == nil {
				c.add("states", "环节 %q 未定义", name)
				continue
			}
			d.Order = append(d.Order, name)
		}
		slices.Sort(d.Order)
		return
	}
	listed := map[string]bool{}
	kept := d.Order[:0:0]
	for _, name := range d.Order {
		if d.States[name] == nil || listed[name] {
			c.add("states", "环节顺序 Order 中的 %q 未定义或重复", name)
			continue
		}
		listed[name] = true
		kept = append(kept, name)
	}
	var unlisted []string
	for name := range d.States {
		if !listed[name] {
			unlisted = append(unlisted, name)
		}
	}
	slices.Sort(unlisted)
	for _, name := range unlisted {
		c.add("states", "环节 %q 未列入 Order", name)
	}
	d.Order = kept
}

func (c *compiler) start() {
	switch {
	case len(c.d.States) == 0:
		c.add("states", "至少需要一个环节")
	case c.d.Start == "":
		c.add("start", "缺少开始环节 start")
	case c.d.States[c.d.Start] == nil:
		c.add("start", "开始环节 %q 未定义", c.d.Start)
	case c.d.States[c.d.Start].Final:
		c.add("start", "开始环节不能是结束环节")
	}
}

func (c *compiler) state(st *State) {
	path := "states." + st.Name
	if st.Final {
		c.final(st, path)
		return
	}
	if st.Outcome != "" {
		c.add(path+".outcome", "只有结束环节才能设置结果 outcome")
	}
	switch {
	case st.Role == "":
		c.add(path+".role", "缺少办理角色 role")
	case !c.cat.HasRole(st.Role):
		c.add(path+".role", "未知的角色 %q", st.Role)
	}
	c.form(st.Form, path+".form")
	if st.Hold != nil {
		c.hold(st.Hold, path+".hold")
	}
	if st.Tasks != nil {
		c.fanOut(st.Tasks, path+".tasks")
	}
	if st.DueWorkingDays > 0 && st.DueCalendarDays > 0 {
		c.add(path+".due_calendar_days", "due_working_days 与 due_calendar_days 只能设置一个")
	}
	if st.Then != "" {
		c.add(path+".then", "只有结束环节才能设置 then（办结后启动的流程）")
	}
	if st.Skip != nil {
		c.skip(st, path+".skip")
	}
	if st.Recurring != nil {
		c.recurring(st.Recurring, path+".recurring")
	}
	if len(st.Triggers) == 0 {
		c.add(path+".on", "非结束环节没有任何出口（on）")
	}
	for _, t := range st.Triggers {
		c.trigger(st, t, path+".on."+t.Name)
	}
}

func (c *compiler) final(st *State, path string) {
	if st.Outcome == "" {
		c.add(path+".outcome", "结束环节须设置结果 outcome（如：纳入监测）")
	}
	if len(st.Triggers) > 0 {
		c.add(path+".on", "结束环节不能再有出口（on）")
	}
	if st.Hold != nil {
		c.add(path+".hold", "结束环节不能设置 hold")
	}
	if st.Tasks != nil {
		c.add(path+".tasks", "结束环节不能派发部门任务 tasks")
	}
	if st.Skip != nil || st.Recurring != nil {
		c.add(path, "结束环节不能设置 skip 或 recurring")
	}
	if st.Then == "" {
		return
	}
	if st.Then == c.d.ID {
		c.add(path+".then", "流程不能在办结后再启动自身")
	} else if wc, ok := c.cat.(WorkflowCatalog); ok && !wc.HasWorkflow(st.Then) {
		c.add(path+".then", "未知的流程 %q", st.Then)
	}
}

// skip checks an optional state's condition and target. The condition sees
// params, household and case, not a form: nothing has been filled yet.
func (c *compiler) skip(st *State, path string) {
	s := st.Skip
	s.cond = nil
	switch {
	case s.To == st.Name:
		c.add(path+".to", "skip 不能指向环节自身")
	case c.d.States[s.To] == nil:
		c.unknownTarget(path+".to", s.To)
	}
	if s.When != "" {
		s.cond = c.condition(s.When, typeEnv(nil, c.d.Params), path+".when")
	}
}

func (c *compiler) recurring(r *Recurring, path string) {
	switch {
	case r.Role == "":
		c.add(path+".role", "缺少办理角色 role")
	case !c.cat.HasRole(r.Role):
		c.add(path+".role", "未知的角色 %q", r.Role)
	}
	if r.Form == "" {
		c.add(path+".form", "缺少周期任务表单 form")
	} else {
		c.form(r.Form, path+".form")
	}
}

// form checks that a form id, if any, names a catalog form.
func (c *compiler) form(id, path string) *forms.Definition {
	if id == "" {
		return nil
	}
	f, ok := c.cat.Form(id)
	if !ok {
		c.add(path, "未知的表单 %q", id)
		return nil
	}
	return f
}

func (c *compiler) fanOut(f *FanOut, path string) {
	if len(f.Departments) == 0 && len(f.Routes) == 0 {
		c.add(path+".departments", "至少需要一个部门（departments 或 route）")
	}
	seen := map[string]bool{}
	department := func(dep, at string) {
		switch {
		case seen[dep]:
			c.add(at, "部门 %q 重复", dep)
		case !c.cat.HasDepartment(dep):
			c.add(at, "未知的部门 %q", dep)
		}
		seen[dep] = true
	}
	for i, dep := range f.Departments {
		department(dep, fmt.Sprintf("%s.departments[%d]", path, i))
	}
	for _, r := range f.Routes {
		department(r.Department, path+".route."+r.Department)
	}
	if f.Form == "" {
		c.add(path+".form", "缺少部门任务表单 form")
	} else {
		c.form(f.Form, path+".form")
	}
	if _, err := joinQuorum(f, len(f.Departments)+len(f.Routes)); err != nil {
		c.add(path+".join", "%v", err)
	}
}

// joinQuorum returns how many of created department tasks must be done. A
// count must not exceed the departments that always get a task: a routed
// department may get none, and a join waiting for it would never complete.
func joinQuorum(f *FanOut, created int) (int, error) {
	switch f.Join {
	case JoinAll, "":
		return created, nil
	case JoinAny:
		return min(1, created), nil
	}
	n, err := strconv.Atoi(f.Join)
	if err != nil || n < 1 || n > len(f.Departments) {
		if len(f.Routes) > 0 {
			return 0, fmt.Errorf("join 应为 all、any 或 1 到 %d 之间的部门数（按条件派发的部门可能没有任务，会审将永远无法完成），而不是 %q", len(f.Departments), f.Join)
		}
		return 0, fmt.Errorf("join 应为 all、any 或 1 到 %d 之间的部门数，而不是 %q", len(f.Departments), f.Join)
	}
	return n, nil
}

func (c *compiler) trigger(st *State, t *Trigger, path string) {
	if t.To == "" {
		c.add(path+".to", "缺少目标环节 to")
	} else if c.d.States[t.To] == nil {
		c.unknownTarget(path+".to", t.To)
	}
	if t.Title == "" {
		t.Title = t.Name
		if to := c.d.States[t.To]; to != nil {
			t.Title = "转" + to.Title
		}
	}
	var form *forms.Definition
	formOK := true
	if t.Form != "" && t.Form != FormNone {
		form = c.form(t.Form, path+".form")
		formOK = form != nil
	} else if id := effectiveForm(st, t); id != "" {
		form, formOK = c.cat.Form(id) // an unknown state form is reported once, at the state
	}
	if t.Join && st.Tasks == nil {
		c.add(path+".join", "环节 %q 没有部门任务（tasks），不能要求 join", st.Name)
	}
	if t.Message != "" && t.When == "" {
		c.add(path+".message", "message 只能与 when 一起使用")
	}
	t.guard, t.classify, t.routes, t.reads = nil, nil, nil, nil
	if !formOK {
		return
	}
	env := typeEnv(form, c.d.Params)
	if t.When != "" {
		t.guard = c.condition(t.When, env, path+".when")
	}
	if t.Classify != "" {
		t.classify = c.label(t.Classify, env, path+".classify")
	}
	c.routes(t, env, path)
	t.reads = forms.NamesRead(append([]*vm.Program{t.guard, t.classify}, t.routes...)...)
}

// routes compiles the target's routing conditions against the data this
// trigger submits: each way into a routed state must give every condition
// what it reads.
func (c *compiler) routes(t *Trigger, env map[string]any, path string) {
	to := c.d.States[t.To]
	if to == nil || to.Tasks == nil || len(to.Tasks.Routes) == 0 {
		return
	}
	t.routes = make([]*vm.Program, len(to.Tasks.Routes))
	for i, r := range to.Tasks.Routes {
		prog, err := compileExpr(r.When, env, expr.AsBool())
		if err != nil {
			c.add("states."+to.Name+".tasks.route."+r.Department,
				"条件表达式有误（经由 %s 进入时）：%v", strings.TrimPrefix(path, "states."), err)
			continue
		}
		t.routes[i] = prog
	}
}

// entryRoutes compiles the routing conditions of states entered without a
// form (the start state, and targets of skips) against params, household
// and case only.
func (c *compiler) entryRoutes() {
	d := c.d
	formless := map[string]bool{d.Start: true}
	for _, name := range d.Order {
		if s := d.States[name].Skip; s != nil {
			formless[s.To] = true
		}
	}
	env := typeEnv(nil, d.Params)
	for _, name := range d.Order {
		st := d.States[name]
		if st.Tasks == nil {
			continue
		}
		for i := range st.Tasks.Routes {
			r := &st.Tasks.Routes[i]
			r.cond = nil
			if !formless[name] {
				continue
			}
			prog, err := compileExpr(r.When, env, expr.AsBool())
			if err != nil {
				c.add("states."+name+".tasks.route."+r.Department, "条件表达式有误（不经表单进入时）：%v", err)
				continue
			}
			r.cond = prog
		}
	}
}

// reachability reports states the start cannot reach and non-final states
// from which no final state can be reached (the case would be stuck).
func (c *compiler) reachability() {
	d := c.d
	if d.States[d.Start] == nil || c.unknownTargets > 0 {
		return // reported by start, or by the transitions' targets
	}
	reached := map[string]bool{d.Start: true}
	queue := []string{d.Start}
	for len(queue) > 0 {
		st := d.States[queue[0]]
		queue = queue[1:]
		for _, to := range exits(st) {
			if d.States[to] != nil && !reached[to] {
				reached[to] = true
				queue = append(queue, to)
			}
		}
	}
	ends := c.settled()
	for _, name := range d.Order {
		switch {
		case !reached[name]:
			c.add("states."+name, "环节 %q 从开始环节无法到达", name)
		case !ends[name]:
			c.add("states."+name, "从环节 %q 无法到达任何结束环节", name)
		}
	}
}

// settled returns the states from which a final state can be reached, by
// walking the triggers backwards. States already reported as dead ends, and
// triggers to undefined states, count as settled so that one mistake is not
// reported again at every state before it.
func (c *compiler) settled() map[string]bool {
	d := c.d
	into := map[string][]string{} // target → sources
	ends := map[string]bool{}
	var queue []string
	settle := func(name string) {
		if !ends[name] {
			ends[name] = true
			queue = append(queue, name)
		}
	}
	for _, name := range d.Order {
		st := d.States[name]
		if st.Final || len(st.Triggers) == 0 {
			settle(name)
		}
		for _, to := range exits(st) {
			if d.States[to] == nil {
				settle(name)
			}
			into[to] = append(into[to], name)
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		for _, from := range into[name] {
			settle(from)
		}
	}
	return ends
}

// exits lists the states a case may go to from st: its triggers' targets
// and, for an optional state, where a skip leads.
func exits(st *State) []string {
	out := make([]string, 0, len(st.Triggers)+1)
	for _, t := range st.Triggers {
		out = append(out, t.To)
	}
	if st.Skip != nil && st.Skip.To != "" {
		out = append(out, st.Skip.To)
	}
	return out
}
