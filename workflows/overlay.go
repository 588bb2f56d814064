package workflows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"jianfu/forms"
	"jianfu/forms/yamlnode"
)

// An overlay is a workflow definition that names a base (extends:) and says
// only what a locality does differently: states and params replaced or added
// by name, names removed, the display order of states. Resolving it merges
// the two YAML trees and parses the result as an ordinary definition, so the
// runtime never knows a definition came from an overlay. Nodes keep the line
// they had in their own file, and every problem names the file its path
// comes from.

// Overlay is what an overlay says about itself before it is resolved.
type Overlay struct {
	ID string
	// Base is the id of the extended workflow; BaseVersion pins a version
	// (extends: identification@2), 0 for the newest published one.
	Base        string
	BaseVersion int
	// Locality is the 12-digit code of the county, township or village the
	// variant is for.
	Locality string
}

// Origin says where one part of a resolved overlay comes from, for
// `jianfu check --explain`.
type Origin struct {
	Section string // states, params, start, title, deadline or order
	Name    string // the state or param name; "" for a scalar section
	Action  string // OriginOverride, OriginAdd or OriginRemove
	File    string
	Line    int
}

// Origin actions.
const (
	OriginOverride = "override"
	OriginAdd      = "add"
	OriginRemove   = "remove"
)

// overlayKeys are the keys an overlay may have; named sections merge by
// name, the rest replace the base's value.
var overlayKeys = []string{"id", "title", "extends", "locality", "start", "deadline", "params", "states", "remove", "order"}

// IsOverlay reports whether a definition source extends another.
func IsOverlay(src []byte) bool {
	var top map[string]yaml.Node
	return yaml.Unmarshal(src, &top) == nil && top["extends"].Kind != 0
}

// ReadOverlay reads the header of an overlay (id, extends, locality) so the
// caller can find its base. Problems come back as forms.Problems.
func ReadOverlay(file string, src []byte) (Overlay, error) {
	root, problems := overlayRoot(file, src)
	if problems != nil {
		return Overlay{}, problems
	}
	o, problems := readHeader(file, root)
	if problems != nil {
		return Overlay{}, problems
	}
	return o, nil
}

// ResolveOverlay merges an overlay onto its base source and parses the
// result. The definition's Overlay and Origins describe the merge; its
// Source stays the overlay's text. It reports, besides parse problems, an
// overlay or an entry of it that overrides nothing.
func ResolveOverlay(file string, src []byte, baseFile string, base []byte) (*Definition, error) {
	root, problems := overlayRoot(file, src)
	if problems != nil {
		return nil, problems
	}
	o, problems := readHeader(file, root)
	if problems != nil {
		return nil, problems
	}
	var baseDoc yaml.Node
	if err := yaml.Unmarshal(base, &baseDoc); err != nil || baseDoc.Kind == 0 || len(baseDoc.Content) == 0 ||
		baseDoc.Content[0].Kind != yaml.MappingNode {
		return nil, forms.Problems{{File: file, Line: yamlnode.KeyLine(root, "extends"), Path: "extends",
			Message: fmt.Sprintf("基础定义 %s 无法读取", o.Base)}}
	}
	m := &merger{file: file, baseFile: baseFile, files: map[string]string{}}
	merged := m.merge(baseDoc.Content[0], root)
	if len(m.problems) > 0 {
		return nil, m.problems
	}
	located := &Definition{File: file, files: m.files, baseFile: baseFile}
	d, err := parseRoot(file, src, merged)
	if err != nil {
		if ps, ok := err.(forms.Problems); ok {
			for i := range ps {
				ps[i].File = located.fileOf(ps[i].Path)
			}
		}
		return nil, err
	}
	d.Overlay = &o
	d.Origins = m.origins
	d.files, d.baseFile = m.files, baseFile
	return d, nil
}

