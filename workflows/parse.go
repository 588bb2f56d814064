package workflows

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"jianfu/forms"
)

// Parse reads a workflow definition from YAML. It checks the shape of the
// document (keys, types, names) and reports every problem it finds as
// forms.Problems, each with file, line and path ("states.notice.on.objection.to");
// references between states and to forms, roles and departments are checked
// by Compile.
func Parse(file string, src []byte) (*Definition, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, forms.Problems{yamlProblem(file, err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, forms.Problems{{File: file, Line: 1, Message: "定义为空"}}
	}
	return parseRoot(file, src, doc.Content[0])
}

// parseRoot builds a definition from the root node of a document; overlays
// pass the merged tree of overlay and base.
func parseRoot(file string, src []byte, root *yaml.Node) (*Definition, error) {
	p := &parser{file: file, lines: map[string]int{}}
	d := &Definition{File: file, Source: src, States: map[string]*State{}, lines: p.lines}
	p.definition(root, d)
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return d, nil
}

// yamlProblem turns a YAML syntax error ("yaml: line 3: ...") into a Problem.
func yamlProblem(file string, err error) forms.Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, tail, ok := strings.Cut(rest, ":"); ok {
			if l, err := strconv.Atoi(n); err == nil {
				line, msg = l, strings.TrimSpace(tail)
			}
		}
	}
	return forms.Problem{File: file, Line: line, Message: "YAML 语法错误：" + forms.YAMLMessage(msg)}
}

// parser walks the YAML node tree, recording the line of every path it
// visits and every problem it meets.
type parser struct {
	file     string
	problems forms.Problems
	lines    map[string]int
}

func (p *parser) add(line int, path, format string, args ...any) {
	p.problems = append(p.problems, forms.Problem{
		File: p.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...),
	})
}

// entry is one key of a YAML mapping.
type entry struct {
	key   string
	keyAt int // line of the key
	value *yaml.Node
}

// mapping returns the entries of a mapping node in source order, reporting
// a node of another kind, aliases and duplicate keys.
func (p *parser) mapping(n *yaml.Node, path string) ([]entry, bool) {
	if n.Kind == yaml.AliasNode {
		p.add(n.Line, path, "不支持 YAML 锚点引用（*别名），请直接写出内容")
		return nil, false
	}
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, path, "应为键值映射（key: value）")
		return nil, false
	}
	entries := make([]entry, 0, len(n.Content)/2)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.add(k.Line, path, "键必须是文字")
			continue
		}
		if seen[k.Value] {
			p.add(k.Line, join(path, k.Value), "重复的键 %q", k.Value)
			continue
		}
		seen[k.Value] = true
		p.lines[join(path, k.Value)] = k.Line
		entries = append(entries, entry{key: k.Value, keyAt: k.Line, value: v})
	}
	return entries, true
}

// scalar returns the text of a non-null scalar node.
func (p *parser) scalar(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.add(n.Line, path, "应为单个值")
		return "", false
	}
	p.lines[path] = n.Line
	return n.Value, true
}

func (p *parser) name(n *yaml.Node, path string) (string, bool) {
	s, ok := p.scalar(n, path)
	if !ok {
		return "", false
	}
	if !validName(s) {
		p.add(n.Line, path, "名称 %q 无效：须以小写字母开头，只含小写字母、数字和下划线", s)
		return "", false
	}
	return s, true
}

func (p *parser) boolean(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.add(n.Line, path, "应为 true 或 false")
		return false
	}
	p.lines[path] = n.Line
	return n.Value == "true"
}

// count reads a non-negative integer of at most 366 (days).
func (p *parser) count(n *yaml.Node, path string) int {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		if v, err := strconv.Atoi(n.Value); err == nil && v >= 0 && v <= maxDays {
			p.lines[path] = n.Line
			return v
		}
	}
	p.add(n.Line, path, "应为 0 到 %d 之间的整数", maxDays)
	return 0
}

