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
// a variant returns it (workflows.FormSource).
func (r *registry) FormFor(id, locality string) (*forms.Definition, error) {
	path, err := roles.Path(locality)
	if err != nil {
		return r.Form(id)
	}
	r.mu.RLock()
	best := mostSpecific(id, path, r.latestForm, func(v string, n int) (string, string) {
		if o := r.forms[defKey{v, n}].Overlay; o != nil {
			return o.Base, o.Locality
		}
		return "", ""
	})
	r.mu.RUnlock()
	if best != "" {
		id = best
	}
	return r.Form(id)
}

// formFamily returns id and the ids of its published variants: the forms a
// record of id may have been filled on.
func (r *registry) formFamily(id string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	family := []string{id}
	for v, n := range r.latestForm {
		if o := r.forms[defKey{v, n}].Overlay; o != nil && o.Base == id {
			family = append(family, v)
		}
	}
	sort.Strings(family[1:])
	return family
}

// inFamily reports whether form id is base or a variant of it.
func (r *registry) inFamily(base, id string) bool {
	if id == base {
		return true
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	f := r.forms[defKey{id, r.latestForm[id]}]
	return f != nil && f.Overlay != nil && f.Overlay.Base == base
}

// mostSpecific returns the id, among latest, of the variant of base whose
// locality covers localityPath most specifically (village over township
// over county; equal localities: the smallest id), or "". overlay says
// what a version extends and where; "" for a definition that extends
// nothing. The caller holds the registry's lock.
func mostSpecific(base, localityPath string, latest map[string]int, overlay func(id string, version int) (string, string)) string {
	ids := make([]string, 0, len(latest))
	for v := range latest {
		ids = append(ids, v)
	}
	sort.Strings(ids) // equal localities: the smallest id wins, every time
	best, bestPath := "", ""
	for _, v := range ids {
		b, locality := overlay(v, latest[v])
		if b != base {
			continue
		}
		p, err := roles.Path(locality)
		if err != nil || !strings.HasPrefix(localityPath, p) || len(p) <= len(bestPath) {
			continue
		}
		best, bestPath = v, p
	}
	return best
}