func overlayRoot(file string, src []byte) (*yaml.Node, forms.Problems) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, forms.Problems{yamlProblem(file, err)}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, forms.Problems{{File: file, Line: 1, Message: "覆盖定义应为键值映射"}}
	}
	return doc.Content[0], nil
}

// readHeader checks the overlay's keys and reads id, extends and locality.
func readHeader(file string, root *yaml.Node) (Overlay, forms.Problems) {
	p := &parser{file: file, lines: map[string]int{}}
	entries, _ := p.mapping(root, "")
	var o Overlay
	for _, e := range entries {
		switch e.key {
		case "id":
			o.ID, _ = p.name(e.value, "id")
		case "extends":
			if s, ok := p.scalar(e.value, "extends"); ok {
				o.Base, o.BaseVersion = splitExtends(p, e.value.Line, s)
			}
		case "locality":
			if s, ok := p.scalar(e.value, "locality"); ok {
				if !isLocalityCode(s) {
					p.add(e.value.Line, "locality", "地区代码 %q 无效：应为12位统计用区划代码", s)
				}
				o.Locality = s
			}
		default:
			if !slices.Contains(overlayKeys, e.key) {
				p.add(e.keyAt, e.key, "覆盖定义中未知的配置项 %q", e.key)
			}
		}
	}
	for _, r := range []struct{ key, value string }{{"id", o.ID}, {"extends", o.Base}, {"locality", o.Locality}} {
		if r.value == "" && p.lines[r.key] == 0 {
			p.add(root.Line, r.key, "覆盖定义缺少 %s", r.key)
		}
	}
	if o.ID != "" && o.ID == o.Base {
		p.add(p.lines["id"], "id", "覆盖定义的 id 须与基础定义 %s 不同（如 %s_%s）", o.Base, o.Base, o.Locality)
	}
	if len(p.problems) > 0 {
		return Overlay{}, p.problems
	}
	return o, nil
}

// splitExtends reads "identification" or "identification@2".
func splitExtends(p *parser, at int, s string) (string, int) {
	id, ver, pinned := strings.Cut(s, "@")
	if !validName(id) {
		p.add(at, "extends", "基础定义名 %q 无效", id)
		return "", 0
	}
	if !pinned {
		return id, 0
	}
	n, err := strconv.Atoi(ver)
	if err != nil || n < 1 {
		p.add(at, "extends", "版本号 %q 无效：应为正整数，如 %s@2", ver, id)
		return "", 0
	}
	return id, n
}

