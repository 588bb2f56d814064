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
	return []string{"name", "type", "label", "label::*", "hint", "hint::*", "required", "constraint",
		"constraint_message", "relevant", "calculate", "default", "choices", "choice_filter", "min", "max",
		"repeat_count", "fields", "readonly", "prefill", "accept", "max_size"}
}

// Options change how ParseWith reads a definition.
type Options struct {
	// Lists are shared choice lists a field may name in `choices:`
	// without the form defining them; a list the form defines itself wins.
	Lists map[string][]Choice
}

// Parse reads one form definition with the built-in shared choice lists
// (BuiltinLists). On any problem it returns a nil Definition and a Problems
// error listing every problem found, each with file, line, path and a
// Chinese message.
func Parse(file string, src []byte) (*Definition, error) {
	return ParseWith(file, src, Options{Lists: BuiltinLists()})
}

// ParseWith reads one form definition with exactly the shared lists in
// opts (merge BuiltinLists yourself to keep them). Errors as Parse.
func ParseWith(file string, src []byte, opts Options) (*Definition, error) {
	p := &parser{file: file, sources: map[*Field]*fieldSource{}, shared: opts.Lists}
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
	shared   map[string][]Choice
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
	return p.definitionFrom(root, src)
}

// definitionFrom reads a definition from its top mapping, written in YAML
// or built from a spreadsheet.
func (p *parser) definitionFrom(root *yaml.Node, src []byte) *Definition {
	d := &Definition{File: p.file, Source: src, byPath: map[string]*Field{}}
	top := p.mapping(root, "", topKeys())
	d.ID = p.identifier(root, top, "id", "", "缺少表单标识 id")
	d.Title = p.requiredString(root, top, "title", "", "缺少表单标题 title")
	d.Description = p.optionalString(top, "description", "")
	if kv, ok := top["version"]; ok {
		d.Version = p.nonNegativeInt(kv, "version")
	}
	d.Params, d.ParamsByYear = p.params(top)
	d.choiceLists = p.choiceLists(top)
	kv, ok := top["fields"]
	if !ok {
		p.problem(root.Line, "fields", "缺少字段列表 fields")
		return d
	}
	return p.finish(d, p.fields(d, kv.value, "fields", nil, nil))
}

// finish completes a definition whose fields have been read, from YAML or
// from a spreadsheet: dissolve groups, compile, order.
func (p *parser) finish(d *Definition, tree []*Field) *Definition {
	d.Fields = tree
	d.flat = p.level(d, tree)
	for _, f := range d.flat {
		if f.Prefill != "" {
			d.prefilled = append(d.prefilled, f)
		}
	}
	p.compile(d)
	return d
}

// root decodes the YAML document and returns its top mapping, or nil after
// recording why there is none.
func (p *parser) root(src []byte) *yaml.Node {
	doc, err := decodeYAML(src)
	if err != nil {
		line, msg := yamlErrorLine(err)
		p.problem(line, "", "YAML 语法错误：%s", YAMLMessage(msg))
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
