package forms

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxGroupDepth bounds groups inside groups on one level.
const maxGroupDepth = 5

// fields reads one list of fields as written: the form's, a repeat row's or
// a group's. parents is the chain of enclosing repeats, outermost first;
// groups the chain of enclosing groups on the same level.
func (p *parser) fields(d *Definition, n *yaml.Node, path string, parents, groups []*Field) []*Field {
	if n.Kind != yaml.SequenceNode {
		p.problem(n.Line, path, "fields 应为字段列表")
		return nil
	}
	if len(n.Content) == 0 {
		p.problem(n.Line, path, "字段列表为空")
		return nil
	}
	out := make([]*Field, 0, len(n.Content))
	for i, item := range n.Content {
		f := p.field(d, item, fmt.Sprintf("%s[%d]", path, i), parents, groups)
		if f != nil && f.Name != "" {
			out = append(out, f)
		}
	}
	return out
}

// level dissolves the groups of one level of data and checks that names
// are unique across it: a group's fields sit beside its siblings in the
// submitted values, so they share one namespace.
func (p *parser) level(d *Definition, tree []*Field) []*Field {
	seen := map[string]*Field{}
	var flat []*Field
	var walk func(fields []*Field)
	walk = func(fields []*Field) {
		for _, f := range fields {
			src := p.sources[f]
			if prev, dup := seen[f.Name]; dup {
				p.problem(src.lines["name"], src.path+".name", "字段名 %s 重复（第%d行已定义）", f.Name, prev.Line)
				continue
			}
			seen[f.Name] = f
			d.byPath[f.path] = f
			if f.Type == TypeGroup {
				walk(f.Fields)
				continue
			}
			flat = append(flat, f)
		}
	}
	walk(tree)
	return flat
}

// field reads one field and checks what can be checked without looking at
// other fields; expressions are compiled later, once all fields are known.
func (p *parser) field(d *Definition, n *yaml.Node, path string, parents, groups []*Field) *Field {
	if n.Kind != yaml.MappingNode {
		p.problem(n.Line, path, "字段应为键值映射（name、type、label…）")
		return nil
	}
	m := p.mapping(n, path, fieldKeys())
	src := &fieldSource{path: path, lines: make(map[string]int, len(m))}
	for k, kv := range m {
		src.lines[k] = kv.value.Line
	}
	f := &Field{Line: n.Line, parents: parents, groups: groups}
	p.sources[f] = src

	f.Name = p.identifier(n, m, "name", path, "缺少字段名 name")
	f.path = f.Name
	if len(parents) > 0 {
		f.path = parents[len(parents)-1].path + "." + f.Name
	}
	f.Type = p.requiredString(n, m, "type", path, "缺少字段类型 type")
	if f.Type != "" && !knownType(f.Type) {
		p.problem(src.lines["type"], path+".type", "未知的字段类型 %s（可用：%s）", f.Type, typeNames)
	}
	f.Label, f.Labels = p.translated(n, m, "label", path, true)
	f.Hint, f.Hints = p.translated(n, m, "hint", path, false)
	if f.Type == TypeGroup {
		p.group(d, f, n, m, path, parents, groups)
		return f
	}
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
	p.prefillOf(f, m, path)
	p.attachmentOf(f, m, path)
	return f
}

// groupKeys are the keys a group may have; the rest belong to its fields.
func groupKeys() []string {
	return []string{"name", "type", "label", "hint", "relevant", "fields"}
}

// group reads a group: its relevance and its fields, which stay on the
// group's level of data.
func (p *parser) group(d *Definition, f *Field, n *yaml.Node, m map[string]keyValue, path string, parents, groups []*Field) {
	for k, kv := range m {
		if !allowedKey(groupKeys(), k) && !strings.HasPrefix(k, "label::") && !strings.HasPrefix(k, "hint::") {
			p.problem(kv.key.Line, path+"."+k, "分组不能设 %s（分组只有 name、label、hint、relevant、fields）", k)
		}
	}
	f.Relevant = p.expression(m, "relevant", path)
	kv, ok := m["fields"]
	switch {
	case !ok:
		p.problem(n.Line, path+".fields", "分组缺少字段 fields")
	case len(groups) >= maxGroupDepth:
		p.problem(n.Line, path, "分组最多嵌套%d层", maxGroupDepth)
	default:
		chain := append(append([]*Field(nil), groups...), f)
		f.Fields = p.fields(d, kv.value, path+".fields", parents, chain)
	}
}

// translated reads a text that may be translated: `label: 户主` with
// `label::en: Head`, or `label: {zh: 户主, en: Head}`. It returns the
// Chinese text and the other languages.
func (p *parser) translated(owner *yaml.Node, m map[string]keyValue, key, path string, needed bool) (string, map[string]string) {
	var text string
	var langs map[string]string
	add := func(lang, s string, line int, kp string) {
		if lang == "zh" {
			text = s
			return
		}
		if langs == nil {
			langs = map[string]string{}
		}
		if _, dup := langs[lang]; dup {
			p.problem(line, kp, "%s 的 %s 译文重复", key, lang)
		}
		langs[lang] = s
	}
	if kv, ok := m[key]; ok && kv.value.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(kv.value.Content); i += 2 {
			k, v := kv.value.Content[i], kv.value.Content[i+1]
			kp := joinPath(path, key) + "." + k.Value
			if !validLang(k.Value) || v.Kind != yaml.ScalarNode {
				p.problem(k.Line, kp, "%s 的译文应为“语言: 文字”，如 zh: 户主、en: Head", key)
				continue
			}
			add(k.Value, v.Value, v.Line, kp)
		}
		if needed && strings.TrimSpace(text) == "" {
			p.problem(kv.value.Line, joinPath(path, key)+".zh", "缺少中文%s zh", key)
		}
	} else if needed {
		text = p.requiredString(owner, m, key, path, "缺少标签 "+key)
	} else {
		text = p.optionalString(m, key, path)
	}
	for k, kv := range m {
		lang, ok := strings.CutPrefix(k, key+"::")
		if !ok {
			continue
		}
		s, _ := p.scalar(kv, joinPath(path, k))
		add(lang, s, kv.value.Line, joinPath(path, k))
	}
	return text, langs
}