func isLocalityCode(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// merger lays an overlay's root mapping onto a copy of the base's.
type merger struct {
	file, baseFile string
	// files maps a path ("states.notice", "params.income_line", "title")
	// to the overlay file when the overlay supplied it.
	files    map[string]string
	origins  []Origin
	problems forms.Problems
}

func (m *merger) add(line int, path, format string, args ...any) {
	m.problems = append(m.problems, forms.Problem{File: m.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (m *merger) merge(base, over *yaml.Node) *yaml.Node {
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: base.Tag, Line: base.Line, Column: base.Column}
	out.Content = slices.Clone(base.Content)
	changed := false
	for i := 0; i+1 < len(over.Content); i += 2 {
		k, v := over.Content[i], over.Content[i+1]
		switch k.Value {
		case "extends", "locality", "remove", "order":
		case "id":
			yamlnode.Set(out, k, v)
			m.files["id"] = m.file
		case "params", "states":
			if m.section(out, k, v) {
				changed = true
			}
		default: // title, start, deadline
			old := yamlnode.Value(out, k.Value)
			if old != nil && yamlnode.Same(old, v) {
				m.add(k.Line, k.Value, "%s 与基础定义相同，未覆盖任何内容", k.Value)
				continue
			}
			yamlnode.Set(out, k, v)
			m.files[k.Value] = m.file
			m.origins = append(m.origins, Origin{Section: k.Value, Action: OriginOverride, File: m.file, Line: k.Line})
			changed = true
		}
	}
	if n := yamlnode.Value(over, "remove"); n != nil {
		changed = m.remove(out, n) || changed
	}
	if n := yamlnode.Value(over, "order"); n != nil {
		changed = m.order(out, n) || changed
	}
	if !changed && len(m.problems) == 0 {
		m.add(over.Line, "", "覆盖定义没有覆盖任何内容：请在 states、params、remove 或 order 中写出与基础定义不同之处")
	}
	return out
}

// section replaces or adds the named entries of states: or params:.
func (m *merger) section(out, k, over *yaml.Node) bool {
	if over.Kind != yaml.MappingNode {
		m.add(over.Line, k.Value, "应为键值映射（名称: 内容）")
		return false
	}
	// out shares the base's nodes (merge copies only the root), so the
	// section is edited as a copy.
	target := &yaml.Node{Kind: yaml.MappingNode, Line: k.Line}
	if base := yamlnode.Value(out, k.Value); base != nil {
		copied := *base
		copied.Content = slices.Clone(base.Content)
		target = &copied
	}
	yamlnode.Set(out, k, target)
	changed := false
	for i := 0; i+1 < len(over.Content); i += 2 {
		name, v := over.Content[i], over.Content[i+1]
		path := join(k.Value, name.Value)
		action := OriginAdd
		if old := yamlnode.Value(target, name.Value); old != nil {
			if yamlnode.Same(old, v) {
				m.add(name.Line, path, "%s 与基础定义相同，未覆盖任何内容", path)
				continue
			}
			action = OriginOverride
		}
		yamlnode.Set(target, name, v)
		m.files[path] = m.file
		m.origins = append(m.origins, Origin{Section: k.Value, Name: name.Value, Action: action, File: m.file, Line: name.Line})
		changed = true
	}
	return changed
}

// remove deletes states or params by name: remove: [application].
func (m *merger) remove(out, n *yaml.Node) bool {
	if n.Kind != yaml.SequenceNode {
		m.add(n.Line, "remove", "remove 应为名称列表")
		return false
	}
	changed := false
	for i, item := range n.Content {
		found := false
		for _, sec := range []string{"states", "params"} {
			if s := yamlnode.Value(out, sec); s != nil && yamlnode.Delete(s, item.Value) {
				m.origins = append(m.origins, Origin{Section: sec, Name: item.Value, Action: OriginRemove, File: m.file, Line: item.Line})
				found = true
			}
		}
		if !found {
			m.add(item.Line, fmt.Sprintf("remove[%d]", i), "基础定义中没有 %q，无可删除", item.Value)
			continue
		}
		changed = true
	}
	return changed
}

// order moves the listed states to the front in that order; the others
// follow in their previous order. Order is for display: where a case goes
// is said by the triggers.
func (m *merger) order(out, n *yaml.Node) bool {
	states := yamlnode.Value(out, "states")
	if n.Kind != yaml.SequenceNode || states == nil {
		m.add(n.Line, "order", "order 应为环节名列表")
		return false
	}
	var front []*yaml.Node
	for i, item := range n.Content {
		j := yamlnode.KeyIndex(states, item.Value)
		if j < 0 {
			m.add(item.Line, fmt.Sprintf("order[%d]", i), "环节 %q 不存在", item.Value)
			return false
		}
		front = append(front, states.Content[j], states.Content[j+1])
	}
	rest := make([]*yaml.Node, 0, len(states.Content))
	for i := 0; i+1 < len(states.Content); i += 2 {
		if !slices.ContainsFunc(n.Content, func(it *yaml.Node) bool { return it.Value == states.Content[i].Value }) {
			rest = append(rest, states.Content[i], states.Content[i+1])
		}
	}
	reordered := append(front, rest...)
	if slices.Equal(reordered, states.Content) {
		m.add(n.Line, "order", "order 与基础定义的顺序相同，未覆盖任何内容")
		return false
	}
	states.Content = reordered
	m.origins = append(m.origins, Origin{Section: "order", Action: OriginOverride, File: m.file, Line: n.Line})
	return true
}
