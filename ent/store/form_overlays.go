package store

import (
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// extendsForm reports whether an overlay (a source with extends:) is a
// form's: it writes fields or choices, or its base is a form and not a
// workflow. Both kinds of overlay may say only params:, so the base
// decides; an overlay of an unknown base is taken for a workflow's.
func (r *registry) extendsForm(src []byte, pending map[string]*forms.Definition) bool {
	var top map[string]yaml.Node
	if yaml.Unmarshal(src, &top) != nil {
		return false
	}
	if top["states"].Kind != 0 {
		return false
	}
	if top["fields"].Kind != 0 || top["choices"].Kind != 0 {
		return true
	}
	base, _, _ := strings.Cut(top["extends"].Value, "@")
	if _, ok := pending[base]; ok {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, isForm := r.latestForm[base]
	_, isWorkflow := r.latestWorkflow[base]
	return isForm && !isWorkflow
}

// parseFormOverlay resolves a form overlay against its base: the version it
// pins, or the newest published one now (a form of the same batch counts
// as published). As for workflows, a base that is itself an overlay is
// refused.
func (r *registry) parseFormOverlay(file string, src []byte, pending map[string]*forms.Definition) (*forms.Definition, error) {
	o, err := forms.ReadOverlay(file, src)
	if err != nil {
		return nil, err
	}
	if _, err := roles.Path(o.Locality); err != nil {
		return nil, forms.Problems{{File: file, Line: 1, Path: "locality",
			Message: "地区代码 " + o.Locality + " 不是有效的县、乡镇或村代码"}}
	}
	base, ok := pending[o.Base]
	switch {
	case o.BaseVersion > 0:
		base, err = r.formVersion(o.Base, o.BaseVersion)
	case !ok:
		base, err = r.Form(o.Base)
	}
	if err != nil {
		return nil, forms.Problems{{File: file, Line: 1, Path: "extends", Message: workflows.ErrorMessage(err)}}
	}
	if base.Overlay != nil {
		return nil, forms.Problems{{File: file, Line: 1, Path: "extends",
			Message: "不能扩展另一个覆盖定义 " + base.ID + "，请扩展其基础表单 " + base.Overlay.Base}}
	}
	baseFile := base.ID + "@" + strconv.Itoa(base.Version)
	f, err := forms.ResolveOverlay(file, src, baseFile, base.Source)
	if err != nil {
		return nil, err
	}
	f.Overlay.BaseVersion = base.Version
	return f, nil
}

// formVersion returns one stored form version.
func (r *registry) formVersion(id string, version int) (*forms.Definition, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.forms[defKey{id, version}]
	if !ok {
		return nil, workflows.Errorf(workflows.NotFound, "表单 %s 第%d版不存在", id, version)
	}
	return f, nil
}

// FormFor returns the newest published version of the form a household of
// locality (a 12-digit code) fills for form id: the variant of id whose
// locality covers the household most specifically, else id itself; naming
// a variant returns it (workflows.FormSource). It runs on every action, so
// a form without variants costs one map lookup.
func (r *registry) FormFor(id, locality string) (*forms.Definition, error) {
	r.mu.RLock()
	vs := r.formVariants[id]
	r.mu.RUnlock()
	if len(vs) == 0 {
		return r.Form(id)
	}
	path, err := roles.Path(locality)
	if err != nil {
		return r.Form(id)
	}
	if best := mostSpecific(vs, path); best != "" {
		id = best
	}
	return r.Form(id)
}

// formFamily returns id and the ids of its published variants: the forms a
// record of id may have been filled on.
func (r *registry) formFamily(id string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	family := make([]string, 1, 1+len(r.formVariants[id]))
	family[0] = id
	for _, v := range r.formVariants[id] {
		family = append(family, v.id)
	}
	return family
}

// variant is a published overlay: its id and the locality path it covers.
type variant struct{ id, path string }

// variantsOf indexes the newest published overlays by the id they extend,
// each list sorted by id. overlay says what a version extends and where;
// "" for a definition that extends nothing. The caller holds the
// registry's write lock.
func variantsOf(latest map[string]int, overlay func(id string, version int) (base, locality string)) map[string][]variant {
	out := map[string][]variant{}
	for v, n := range latest {
		base, locality := overlay(v, n)
		if base == "" {
			continue
		}
		p, err := roles.Path(locality)
		if err != nil {
			continue
		}
		out[base] = append(out[base], variant{v, p})
	}
	for _, vs := range out {
		sort.Slice(vs, func(i, j int) bool { return vs[i].id < vs[j].id })
	}
	return out
}

// mostSpecific returns the id of the variant whose locality covers
// localityPath most specifically (village over township over county;
// equal localities: the smallest id, as vs is sorted by id), or "".
func mostSpecific(vs []variant, localityPath string) string {
	best, bestPath := "", ""
	for _, v := range vs {
		if strings.HasPrefix(localityPath, v.path) && len(v.path) > len(bestPath) {
			best, bestPath = v.id, v.path
		}
	}
	return best
}
