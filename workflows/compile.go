package workflows

import (
	"fmt"
	"slices"
	"strconv"

	"jianfu/forms"
)

// Catalog is what a definition may refer to: published forms, roles and
// departments. Storage or the built-in definitions implement it.
type Catalog interface {
	Form(id string) (*forms.Definition, bool)
	HasRole(name string) bool
	HasDepartment(id string) bool
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
	d.compiled = false
	c := &compiler{d: d, cat: cat}
	c.order()
	c.start()
	for _, name := range d.Order {
		if st := d.States[name]; st != nil {
			c.state(st)
		}
	}
	c.reachability()
	if len(c.problems) > 0 {
		slices.SortStableFunc(c.problems, func(a, b forms.Problem) int { return a.Line - b.Line })
		return c.problems
	}
	d.compiled = true
	return nil
}

type compiler struct {
	d        *Definition
	cat      Catalog
	problems forms.Problems
}

func (c *compiler) add(path, format string, args ...any) {
	c.problems = append(c.problems, forms.Problem{
		File: c.d.File, Line: c.d.line(path), Path: path, Message: fmt.Sprintf(format, args...),
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
	if len(f.Departments) == 0 {
		c.add(path+".departments", "至少需要一个部门")
	}
	seen := map[string]bool{}
	for i, dep := range f.Departments {
		at := fmt.Sprintf("%s.departments[%d]", path, i)
		switch {
		case seen[dep]:
			c.add(at, "部门 %q 重复", dep)
		case !c.cat.HasDepartment(dep):
			c.add(at, "未知的部门 %q", dep)
		}
		seen[dep] = true
	}
	if f.Form == "" {
		c.add(path+".form", "缺少部门任务表单 form")
	} else {
		c.form(f.Form, path+".form")
	}
	if _, err := joinQuorum(f); err != nil {
		c.add(path+".join", "%v", err)
	}
}

// joinQuorum returns how many department tasks must be done.
func joinQuorum(f *FanOut) (int, error) {
	switch f.Join {
	case JoinAll, "":
		return len(f.Departments), nil
	case JoinAny:
		return 1, nil
	}
	n, err := strconv.Atoi(f.Join)
	if err != nil || n < 1 || n > len(f.Departments) {
		return 0, fmt.Errorf("join 应为 all、any 或 1 到 %d 之间的部门数，而不是 %q", len(f.Departments), f.Join)
	}
	return n, nil
}

func (c *compiler) trigger(st *State, t *Trigger, path string) {
	if t.To == "" {
		c.add(path+".to", "缺少目标环节 to")
	} else if c.d.States[t.To] == nil {
		c.add(path+".to", "目标环节 %q 未定义", t.To)
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
	if t.When != "" && formOK {
		c.guard(t, form, path+".when")
	}
}

// reachability reports states the start cannot reach and non-final states
// from which no final state can be reached (the case would be stuck).
func (c *compiler) reachability() {
	d := c.d
	if d.States[d.Start] == nil {
		return // reported by start
	}
	reached := map[string]bool{d.Start: true}
	queue := []string{d.Start}
	for len(queue) > 0 {
		st := d.States[queue[0]]
		queue = queue[1:]
		for _, t := range st.Triggers {
			if d.States[t.To] != nil && !reached[t.To] {
				reached[t.To] = true
				queue = append(queue, t.To)
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
		for _, t := range st.Triggers {
			if d.States[t.To] == nil {
				settle(name)
			}
			into[t.To] = append(into[t.To], name)
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
