package forms

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// fields reads the fields of one level: the form itself or one repeat row.
// parents is the chain of enclosing repeats, outermost first.
func (p *parser) fields(d *Definition, n *yaml.Node, path string, parents []*Field) []*Field {
	if n.Kind != yaml.SequenceNode {
		p.problem(n.Line, path, "fields 应为字段列表")
		return nil
	}
	if len(n.Content) == 0 {
		p.problem(n.Line, path, "字段列表为空")
		return nil
	}
	seen := map[string]*Field{}
	out := make([]*Field, 0, len(n.Content))
	for i, item := range n.Content {
		fp := fmt.Sprintf("%s[%d]", path, i)
		f := p.field(d, item, fp, parents)
		if f == nil || f.Name == "" {
			continue
		}
		if prev, dup := seen[f.Name]; dup {
			p.problem(p.sources[f].lines["name"], fp+".name", "字段名 %s 重复（第%d行已定义）", f.Name, prev.Line)
			continue
		}
		seen[f.Name] = f
		d.byPath[f.path] = f
		out = append(out, f)
	}
	return out
}

// field reads one field and checks what can be checked without looking at
// other fields; expressions are compiled later, once all fields are known.
func (p *parser) field(d *Definition, n *yaml.Node, path string, parents []*Field) *Field {
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, path, "字段应为键值映射（name、type、label…）")
		return nil
	}
	m := p.mapping(n, path, fieldKeys())
	src := &fieldSource{path: path, lines: make(map[string]int, len(m))}
	for k, kv := range m {
		src.lines[k] = kv.value.Line
	}
	f := &Field{Line: n.Line, parents: parents}
	p.sources[f] = src

	f.Name = p.identifier(n, m, "name", path, "缺少字段名 name")
	f.path = f.Name
	if len(parents) > 0 {
		f.path = parents[len(parents)-1].path + "." + f.Name
	}
	f.Type = p.requiredString(n, m, "type", path, "缺少字段类型 type")
	if f.Type != "" && !knownType(f.Type) {
		p.problem(src.lines["type"], path+".type", "未知的字段类型 %s（可用：text、textarea、integer、money、date、select、multiselect、id_card、phone、boolean、repeat）", f.Type)
	}
	f.Label = p.requiredString(n, m, "label", path, "缺少标签 label")
	f.Hint = p.optionalString(m, "hint", path)
	p.required(f, m, path)
	f.Constraint = p.expression(m, "constraint", path)
	f.ConstraintMessage = p.optionalString(m, "constraint_message", path)
	if f.ConstraintMessage != "" && f.Constraint == "" {
		p.problem(src.lines["constraint_message"], path+".constraint_message", "有 constraint_message 却没有 constraint")
	}
	f.Relevant = p.expression(m, "relevant", path)
	f.Calculate = p.expression(m, "calculate", path)
	f.ReadOnly = f.Calculate != ""
	if f.Calculate != "" && knownType(f.Type) && !computable(f.Type) {
		p.problem(src.lines["calculate"], path+".calculate", "%s 类型的字段不能设 calculate", f.Type)
	}
	p.choicesOf(d, f, n, m, path)
	p.rows(d, f, n, m, path, parents)
	p.defaultOf(f, m, path)
	return f
}

// required reads `required:`, a bool or a condition expression.
func (p *parser) required(f *Field, m map[string]keyValue, path string) {
	kv, ok := m["required"]
	if !ok {
		return
	}
	v := kv.value
	switch {
	case v.Kind == yaml.ScalarNode && v.Tag == "!!bool":
		if err := v.Decode(&f.Required); err != nil {
			p.problem(v.Line, path+".required", "required 应为 true、false 或条件表达式")
		}
	case v.Kind == yaml.ScalarNode && v.Tag == "!!str" && strings.TrimSpace(v.Value) != "":
		f.RequiredIf = v.Value
	default:
		p.problem(v.Line, path+".required", "required 应为 true、false 或条件表达式")
	}
}

// expression reads the source of an expression key.
func (p *parser) expression(m map[string]keyValue, key, path string) string {
	kv, ok := m[key]
	if !ok {
		return ""
	}
	v := kv.value
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
		p.problem(v.Line, path+"."+key, "%s 应为表达式", key)
		return ""
	}
	return v.Value
}

// choicesOf resolves `choices:`: an inline list or the name of a list in
// the form's top-level `choices:` map.
func (p *parser) choicesOf(d *Definition, f *Field, n *yaml.Node, m map[string]keyValue, path string) {
	isSelect := f.Type == TypeSelect || f.Type == TypeMultiselect
	kv, ok := m["choices"]
	if !ok {
		if isSelect {
			p.problem(n.Line, path+".choices", "选择题缺少可选项 choices")
		}
		return
	}
	if knownType(f.Type) && !isSelect {
		p.problem(kv.key.Line, path+".choices", "只有 select 和 multiselect 可以设可选项 choices")
		return
	}
	v := kv.value
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		f.ChoiceList = v.Value
		list, found := d.choiceLists[v.Value]
		if !found {
			p.problem(v.Line, path+".choices", "未定义的可选项列表 %s", v.Value)
		}
		f.Choices = list
		return
	}
	f.Choices = p.choices(v, path+".choices")
}

// rows reads what only a repeat has: its row fields and row bounds.
func (p *parser) rows(d *Definition, f *Field, n *yaml.Node, m map[string]keyValue, path string, parents []*Field) {
	isRepeat := f.Type == TypeRepeat
	known := knownType(f.Type)
	fkv, hasFields := m["fields"]
	switch {
	case isRepeat && !hasFields:
		p.problem(n.Line, path+".fields", "重复组缺少字段 fields")
	case isRepeat && len(parents) >= maxRepeatDepth:
		p.problem(n.Line, path, "重复组最多嵌套%d层", maxRepeatDepth)
	case isRepeat:
		chain := append(append([]*Field(nil), parents...), f)
		f.Fields = p.fields(d, fkv.value, path+".fields", chain)
	case hasFields && known:
		p.problem(fkv.key.Line, path+".fields", "只有 repeat 可以包含 fields")
	}
	for _, key := range []string{"min", "max"} {
		kv, ok := m[key]
		if !ok {
			continue
		}
		if known && !isRepeat {
			p.problem(kv.key.Line, path+"."+key, "只有 repeat 可以设 %s", key)
			continue
		}
		v := p.nonNegativeInt(kv, path+"."+key)
		if key == "min" {
			f.Min = &v
		} else {
			f.Max = &v
		}
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		p.problem(m["max"].value.Line, path+".max", "max（%d）不能小于 min（%d）", *f.Max, *f.Min)
	}
}

// defaultOf reads `default:` and checks it against the field's type now,
// so a bad default is a definition problem and not a cadre's error.
func (p *parser) defaultOf(f *Field, m map[string]keyValue, path string) {
	kv, ok := m["default"]
	if !ok {
		return
	}
	dp := path + ".default"
	var raw any
	if err := kv.value.Decode(&raw); err != nil {
		p.problem(kv.value.Line, dp, "默认值无法读取：%v", err)
		return
	}
	f.Default = raw
	switch {
	case f.Type == TypeRepeat:
		p.problem(kv.key.Line, dp, "重复组不能设默认值")
		return
	case f.Calculate != "":
		p.problem(kv.key.Line, dp, "计算字段不能设默认值")
		return
	case !knownType(f.Type):
		return
	}
	val, msg := f.normalize(raw)
	if msg != "" {
		p.problem(kv.value.Line, dp, "默认值无效：%s", msg)
		return
	}
	f.defaultVal = val
}