func (p *parser) names(n *yaml.Node, path string) []string {
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, path, "应为列表")
		return nil
	}
	p.lines[path] = n.Line
	out := make([]string, 0, len(n.Content))
	for i, item := range n.Content {
		if s, ok := p.name(item, fmt.Sprintf("%s[%d]", path, i)); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) unknown(e entry, path string) {
	p.add(e.keyAt, join(path, e.key), "未知的配置项 %q", e.key)
}

func (p *parser) definition(n *yaml.Node, d *Definition) {
	entries, ok := p.mapping(n, "")
	if !ok {
		return
	}
	var hasStates bool
	for _, e := range entries {
		switch e.key {
		case "id":
			d.ID, _ = p.name(e.value, "id")
		case "title":
			d.Title, _ = p.scalar(e.value, "title")
		case "start":
			d.Start, _ = p.name(e.value, "start")
		case "params":
			d.Params, d.ParamsByYear = p.params(e.value, "params")
		case "deadline":
			d.Deadline = p.limit(e.value, "deadline")
		case "lists":
			d.Lists = p.lists(e.value, "lists")
		case "states":
			hasStates = true
			p.states(e.value, d)
		default:
			p.unknown(e, "")
		}
	}
	required := []struct {
		key     string
		missing bool
	}{{"id", d.ID == ""}, {"title", d.Title == ""}, {"start", d.Start == ""}, {"states", !hasStates}}
	for _, r := range required {
		if r.missing && p.lines[r.key] == 0 {
			p.add(n.Line, r.key, "缺少 %s", r.key)
		}
	}
}

// params reads params: a value, or values by year ({2021: 6000, 2022: 7000}).
// A param by year also appears in the first map with its newest year's
// value, which types expressions and serves a definition used without a
// case (ParamsFor picks the year of a case).
func (p *parser) params(n *yaml.Node, path string) (forms.Params, map[string]YearValues) {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil, nil
	}
	params := forms.Params{}
	var byYear map[string]YearValues
	for _, e := range entries {
		at := join(path, e.key)
		if !validName(e.key) {
			p.add(e.keyAt, at, "参数名 %q 无效：须以小写字母开头，只含小写字母、数字和下划线", e.key)
			continue
		}
		if e.value.Kind == yaml.MappingNode {
			years := p.yearValues(e.value, at)
			if len(years) == 0 {
				continue
			}
			if byYear == nil {
				byYear = map[string]YearValues{}
			}
			byYear[e.key] = years
			params[e.key] = years[len(years)-1].Value
			continue
		}
		if v, ok := p.paramValue(e.value, at); ok {
			params[e.key] = v
		}
	}
	return params, byYear
}

func (p *parser) paramValue(n *yaml.Node, at string) (any, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.add(n.Line, at, "参数值应为数字、文字或 true/false，或按年度给出（2022: 7000）")
		return nil, false
	}
	var v any
	if err := n.Decode(&v); err != nil {
		p.add(n.Line, at, "参数值无法读取：%v", err)
		return nil, false
	}
	return v, true
}

func (p *parser) states(n *yaml.Node, d *Definition) {
	entries, ok := p.mapping(n, "states")
	if !ok {
		return
	}
	if len(entries) == 0 {
		p.add(n.Line, "states", "至少需要一个环节")
	}
	for _, e := range entries {
		path := join("states", e.key)
		if !validName(e.key) {
			p.add(e.keyAt, path, "环节名 %q 无效：须以小写字母开头，只含小写字母、数字和下划线", e.key)
			continue
		}
		st := &State{Name: e.key, Line: e.keyAt}
		p.state(e.value, path, st)
		d.States[st.Name] = st
		d.Order = append(d.Order, st.Name)
	}
}

