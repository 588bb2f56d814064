package main

import (
	"fmt"
	"io"
	"sort"

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