// prefillOf reads `prefill:` and `readonly:`.
func (p *parser) prefillOf(f *Field, m map[string]keyValue, path string) {
	if kv, ok := m["readonly"]; ok {
		v := kv.value
		var ro bool
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || v.Decode(&ro) != nil {
			p.problem(v.Line, path+".readonly", "readonly 应为 true 或 false")
		}
		if ro && f.Type == TypeRepeat {
			p.problem(v.Line, path+".readonly", "重复组不能设 readonly")
			ro = false
		}
		f.ReadOnly = f.ReadOnly || ro
	}
	kv, ok := m["prefill"]
	if !ok {
		return
	}
	s, ok := p.scalar(kv, path+".prefill")
	if !ok {
		return
	}
	switch {
	case !validPrefill(s):
		p.problem(kv.value.Line, path+".prefill", "prefill 应为 household.字段、submission.表单.字段、user.name 或 today，实际为 %q", s)
	case len(f.parents) > 0:
		p.problem(kv.key.Line, path+".prefill", "只有顶层的字段可以预填")
	case f.Calculate != "":
		p.problem(kv.key.Line, path+".prefill", "计算字段不能预填")
	default:
		f.Prefill = s
	}
}

// validPrefill accepts household.a(.b…), submission.form.field,
// user.name and today.
func validPrefill(s string) bool {
	if s == "today" || s == "user.name" {
		return true
	}
	parts := strings.Split(s, ".")
	for _, part := range parts {
		if !validName(part) && part != "value" {
			return false
		}
	}
	switch parts[0] {
	case "household":
		return len(parts) >= 2
	case "submission":
		return len(parts) == 3
	}
	return false
}

// attachmentOf reads `accept:` and `max_size:` of an attachment.
func (p *parser) attachmentOf(f *Field, m map[string]keyValue, path string) {
	for _, key := range []string{"accept", "max_size"} {
		if kv, ok := m[key]; ok && knownType(f.Type) && !isAttachment(f.Type) {
			p.problem(kv.key.Line, path+"."+key, "只有 photo、signature、file 可以设 %s", key)
		}
	}
	if !isAttachment(f.Type) {
		return
	}
	if kv, ok := m["max_size"]; ok {
		n, valid := parseByteSize(kv.value.Value)
		if kv.value.Kind != yaml.ScalarNode || !valid {
			p.problem(kv.value.Line, path+".max_size", "max_size 应为字节数或 5MB、500KB 这样的大小")
		}
		f.MaxSize = n
	}
	kv, ok := m["accept"]
	if !ok {
		return
	}
	var items []*yaml.Node
	switch kv.value.Kind {
	case yaml.SequenceNode:
		items = kv.value.Content
	case yaml.ScalarNode:
		items = []*yaml.Node{kv.value}
	}
	if len(items) == 0 {
		p.problem(kv.value.Line, path+".accept", "accept 应为类型列表，如 [image/jpeg, .pdf]")
	}
	for i, item := range items {
		for _, s := range strings.Split(item.Value, ",") {
			s = strings.ToLower(strings.TrimSpace(s))
			if item.Kind != yaml.ScalarNode || !validAccept(s) {
				p.problem(item.Line, fmt.Sprintf("%s.accept[%d]", path, i), "%q 不是文件类型（如 image/jpeg、image/*、.pdf）", s)
				continue
			}
			f.Accept = append(f.Accept, s)
		}
	}
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
	if kv, ok := m["choice_filter"]; ok && knownType(f.Type) && !isSelect {
		p.problem(kv.key.Line, path+".choice_filter", "只有 select 和 multiselect 可以设 choice_filter")
	}
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
	f.ChoiceFilter = p.expression(m, "choice_filter", path)
	v := kv.value
	if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
		f.ChoiceList = v.Value
		list, found := d.choiceLists[v.Value]
		if !found {
			list, found = p.shared[v.Value]
		}
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
		f.Fields = p.fields(d, fkv.value, path+".fields", chain, nil)
		f.flat = p.level(d, f.Fields)
	case hasFields && known:
		p.problem(fkv.key.Line, path+".fields", "只有 repeat 和 group 可以包含 fields")
	}
	if kv, ok := m["repeat_count"]; ok && known && !isRepeat {
		p.problem(kv.key.Line, path+".repeat_count", "只有 repeat 可以设 repeat_count")
	}
	if isRepeat {
		f.RepeatCount = p.expression(m, "repeat_count", path)
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
	val, msg := f.normalize(raw, nil)
	if msg != "" {
		p.problem(kv.value.Line, dp, "默认值无效：%s", msg)
		return
	}
	f.defaultVal = val
}