func (p *parser) state(n *yaml.Node, path string, st *State) {
	entries, ok := p.mapping(n, path)
	if !ok {
		return
	}
	for _, e := range entries {
		at := join(path, e.key)
		switch e.key {
		case "title":
			st.Title, _ = p.scalar(e.value, at)
		case "role":
			st.Role, _ = p.name(e.value, at)
		case "form":
			st.Form, _ = p.name(e.value, at)
		case "final":
			st.Final = p.boolean(e.value, at)
		case "outcome":
			st.Outcome, _ = p.scalar(e.value, at)
		case "hold":
			st.Hold = p.hold(e.value, at)
		case "tasks":
			st.Tasks = p.fanOut(e.value, at)
		case "due_working_days":
			st.DueWorkingDays = p.count(e.value, at)
		case "due_calendar_days":
			st.DueCalendarDays = p.count(e.value, at)
		case "skip":
			st.Skip = p.skip(e.value, at)
		case "recurring":
			st.Recurring = p.recurring(e.value, at)
		case "then":
			st.Then, _ = p.name(e.value, at)
		case "on":
			st.Triggers = p.triggers(e.value, at)
		default:
			p.unknown(e, path)
		}
	}
	if st.Title == "" && p.lines[join(path, "title")] == 0 {
		p.add(st.Line, join(path, "title"), "环节缺少标题 title")
	}
}

func (p *parser) hold(n *yaml.Node, path string) *Hold {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	h := &Hold{}
	for _, e := range entries {
		at := join(path, e.key)
		switch e.key {
		case "working_days":
			h.WorkingDays = p.days(e.value, at)
		case "calendar_days":
			h.CalendarDays = p.days(e.value, at)
		default:
			p.unknown(e, path)
		}
	}
	if (h.WorkingDays == "") == (h.CalendarDays == "") {
		p.add(n.Line, path, "须且只能设置 working_days 或 calendar_days 之一")
	}
	return h
}

// days reads a hold length: an integer literal or an expression over params.
func (p *parser) days(n *yaml.Node, path string) string {
	s, ok := p.scalar(n, path)
	if !ok {
		return ""
	}
	if strings.TrimSpace(s) == "" {
		p.add(n.Line, path, "天数不能为空")
	}
	return s
}

func (p *parser) fanOut(n *yaml.Node, path string) *FanOut {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	f := &FanOut{Join: JoinAll}
	for _, e := range entries {
		at := join(path, e.key)
		switch e.key {
		case "departments":
			f.Departments = p.names(e.value, at)
		case "route":
			f.Routes = p.routes(e.value, at)
		case "form":
			f.Form, _ = p.name(e.value, at)
		case "join":
			f.Join, _ = p.scalar(e.value, at)
		case "due_working_days":
			f.DueWorkingDays = p.count(e.value, at)
		default:
			p.unknown(e, path)
		}
	}
	return f
}

// limit reads {working_days: N} or {calendar_days: N}.
func (p *parser) limit(n *yaml.Node, path string) *Limit {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	l := &Limit{}
	for _, e := range entries {
		at := join(path, e.key)
		switch e.key {
		case "working_days":
			l.WorkingDays = p.count(e.value, at)
		case "calendar_days":
			l.CalendarDays = p.count(e.value, at)
		default:
			p.unknown(e, path)
		}
	}
	if (l.WorkingDays == 0) == (l.CalendarDays == 0) {
		p.add(n.Line, path, "须且只能设置 working_days 或 calendar_days 之一（大于0）")
	}
	return l
}

func (p *parser) skip(n *yaml.Node, path string) *Skip {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	s := &Skip{}
	for _, e := range entries {
		at := join(path, e.key)
		switch e.key {
		case "when":
			s.When, _ = p.scalar(e.value, at)
		case "to":
			s.To, _ = p.name(e.value, at)
		default:
			p.unknown(e, path)
		}
	}
	if s.When == "" && p.lines[join(path, "when")] == 0 {
		p.add(n.Line, join(path, "when"), "skip 缺少条件 when")
	}
	if s.To == "" && p.lines[join(path, "to")] == 0 {
		p.add(n.Line, join(path, "to"), "skip 缺少目标环节 to")
	}
	return s
}

