package forms

import (
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"
)

// maxRepeatDepth bounds repeats inside repeats; deeper nesting is never
// needed by a paper form and would only make paths unreadable.
const maxRepeatDepth = 3

// topKeys are the keys a definition may have.
func topKeys() []string {
	return []string{"id", "title", "description", "version", "params", "choices", "fields"}
}

// fieldKeys are the keys a field may have.
func fieldKeys() []string {
	return []string{"name", "type", "label", "hint", "required", "constraint", "constraint_message",
		"relevant", "calculate", "default", "choices", "min", "max", "fields"}
}

// Parse reads one form definition. On any problem it returns a nil
// Definition and a Problems error listing every problem found, each with
// file, line, path and a Chinese message.
func Parse(file string, src []byte) (*Definition, error) {
	p := &parser{file: file, sources: map[*Field]*fieldSource{}}
	d := p.definition(src)
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
		return nil, p.problems
	}
	return d, nil
}

// parser collects problems while walking the YAML tree; it never stops at
// the first one so an administrator can fix a definition in one pass.
type parser struct {
	file     string
	problems Problems
	sources  map[*Field]*fieldSource
}

// fieldSource remembers where a field came from, for problems found after
// the tree walk (expressions, cycles).
type fieldSource struct {
	path  string
	lines map[string]int // key → line of its value
}

func (p *parser) problem(line int, path, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) definition(src []byte) *Definition {
	root := p.root(src)
	if root == nil {
		return nil
	}
	d := &Definition{File: p.file, Source: src, byPath: map[string]*Field{}}
	top := p.mapping(root, "", topKeys())
	d.ID = p.identifier(root, top, "id", "", "缺少表单标识 id")
	d.Title = p.requiredString(root, top, "title", "", "缺少表单标题 title")
	d.Description = p.optionalString(top, "description", "")
	if kv, ok := top["version"]; ok {
		d.Version = p.nonNegativeInt(kv, "version")
	}
	d.Params = p.params(top)
	d.choiceLists = p.choiceLists(top)
	kv, ok := top["fields"]
	if !ok {
		p.problem(root.Line, "fields", "缺少字段列表 fields")
		return d
	}
	d.Fields = p.fields(d, kv.value, "fields", nil)
	p.compile(d)
	return d
}

// root decodes the YAML document and returns its top mapping, or nil after
// recording why there is none.
func (p *parser) root(src []byte) *yaml.Node {
	doc, err := decodeYAML(src)
	if err != nil {
		line, msg := yamlErrorLine(err)
		p.problem(line, "", "YAML 语法错误：%s", msg)
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		p.problem(1, "", "定义为空")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.problem(root.Line, "", "定义应为键值映射（id、title、fields…）")
		return nil
	}
	return root
}
