package forms

import (
	"strings"
)

// AllowedChoices lists the options of the select at path that its
// choice_filter lets through, given the input so far (as Validate takes it)
// and the context; the ui calls it when a field the filter reads changes.
// A path inside a repeat names its row: "members[2].village". It returns
// nil when the form has no such select or the row does not exist, and all
// options of a select without a filter.
func (d *Definition) AllowedChoices(path string, input map[string]any, ctx Context) []Choice {
	f := d.Field(path)
	if f == nil || (f.Type != TypeSelect && f.Type != TypeMultiselect) {
		return nil
	}
	if f.filter == nil {
		return f.Choices
	}
	if d.top == nil {
		return nil
	}
	v := validation{d: d, ctx: ctx, scratch: d.acquire()}
	v.over = ctx.Params
	defer d.release(v.scratch)
	v.prepare(input)
	r := v.top.recordAt(path)
	if r == nil {
		return nil
	}
	scope := v.scope(r)
	out := make([]Choice, 0, len(f.Choices))
	for i, c := range f.Choices {
		if f.filterChoice(&v.vm, scope, i) {
			out = append(out, c)
		}
	}
	return out
}

// recordAt follows the row indexes of a field path ("members[2].village")
// to the record the field lives in.
func (r *record) recordAt(path string) *record {
	steps := strings.Split(path, ".")
	for _, step := range steps[:len(steps)-1] {
		name, index, indexed := splitIndex(step)
		if !indexed {
			return nil
		}
		rows := r.repeatRows(name)
		if index >= len(rows) {
			return nil
		}
		r = &rows[index]
	}
	return r
}

// repeatRows returns the rows of the record's repeat of that name, nil
// when it has none or no such repeat.
func (r *record) repeatRows(name string) []record {
	for _, f := range r.lv.repeats {
		if f.Name == name {
			return r.rows[f.rep]
		}
	}
	return nil
}
