package store

import (
	"strconv"

	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// parseOverlay resolves a workflow overlay against its base: the version it
// pins, or the newest published one now. Loading replays definitions in the
// order they were published, so "newest now" resolves the same on every
// start. A base that is itself an overlay is refused: one level keeps the
// explanation of every value to two files.
func (r *registry) parseOverlay(file string, src []byte, pending map[string]*forms.Definition) (*workflows.Definition, error) {
	o, err := workflows.ReadOverlay(file, src)
	if err != nil {
		return nil, err
	}
	if _, err := roles.Path(o.Locality); err != nil {
		return nil, forms.Problems{{File: file, Line: 1, Path: "locality",
			Message: "地区代码 " + o.Locality + " 不是有效的县、乡镇或村代码"}}
	}
	var base *workflows.Definition
	if o.BaseVersion > 0 {
		base, err = r.Workflow(o.Base, o.BaseVersion)
	} else {
		base, err = r.LatestWorkflow(o.Base)
	}
	if err != nil {
		return nil, forms.Problems{{File: file, Line: 1, Path: "extends", Message: workflows.ErrorMessage(err)}}
	}
	if base.Overlay != nil {
		return nil, forms.Problems{{File: file, Line: 1, Path: "extends",
			Message: "不能扩展另一个覆盖定义 " + base.ID + "，请扩展其基础定义 " + base.Overlay.Base}}
	}
	baseFile := base.ID + "@" + strconv.Itoa(base.Version)
	w, err := workflows.ResolveOverlay(file, src, baseFile, base.Source)
	if err != nil {
		return nil, err
	}
	w.Overlay.BaseVersion = base.Version
	if err := w.Compile(catalog{r: r, pending: pending}); err != nil {
		return nil, err
	}
	return w, nil
}

// forHousehold returns the newest published version of the workflow that
// applies to a household of localityPath when a case of id is started:
// the variant of id whose locality covers the household most specifically
// (village over township over county), else id itself. Naming a variant
// id directly starts that variant.
func (r *registry) forHousehold(id, localityPath string) (*workflows.Definition, error) {
	r.mu.RLock()
	best := mostSpecific(r.workflowVariants[id], localityPath)
	r.mu.RUnlock()
	if best == "" {
		return r.LatestWorkflow(id)
	}
	return r.LatestWorkflow(best)
}
