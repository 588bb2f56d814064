package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"jianfu/forms/yamlnode"
)

// merger lays an overlay's root mapping onto a copy of the base's. It
// remembers the nodes the overlay supplied, so a problem found when the
// merged tree is parsed can name the file its node comes from.
type merger struct {
	file     string
	supplied map[*yaml.Node]bool
	origins  []Origin
	problems Problems
}

func (m *merger) add(line int, path, format string, args ...any) {
	m.problems = append(m.problems, Problem{File: m.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (m *merger) origin(section, name, action string, line int) {
	m.origins = append(m.origins, Origin{Section: section, Name: name, Action: action, File: m.file, Line: line})
}

// merge applies the overlay in a fixed order — scalars, params, choices,
// fields, then remove — whatever order its keys are written in, so the
// result never depends on layout. out is a private copy of the base.
func (m *merger) merge(out, over *yaml.Node) *yaml.Node {
	changed := false
	for _, key := range []string{"id", "title", "description"} {
		i := yamlnode.KeyIndex(over, key)
		if i < 0 {
			continue
		}
		k, v := over.Content[i], over.Content[i+1]
		m.supplied[v] = true
		if key == "id" {
			yamlnode.Set(out, k, v)
			continue
		}
		if old := yamlnode.Value(out, key); old != nil && yamlnode.Same(old, v) {
			m.add(k.Line, key, "%s 与基础表单相同，未覆盖任何内容", key)
			continue
		}
		yamlnode.Set(out, k, v)
		m.origin(key, "", OriginOverride, k.Line)
		changed = true
	}
	for _, key := range []string{"params", "choices"} {
		if i := yamlnode.KeyIndex(over, key); i >= 0 && m.section(out, over.Content[i], over.Content[i+1]) {
			changed = true
		}
	}
	if n := yamlnode.Value(over, "fields"); n != nil && m.fields(out, n) {
		changed = true
	}
	if n := yamlnode.Value(over, "remove"); n != nil && m.remove(out, n) {
		changed = true
	}
	if !changed && len(m.problems) == 0 {
		m.add(over.Line, "", "覆盖定义没有覆盖任何内容：请在 fields、choices、params 或 remove 中写出与基础表单不同之处")
	}
	return out
}

// section replaces or adds the named entries of params: or choices:, each
// as a whole (a param's years are its value).
func (m *merger) section(out, k, over *yaml.Node) bool {
	if over.Kind != yaml.MappingNode {
		m.add(k.Line, k.Value, "%s 应为“名称: 内容”的映射", k.Value)
		return false
	}
	target := yamlnode.Value(out, k.Value)
	if target == nil || target.Kind != yaml.MappingNode {
		target = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: k.Line}
		yamlnode.Set(out, k, target)
	}
	changed := false
	for i := 0; i+1 < len(over.Content); i += 2 {
		name, v := over.Content[i], over.Content[i+1]
		path := k.Value + "." + name.Value
		action := OriginAdd
		if old := yamlnode.Value(target, name.Value); old != nil {
			if yamlnode.Same(old, v) {
				m.add(name.Line, path, "%s 与基础表单相同，未覆盖任何内容", path)
				continue
			}
			action = OriginOverride
		}
		yamlnode.Set(target, name, v)
		m.supplied[v] = true
		m.origin(k.Value, name.Value, action, name.Line)
		changed = true
	}
	return changed
}

// fields replaces fields named by their data path, wherever they sit, and
// adds new ones where `after:` or `before:` says (else at the end of their
// level).
func (m *merger) fields(out, list *yaml.Node) bool {
	if list.Kind != yaml.SequenceNode {
		m.add(list.Line, "fields", "fields 应为字段列表")
		return false
	}
	top := yamlnode.Value(out, "fields")
	if top == nil || top.Kind != yaml.SequenceNode {
		m.add(list.Line, "fields", "基础表单没有字段列表")
		return false
	}
	changed := false
	seen := map[string]int{}
	for i, item := range list.Content {
		at := fmt.Sprintf("fields[%d]", i)
		if item.Kind != yaml.MappingNode {
			m.add(item.Line, at, "字段应为键值映射（name、type、label…）")
			continue
		}
		path := yamlnode.Scalar(item, "name")
		if !validPath(path) {
			m.add(item.Line, at+".name", "字段路径 %q 无效：写字段名，重复组中的字段写“重复组名.字段名”，如 members.relation", path)
			continue
		}
		if line, dup := seen[path]; dup {
			m.add(item.Line, at+".name", "字段 %s 重复（第%d行已覆盖）", path, line)
			continue
		}
		seen[path] = item.Line
		if m.field(top, item, path, at) {
			changed = true
		}
	}
	return changed
}

// field applies one entry of fields:.
func (m *merger) field(top, item *yaml.Node, path, at string) bool {
	prefix, name := splitPath(path)
	after, before := yamlnode.Scalar(item, "after"), yamlnode.Scalar(item, "before")
	repl := fieldNode(item, name)
	m.supplied[repl] = true
	if seq, i := findField(top, "", path); seq != nil {
		if after != "" || before != "" {
			m.add(item.Line, at, "字段 %s 已在基础表单中，覆盖时留在原位，不能写 after/before", path)
			return false
		}
		if yamlnode.Same(seq.Content[i], repl) {
			m.add(item.Line, at, "字段 %s 与基础表单相同，未覆盖任何内容", path)
			return false
		}
		seq.Content[i] = repl
		m.origin("fields", path, OriginOverride, item.Line)
		return true
	}
	seq, i, ok := m.position(top, prefix, after, before, item, at)
	if !ok {
		return false
	}
	seq.Content = slices.Insert(seq.Content, i, repl)
	m.origin("fields", path, OriginAdd, item.Line)
	return true
}

// position finds where a new field goes: beside its after/before sibling
// (inside that sibling's group, if any), else at the end of its level.
func (m *merger) position(top *yaml.Node, prefix, after, before string, item *yaml.Node, at string) (*yaml.Node, int, bool) {
	if after != "" && before != "" {
		m.add(item.Line, at, "after 与 before 只能写一个")
		return nil, 0, false
	}
	if sib := after + before; sib != "" {
		sibPath := sib
		if !strings.Contains(sib, ".") {
			sibPath = joinPath(prefix, sib)
		}
		seq, i := findField(top, "", sibPath)
		if sp, _ := splitPath(sibPath); seq == nil || sp != prefix {
			m.add(item.Line, at, "同一层级中没有字段 %s，无法确定新字段的位置", sib)
			return nil, 0, false
		}
		if after != "" {
			i++
		}
		return seq, i, true
	}
	if prefix == "" {
		return top, len(top.Content), true
	}
	seq, i := findField(top, "", prefix)
	if seq == nil || yamlnode.Scalar(seq.Content[i], "type") != TypeRepeat {
		m.add(item.Line, at, "基础表单中没有重复组 %s", prefix)
		return nil, 0, false
	}
	rows := yamlnode.Value(seq.Content[i], "fields")
	if rows == nil || rows.Kind != yaml.SequenceNode {
		m.add(item.Line, at, "重复组 %s 没有字段列表", prefix)
		return nil, 0, false
	}
	return rows, len(rows.Content), true
}

// remove deletes fields by path, and params or choice lists written as
// params.NAME and choices.NAME.
func (m *merger) remove(out, n *yaml.Node) bool {
	if n.Kind != yaml.SequenceNode {
		m.add(n.Line, "remove", "remove 应为名称列表，如 [housing_note, choices.risk_type]")
		return false
	}
	changed := false
	for i, item := range n.Content {
		at := fmt.Sprintf("remove[%d]", i)
		name := item.Value
		if top := yamlnode.Value(out, "fields"); top != nil {
			if seq, j := findField(top, "", name); seq != nil {
				seq.Content = slices.Delete(seq.Content, j, j+1)
				m.origin("fields", name, OriginRemove, item.Line)
				changed = true
				continue
			}
		}
		section, key, ok := strings.Cut(name, ".")
		if ok && (section == "params" || section == "choices") {
			if s := yamlnode.Value(out, section); s != nil && yamlnode.Delete(s, key) {
				m.origin(section, key, OriginRemove, item.Line)
				changed = true
				continue
			}
		}
		m.add(item.Line, at, "基础表单中没有 %q，无可删除（字段写路径，参数写 params.名称，可选项列表写 choices.名称）", name)
	}
	return changed
}

// fromOverlay reports whether the node at a problem's path (as the parser
// writes it: "fields[2].fields[0].choices") lies in what the overlay
// supplied. A problem about the whole definition is the overlay's.
func (m *merger) fromOverlay(root *yaml.Node, path string) bool {
	if path == "" {
		return true
	}
	n := root
	for _, seg := range strings.Split(path, ".") {
		key, rest, _ := strings.Cut(seg, "[")
		if key != "" {
			if n = yamlnode.Value(n, key); n == nil {
				return false
			}
			if m.supplied[n] {
				return true
			}
		}
		for rest != "" {
			idx, tail, _ := strings.Cut(rest, "]")
			i, err := strconv.Atoi(idx)
			if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
				return false
			}
			n = n.Content[i]
			if m.supplied[n] {
				return true
			}
			rest = strings.TrimPrefix(tail, "[")
		}
	}
	return false
}

// findField finds the field at a data path in a list of fields, looking
// into groups on the same level and into repeats along the path. It
// returns the list holding it and its index, or nil.
func findField(seq *yaml.Node, prefix, path string) (*yaml.Node, int) {
	if seq.Kind != yaml.SequenceNode {
		return nil, 0
	}
	for i, item := range seq.Content {
		if item.Kind != yaml.MappingNode {
			continue
		}
		fp := joinPath(prefix, yamlnode.Scalar(item, "name"))
		if fp == path {
			return seq, i
		}
		sub := yamlnode.Value(item, "fields")
		if sub == nil {
			continue
		}
		switch yamlnode.Scalar(item, "type") {
		case TypeGroup:
			if s, j := findField(sub, prefix, path); s != nil {
				return s, j
			}
		case TypeRepeat:
			if strings.HasPrefix(path, fp+".") {
				if s, j := findField(sub, fp, path); s != nil {
					return s, j
				}
			}
		}
	}
	return nil, 0
}

// fieldNode is an overlay's field entry as it goes into the merged tree:
// named by its own name, without the position keys.
func fieldNode(item *yaml.Node, name string) *yaml.Node {
	out := &yaml.Node{Kind: item.Kind, Tag: item.Tag, Style: item.Style, Line: item.Line, Column: item.Column}
	for i := 0; i+1 < len(item.Content); i += 2 {
		k, v := item.Content[i], item.Content[i+1]
		switch k.Value {
		case "after", "before":
			continue
		case "name":
			named := *v
			named.Value = name
			v = &named
		}
		out.Content = append(out.Content, k, v)
	}
	return out
}

// validPath accepts "name" and "repeat.name" (repeats inside repeats add
// segments).
func validPath(path string) bool {
	if path == "" {
		return false
	}
	for _, seg := range strings.Split(path, ".") {
		if !validName(seg) {
			return false
		}
	}
	return true
}

// splitPath splits "members.relation" into "members" and "relation".
func splitPath(path string) (prefix, name string) {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i], path[i+1:]
	}
	return "", path
}
