package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"jianfu/forms"
	"jianfu/workflows"
)

// parseWorkflowFile parses a workflow file; an overlay is resolved against
// a base named on the same command line, else the built-in of that id.
// check has no database, so a pinned base version (extends: id@2) is
// checked against that text, not the stored version.
func parseWorkflowFile(name string, sources map[string][]byte) (*workflows.Definition, error) {
	src := sources[name]
	if !workflows.IsOverlay(src) {
		return workflows.Parse(name, src)
	}
	o, err := workflows.ReadOverlay(name, src)
	if err != nil {
		return nil, err
	}
	baseFile, base, ok := findBase(o.Base, sources)
	if !ok {
		return nil, forms.Problems{{File: name, Line: 1, Path: "extends",
			Message: fmt.Sprintf("找不到基础定义 %s：请在命令行中一并给出其文件", o.Base)}}
	}
	return workflows.ResolveOverlay(name, src, baseFile, base)
}

// findBase looks for a workflow (not an overlay) of that id among the files,
// then among the built-ins.
func findBase(id string, sources map[string][]byte) (string, []byte, bool) {
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if src := sources[n]; !workflows.IsOverlay(src) && workflows.SourceKind(src) == workflows.KindWorkflow {
			if w, err := workflows.Parse(n, src); err == nil && w.ID == id {
				return n, src, true
			}
		}
	}
	builtins := workflows.Builtin()
	for n, src := range builtins {
		if w, err := workflows.Parse(n, src); err == nil && w.ID == id {
			return "workflows/defs/" + n, src, true
		}
	}
	return "", nil, false
}

// explainOverlay prints which base an overlay extends and where every part
// it overrides, adds or removes comes from.
func explainOverlay(w io.Writer, d *workflows.Definition) {
	fmt.Fprintf(w, "%s: %s 扩展 %s（地区 %s）\n", d.File, d.ID, d.Overlay.Base, d.Overlay.Locality)
	words := map[string]string{workflows.OriginOverride: "覆盖", workflows.OriginAdd: "新增", workflows.OriginRemove: "删除"}
	for _, o := range d.Origins {
		what := o.Section
		if o.Name != "" {
			what += "." + o.Name
		}
		fmt.Fprintf(w, "  %-8s %-32s ← %s:%d\n", words[o.Action], what, o.File, o.Line)
	}
	fmt.Fprintf(w, "  其余内容来自基础定义 %s\n", d.Overlay.Base)
}

// kindOf tells a form from a workflow, overlays included: an overlay that
// writes states is a workflow's, one that writes fields or choices a
// form's, and one that says only params, title or remove is the kind of
// its base.
func kindOf(name string, sources map[string][]byte) string {
	src := sources[name]
	if !workflows.IsOverlay(src) {
		return workflows.SourceKind(src)
	}
	var top map[string]yaml.Node
	if yaml.Unmarshal(src, &top) != nil || top["states"].Kind != 0 {
		return workflows.KindWorkflow
	}
	if top["fields"].Kind != 0 || top["choices"].Kind != 0 {
		return workflows.KindForm
	}
	base, _, _ := strings.Cut(top["extends"].Value, "@")
	if _, _, ok := findFormBase(base, sources); ok {
		return workflows.KindForm
	}
	return workflows.KindWorkflow
}

// parseFormFile parses a form file; an overlay is resolved against a base
// form named on the same command line, else the built-in of that id.
func parseFormFile(name string, sources map[string][]byte) (*forms.Definition, error) {
	src := sources[name]
	if !forms.IsOverlay(src) {
		return forms.Parse(name, src)
	}
	o, err := forms.ReadOverlay(name, src)
	if err != nil {
		return nil, err
	}
	baseFile, base, ok := findFormBase(o.Base, sources)
	if !ok {
		return nil, forms.Problems{{File: name, Line: 1, Path: "extends",
			Message: fmt.Sprintf("找不到基础表单 %s：请在命令行中一并给出其文件", o.Base)}}
	}
	return forms.ResolveOverlay(name, src, baseFile, base)
}

// findFormBase looks for a form (not an overlay) of that id among the
// files, then among the built-ins.
func findFormBase(id string, sources map[string][]byte) (string, []byte, bool) {
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if src := sources[n]; !workflows.IsOverlay(src) && workflows.SourceKind(src) == workflows.KindForm {
			if f, err := forms.Parse(n, src); err == nil && f.ID == id {
				return n, src, true
			}
		}
	}
	for n, src := range forms.Builtin() {
		if f, err := forms.Parse(n, src); err == nil && f.ID == id {
			return "forms/defs/" + n, src, true
		}
	}
	return "", nil, false
}

// explainFormOverlay prints which base a form overlay extends and where
// every field, list or param it overrides, adds or removes comes from.
func explainFormOverlay(w io.Writer, d *forms.Definition) {
	fmt.Fprintf(w, "%s: %s 扩展表单 %s（地区 %s）\n", d.File, d.ID, d.Overlay.Base, d.Overlay.Locality)
	words := map[string]string{forms.OriginOverride: "覆盖", forms.OriginAdd: "新增", forms.OriginRemove: "删除"}
	for _, o := range d.Origins {
		what := o.Section
		if o.Name != "" {
			what += "." + o.Name
		}
		fmt.Fprintf(w, "  %-8s %-32s ← %s:%d\n", words[o.Action], what, o.File, o.Line)
	}
	fmt.Fprintf(w, "  其余内容来自基础表单 %s\n", d.Overlay.Base)
}
