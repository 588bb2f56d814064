package forms

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
)

// compile compiles every expression of the form against its typed scope and
// orders the fields whose value or relevance is computed. Compiling here,
// once per definition, is what lets Validate only run programs.
func (p *parser) compile(d *Definition) {
	scope := rowType(d.flat)
	scope["params"] = paramsType(d.Params)
	p.compileLevel(d.Fields, scope)
	d.order = p.order(d)
	d.batches = batches(d.order)
	d.layout()
}

// batches cuts the dependency order into runs of consecutive fields of the
// same level (the form, or one repeat); settling a run row by row keeps
// the order of dependencies, since a row never depends on another row's
// computed values (see dependencies).
func batches(order []*Field) [][]*Field {
	var out [][]*Field
	for i, f := range order {
		if i > 0 && sameLevel(order[i-1], f) {
			out[len(out)-1] = append(out[len(out)-1], f)
			continue
		}
		out = append(out, []*Field{f})
	}
	return out
}

func sameLevel(a, b *Field) bool {
	if len(a.parents) != len(b.parents) {
		return false
	}
	return len(a.parents) == 0 || a.parents[len(a.parents)-1] == b.parents[len(b.parents)-1]
}

// compileLevel compiles the fields of one list. scope holds the top-level
// fields and params with the rows of the enclosing repeats laid over them,
// so a row's own fields shadow top-level ones of the same name.
func (p *parser) compileLevel(fields []*Field, scope types.Map) {
	for _, f := range fields {
		src := p.sources[f]
		if f.Type == TypeGroup {
			f.relevant = p.compileExpr(f.Relevant, scope, src, "relevant", true)
			p.compileLevel(f.Fields, scope)
			continue
		}
		f.relevant = p.compileExpr(f.Relevant, scope, src, "relevant", true)
		if (f.relevant != nil || f.Relevant == "") && groupsRelevant(f) {
			// A field inside a group is relevant when every enclosing
			// group is too; one program keeps the runtime unaware of groups.
			f.relevant = p.compileExpr(f.effectiveRelevant(), scope, src, "relevant", true)
		}
		f.requiredIf = p.compileExpr(f.RequiredIf, scope, src, "required", true)
		if f.Constraint != "" {
			withValue := overlay(scope, types.Map{"value": f.exprType()})
			f.constraint = p.compileExpr(f.Constraint, withValue, src, "constraint", true)
		}
		if f.Calculate != "" {
			f.calculate = p.compileExpr(f.Calculate, scope, src, "calculate", false)
			p.checkResultType(f, src)
		}
		if f.ChoiceFilter != "" {
			withChoice := overlay(scope, types.Map{"choice": choiceType(f.Choices)})
			f.filter = p.compileExpr(f.ChoiceFilter, withChoice, src, "choice_filter", true)
			f.choiceEnvs = choiceEnvs(f.Choices)
		}
		f.checkReads = identifiers(f.requiredIf, f.constraint, f.filter, f.repeatN)
		if f.Type == TypeRepeat {
			if f.RepeatCount != "" {
				f.repeatN = p.compileExpr(f.RepeatCount, scope, src, "repeat_count", false)
				p.checkCountType(f, src)
				f.checkReads = identifiers(f.requiredIf, f.constraint, f.repeatN)
			}
			p.compileLevel(f.Fields, overlay(scope, rowType(f.flat)))
		}
	}
}

// groupsRelevant reports whether an enclosing group has a relevance that
// compiled.
func groupsRelevant(f *Field) bool {
	for _, g := range f.groups {
		if g.relevant != nil {
			return true
		}
	}
	return false
}

// IsConditional reports whether the field is asked only when a condition holds,
// its own relevant: or an enclosing group's. Such a field, even when
// required, is required only then: a page without the condition's answer
// shows it as required when relevant, not as always required.
func (f *Field) IsConditional() bool { return f.effectiveRelevant() != "" }

// effectiveRelevant joins the relevance of the enclosing groups and the
// field's own.
func (f *Field) effectiveRelevant() string {
	var parts []string
	for _, g := range f.groups {
		if g.relevant != nil {
			parts = append(parts, "("+g.Relevant+")")
		}
	}
	if f.Relevant != "" {
		parts = append(parts, "("+f.Relevant+")")
	}
	return strings.Join(parts, " && ")
}