func (p *parser) recurring(n *yaml.Node, path string) *Recurring {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	r := &Recurring{}
	for _, e := range entries {
		at := join(path, e.key)
		switch e.key {
		case "every":
			r.Every, _ = p.scalar(e.value, at)
		case "role":
			r.Role, _ = p.name(e.value, at)
		case "form":
			r.Form, _ = p.name(e.value, at)
		case "title":
			r.Title, _ = p.scalar(e.value, at)
		case "due_working_days":
			r.DueWorkingDays = p.count(e.value, at)
		default:
			p.unknown(e, path)
		}
	}
	if r.Every != EveryMonth && r.Every != EveryQuarter {
		p.add(n.Line, join(path, "every"), "every 应为 month 或 quarter，而不是 %q", r.Every)
	}
	return r
}

// routes reads a mapping of department → condition, in source order.
func (p *parser) routes(n *yaml.Node, path string) []Route {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	out := make([]Route, 0, len(entries))
	for _, e := range entries {
		at := join(path, e.key)
		if !validName(e.key) {
			p.add(e.keyAt, at, "部门名 %q 无效", e.key)
			continue
		}
		if cond, ok := p.scalar(e.value, at); ok {
			out = append(out, Route{Department: e.key, When: cond})
		}
	}
	return out
}

func (p *parser) triggers(n *yaml.Node, path string) []*Trigger {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	out := make([]*Trigger, 0, len(entries))
	for _, e := range entries {
		at := join(path, e.key)
		if !validName(e.key) {
			p.add(e.keyAt, at, "操作名 %q 无效：须以小写字母开头，只含小写字母、数字和下划线", e.key)
			continue
		}
		if e.key == TriggerStart || e.key == TriggerCompleteTask || e.key == TriggerRecord || e.key == TriggerImportList {
			p.add(e.keyAt, at, "操作名 %q 为系统保留", e.key)
			continue
		}
		t := &Trigger{Name: e.key, Line: e.keyAt}
		if e.value.Kind == yaml.ScalarNode {
			// Short form "submit: verification": the value is the target.
			t.To, _ = p.name(e.value, join(at, "to"))
		} else {
			p.trigger(e.value, at, t)
		}
		out = append(out, t)
	}
	return out
}

func (p *parser) trigger(n *yaml.Node, path string, t *Trigger) {
	entries, ok := p.mapping(n, path)
	if !ok {
		return
	}
	for _, e := range entries {
		at := join(path, e.key)
		switch e.key {
		case "to":
			t.To, _ = p.name(e.value, at)
		case "title":
			t.Title, _ = p.scalar(e.value, at)
		case "form":
			t.Form, _ = p.name(e.value, at)
		case "when":
			t.When, _ = p.scalar(e.value, at)
		case "message":
			t.Message, _ = p.scalar(e.value, at)
		case "ignore_hold":
			t.IgnoreHold = p.boolean(e.value, at)
		case "join":
			t.Join = p.boolean(e.value, at)
		case "negative":
			t.Negative = p.boolean(e.value, at)
		case "classify":
			t.Classify, _ = p.scalar(e.value, at)
		default:
			p.unknown(e, path)
		}
	}
	if t.To == "" && p.lines[join(path, "to")] == 0 {
		p.add(t.Line, join(path, "to"), "缺少目标环节 to")
	}
}

// maxDays bounds every count of days in a definition: a year is the longest
// hold or time limit any locality uses, and the bound keeps calendar walks short.
const maxDays = 366

// validName reports whether s may name an id, state, trigger, form, role or
// parameter: they appear in expressions, URLs and policy rows, so they are
// lower-case ASCII identifiers of at most 64 bytes.
func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
