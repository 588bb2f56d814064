package forms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"jianfu/forms/yamlnode"
)

// A form overlay is a form definition that names a base (extends:) and a
// locality, and says only what that county, township or village does
// differently: fields replaced or added, names removed, choice lists and
// parameters replaced or added. Resolving it lays the overlay on a copy of
// the base's YAML tree and parses the result as an ordinary definition, so
// validation never knows a form came from an overlay. Nodes keep the line
// they had in their own file, and each problem names the file its node
// comes from.
//
// A field is named by its data path, the one Definition.Field takes and
// field errors report: "head_id" on the top level, "members.relation" for
// a column of the repeat members. Groups do not appear in the path (their
// fields share their level's names), so a field is found wherever it sits.

// Overlay is what a form overlay says about itself before it is resolved.
type Overlay struct {
	ID string
	// Base is the id of the extended form; BaseVersion pins a version
	// (extends: household_verification@2), 0 for the newest published one.
	Base        string
	BaseVersion int
	// Locality is the 12-digit code of the county, township or village
	// the variant is for.
	Locality string
}

// Origin says where one part of a resolved overlay comes from, for
// `jianfu check --explain`.
type Origin struct {
	Section string // fields, choices, params, title or description
	Name    string // the field path, list or param name; "" for a scalar
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

// overlayKeys are the keys a form overlay may have.
func overlayKeys() []string {
	return []string{"id", "title", "description", "extends", "locality", "params", "choices", "fields", "remove"}
}

// IsOverlay reports whether a definition source extends another.
func IsOverlay(src []byte) bool {
	doc, err := decodeYAML(src)
	if err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return false
	}
	return yamlnode.KeyIndex(doc.Content[0], "extends") >= 0
}

// ReadOverlay reads the header of a form overlay (id, extends, locality)
// so the caller can find its base. Errors are Problems.
func ReadOverlay(file string, src []byte) (Overlay, error) {
	p := &parser{file: file, sources: map[*Field]*fieldSource{}}
	root := p.root(src)
	if root == nil {
		return Overlay{}, p.problems
	}
	o := p.overlayHeader(root)
	if len(p.problems) > 0 {
		return Overlay{}, p.problems
	}
	return o, nil
}

// ResolveOverlay merges a form overlay onto its base source (baseFile names
// it in problems, e.g. household_verification@1) and parses the result
// with the built-in shared lists. The definition's Overlay and Origins
// describe the merge; its Source stays the overlay's text. Besides parse
// problems it reports an overlay, or an entry of it, that overrides
// nothing.
func ResolveOverlay(file string, src []byte, baseFile string, base []byte) (*Definition, error) {
	return ResolveOverlayWith(file, src, baseFile, base, Options{Lists: BuiltinLists()})
}

// ResolveOverlayWith is ResolveOverlay with exactly the shared lists of
// opts.
func ResolveOverlayWith(file string, src []byte, baseFile string, base []byte, opts Options) (*Definition, error) {
	p := &parser{file: file, sources: map[*Field]*fieldSource{}, shared: opts.Lists}
	root := p.root(src)
	if root == nil {
		return nil, p.problems
	}
	o := p.overlayHeader(root)
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	baseDoc, err := decodeYAML(base)
	if err != nil || len(baseDoc.Content) == 0 || baseDoc.Content[0].Kind != yaml.MappingNode {
		return nil, Problems{{File: file, Line: yamlnode.KeyLine(root, "extends"), Path: "extends",
			Message: fmt.Sprintf("基础表单 %s 无法读取（须为 YAML 定义）", o.Base)}}
	}
	m := &merger{file: file, supplied: map[*yaml.Node]bool{}}
	merged := m.merge(yamlnode.Clone(baseDoc.Content[0]), root)
	if len(m.problems) > 0 {
		return nil, m.problems
	}
	d := p.definitionFrom(merged, src)
	if len(p.problems) > 0 {
		for i := range p.problems {
			if !m.fromOverlay(merged, p.problems[i].Path) {
				p.problems[i].File = baseFile
			}
		}
		sortProblems(p.problems)
		return nil, p.problems
	}
	d.Overlay, d.Origins = &o, m.origins
	return d, nil
}

// overlayHeader checks the overlay's keys and reads id, extends and
// locality.
func (p *parser) overlayHeader(root *yaml.Node) Overlay {
	top := p.mapping(root, "", overlayKeys())
	var o Overlay
	for _, key := range []string{"id", "extends", "locality"} {
		if _, ok := top[key]; !ok {
			p.problem(root.Line, key, "覆盖定义缺少 %s", key)
		}
	}
	if _, ok := top["id"]; ok {
		o.ID = p.identifier(root, top, "id", "", "覆盖定义缺少 id")
	}
	if kv, ok := top["extends"]; ok {
		if s, ok := p.scalar(kv, "extends"); ok {
			o.Base, o.BaseVersion = p.splitExtends(kv.value.Line, s)
		}
	}
	if kv, ok := top["locality"]; ok {
		if s, ok := p.scalar(kv, "locality"); ok {
			if !isLocalityCode(s) {
				p.problem(kv.value.Line, "locality", "地区代码 %q 无效：应为12位统计用区划代码", s)
			}
			o.Locality = s
		}
	}
	if o.ID != "" && o.ID == o.Base {
		p.problem(top["id"].value.Line, "id", "覆盖定义的 id 须与基础表单 %s 不同（如 %s_%s）", o.Base, o.Base, o.Locality)
	}
	return o
}

// splitExtends reads "household_verification" or "household_verification@2".
func (p *parser) splitExtends(line int, s string) (string, int) {
	id, ver, pinned := strings.Cut(s, "@")
	if !validName(id) {
		p.problem(line, "extends", "基础表单名 %q 无效", id)
		return "", 0
	}
	if !pinned {
		return id, 0
	}
	n, err := strconv.Atoi(ver)
	if err != nil || n < 1 {
		p.problem(line, "extends", "版本号 %q 无效：应为正整数，如 %s@2", ver, id)
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

func sortProblems(ps Problems) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		return a.Line - b.Line
	})
}