// checkCountType refuses a repeat_count that is not a number.
func (p *parser) checkCountType(f *Field, src *fieldSource) {
	if f.repeatN == nil {
		return
	}
	t := f.repeatN.Node().Type()
	if t != nil && t.Kind() != reflect.Interface && !isNumberKind(t.Kind()) {
		p.problem(src.lines["repeat_count"], src.path+".repeat_count", "repeat_count 的结果应为数字，实际类型为 %s", t)
	}
}

// choiceType describes `choice` in a filter: value, label and every
// attribute any option of the list has, all text.
func choiceType(choices []Choice) types.Map {
	m := types.Map{"value": types.String, "label": types.String}
	for _, c := range choices {
		for k := range c.Attrs {
			m[k] = types.String
		}
	}
	return m
}

// choiceEnvs builds, once per definition, the `choice` value a filter sees
// for each option; an attribute an option lacks is "".
func choiceEnvs(choices []Choice) []map[string]any {
	keys := choiceType(choices)
	out := make([]map[string]any, len(choices))
	for i, c := range choices {
		env := make(map[string]any, len(keys))
		for k := range keys {
			env[k] = c.Attrs[k]
		}
		env["value"], env["label"] = c.Value, c.Label
		out[i] = env
	}
	return out
}

func overlay(base, top types.Map) types.Map {
	out := make(types.Map, len(base)+len(top))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range top {
		out[k] = v
	}
	return out
}

func paramsType(params Params) types.Map {
	m := make(types.Map, len(params))
	for k, v := range params {
		m[k] = types.TypeOf(v)
	}
	return m
}

func (p *parser) compileExpr(source string, env types.Map, src *fieldSource, key string, boolean bool) *vm.Program {
	if source == "" {
		return nil
	}
	opts := []expr.Option{expr.Env(env)}
	if boolean {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(source, opts...)
	if err != nil {
		p.problem(src.lines[key], src.path+"."+key, "表达式有误：%s", exprMessage(err))
		return nil
	}
	return prog
}

// checkResultType refuses a calculation whose static result type cannot be
// stored in the field. An unknown type (a conditional with mixed branches,
// a value read from an untyped row) is checked when it runs.
func (p *parser) checkResultType(f *Field, src *fieldSource) {
	if f.calculate == nil || !knownType(f.Type) {
		return
	}
	t := f.calculate.Node().Type()
	if t == nil || t.Kind() == reflect.Interface {
		return
	}
	var ok bool
	switch f.Type {
	case TypeMoney, TypeInteger:
		ok = isNumberKind(t.Kind())
	case TypeBoolean:
		ok = t.Kind() == reflect.Bool
	case TypeDate:
		ok = t.Kind() == reflect.String || t == reflect.TypeOf(time.Time{})
	default:
		ok = t.Kind() == reflect.String
	}
	if !ok {
		p.problem(src.lines["calculate"], src.path+".calculate", "计算结果类型为 %s，不能存入 %s 类型的字段", t, f.Type)
	}
}

func isNumberKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// exprMessage shortens an expression error to one line and says the most
// common ones in Chinese; the rest keep the library's wording.
func exprMessage(err error) string {
	msg := err.Error()
	column := 0
	var fe *file.Error
	if errors.As(err, &fe) {
		msg, column = fe.Message, fe.Column+1
	}
	switch {
	case strings.HasPrefix(msg, "expected bool, but got "):
		msg = "结果应为真假判断，实际类型为 " + strings.TrimPrefix(msg, "expected bool, but got ")
	case strings.HasPrefix(msg, "unknown name "):
		msg = "未知的名称 " + strings.TrimPrefix(msg, "unknown name ")
	case strings.HasPrefix(msg, "unknown field "):
		msg = "未知的属性 " + strings.TrimPrefix(msg, "unknown field ")
	case strings.Contains(msg, "mismatched types"):
		msg = "类型不匹配：" + msg
	}
	if column > 0 {
		return fmt.Sprintf("%s（第%d列）", msg, column)
	}
	return msg
}

// order sorts the fields with `relevant` or `calculate` so that each comes
// after every field whose final value its expressions read, and reports
// cycles.
func (p *parser) order(d *Definition) []*Field {
	var nodes []*Field
	walkFields(d.Fields, func(f *Field) {
		if f.Type != TypeGroup && (f.relevant != nil || f.calculate != nil) {
			nodes = append(nodes, f)
		}
	})
	deps := make(map[*Field][]*Field, len(nodes))
	for _, f := range nodes {
		deps[f] = d.dependencies(f)
	}
	const (
		visiting = 1
		done     = 2
	)
	state := map[*Field]int{}
	var stack, out []*Field
	var visit func(f *Field)
	visit = func(f *Field) {
		switch state[f] {
		case done:
			return
		case visiting:
			p.cycle(f, stack)
			return
		}
		state[f] = visiting
		stack = append(stack, f)
		for _, dep := range deps[f] {
			visit(dep)
		}
		stack = stack[:len(stack)-1]
		state[f] = done
		out = append(out, f)
	}
	for _, f := range nodes {
		visit(f)
	}
	return out
}

func (p *parser) cycle(f *Field, stack []*Field) {
	i := len(stack) - 1
	for i > 0 && stack[i] != f {
		i--
	}
	names := make([]string, 0, len(stack)-i+1)
	for _, s := range stack[i:] {
		names = append(names, s.path)
	}
	names = append(names, f.path)
	key := "calculate"
	if f.calculate == nil {
		key = "relevant"
	}
	src := p.sources[f]
	p.problem(src.lines[key], src.path+"."+key, "表达式循环引用：%s", strings.Join(names, " → "))
}

// dependencies lists the fields that must be settled before f's relevance
// and value can be computed: its enclosing repeats' relevance and every
// field its expressions read, with what settles those.
func (d *Definition) dependencies(f *Field) []*Field {
	var out []*Field
	seen := map[*Field]bool{}
	add := func(g *Field) {
		if !seen[g] && g.Type != TypeGroup && (g.relevant != nil || g.calculate != nil) {
			seen[g] = true
			out = append(out, g)
		}
	}
	for _, a := range f.parents {
		if a.relevant != nil {
			add(a)
		}
	}
	for _, name := range identifiers(f.relevant, f.calculate, f.repeatN) {
		r := d.resolve(name, f.parents)
		if r == nil {
			continue
		}
		add(r)
		for _, a := range r.parents {
			if a.relevant != nil {
				add(a)
			}
		}
		// A row reading its own repeat (len(members)) needs the row count,
		// not the other rows' computed values; depending on them would make
		// every such row expression a cycle.
		if r.Type == TypeRepeat && !isAncestor(r, f) {
			walkFields(r.Fields, add)
		}
	}
	return out
}

// resolve finds the field a name means in the scope of a field with the
// given enclosing repeats: the innermost row first, the top level last.
func (d *Definition) resolve(name string, parents []*Field) *Field {
	for i := len(parents) - 1; i >= 0; i-- {
		for _, c := range parents[i].flat {
			if c.Name == name {
				return c
			}
		}
	}
	for _, c := range d.flat {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func isAncestor(a, f *Field) bool {
	for _, p := range f.parents {
		if p == a {
			return true
		}
	}
	return false
}

// walkFields calls fn for every field, depth first in declaration order.
func walkFields(fields []*Field, fn func(*Field)) {
	for _, f := range fields {
		fn(f)
		walkFields(f.Fields, fn)
	}
}

// identifiers returns the sorted names the programs read from their
// environment.
func identifiers(progs ...*vm.Program) []string {
	c := identCollector{}
	for _, prog := range progs {
		if prog == nil {
			continue
		}
		node := prog.Node()
		ast.Walk(&node, c)
	}
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

type identCollector map[string]bool

func (c identCollector) Visit(n *ast.Node) {
	switch n := (*n).(type) {
	case *ast.IdentifierNode:
		c[n.Value] = true
	case *ast.BuiltinNode:
		if n.Map != nil {
			// The optimizer folds map() into filter() here; ast.Walk
			// does not visit it.
			ast.Walk(&n.Map, c)
		}
	}
}
