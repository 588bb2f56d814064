package forms

import "fmt"

// Validate checks submitted data with the given parameters (laid over
// d.Params). input comes from encoding/json or from DecodeValues. It returns
// the normalized values and the errors, nil when the data is valid.
//
// It runs in three passes: read every declared value into its stored form
// (unknown keys are dropped, defaults fill empty fields); settle relevance
// and calculations in dependency order (irrelevant fields are dropped);
// then check what is left, in declaration order. Errors of a field that
// turns out irrelevant are never reported.
func (d *Definition) Validate(input map[string]any, params Params) (map[string]any, FieldErrors) {
	v := &validation{}
	v.top = v.read(d.Fields, input, "", nil)
	v.top.env["params"] = map[string]any(d.mergeParams(params))
	for _, f := range d.order {
		v.settle(f)
	}
	v.check(v.top)
	out := v.top.output()
	if len(v.errs) == 0 {
		return out, nil
	}
	return out, v.errs
}

// validation is one run of Validate: the records of the submission and
// the errors found so far.
type validation struct {
	top  *record
	errs FieldErrors
}

// read normalizes one level of input.
func (v *validation) read(fields []*Field, input map[string]any, path string, parent *record) *record {
	r := newRecord(fields, path, parent)
	for _, f := range fields {
		switch {
		case f.calculated():
			// Whatever was sent for a calculated field is ignored.
			r.set(f, nil)
		case f.Type == TypeRepeat:
			v.readRows(r, f, input[f.Name])
		default:
			val, msg := f.normalize(input[f.Name])
			if msg != "" {
				r.markBad(f.Name, msg)
			} else if val == nil {
				val = f.defaultValue()
			}
			r.set(f, val)
		}
	}
	return r
}

func (v *validation) readRows(r *record, f *Field, raw any) {
	var items []any
	switch l := raw.(type) {
	case nil:
	case []any:
		items = l
	case []map[string]any:
		items = make([]any, len(l))
		for i, m := range l {
			items[i] = m
		}
	default:
		r.markBad(f.Name, msgFormat)
	}
	rows := make([]*record, 0, len(items))
	envs := make([]map[string]any, 0, len(items))
	for i, item := range items {
		m, ok := item.(map[string]any)
		row := v.read(f.Fields, m, fmt.Sprintf("%s[%d]", r.fieldPath(f), i), r)
		if !ok {
			// Kept as an empty row so the following rows keep their index.
			row.badRow = msgFormat
		}
		rows = append(rows, row)
		envs = append(envs, row.env)
	}
	if r.rows == nil {
		r.rows = map[string][]*record{}
	}
	r.rows[f.Name] = rows
	r.env[f.Name] = envs
}

// records returns every instance of the level f lives on: the form, or all
// rows of its repeat in all rows of the enclosing ones.
func (v *validation) records(f *Field) []*record {
	recs := []*record{v.top}
	for _, p := range f.parents {
		var next []*record
		for _, r := range recs {
			next = append(next, r.rows[p.Name]...)
		}
		recs = next
	}
	return recs
}

// settle evaluates f's relevance and calculation in every record of its
// level. A condition that fails to run keeps the field: dropping data on an
// evaluation error would lose what the cadre entered.
func (v *validation) settle(f *Field) {
	for _, r := range v.records(f) {
		if r.dropped[f.Name] {
			continue
		}
		scope := r.scope()
		if f.relevant != nil {
			if rel, err := runBool(f.relevant, scope); err == nil && !rel {
				r.drop(f)
				continue
			}
		}
		if f.calculate == nil {
			continue
		}
		val, msg := f.compute(scope)
		if msg != "" {
			r.markBad(f.Name, msg)
		}
		r.set(f, val)
	}
}

// check reports the errors of one record in declaration order: unreadable
// values, missing required ones, row counts and failed constraints.
func (v *validation) check(r *record) {
	if r.badRow != "" {
		v.fail(r.path, r.badRow)
		return
	}
	scope := r.scope()
	if r.parent == nil {
		// Constraints set "value" in the scope; the form's own env must
		// stay as it is because rows copy it.
		scope = copyEnv(scope)
	}
	for _, f := range r.fields {
		if r.dropped[f.Name] {
			continue
		}
		fp := r.fieldPath(f)
		if msg := r.bad[f.Name]; msg != "" {
			v.fail(fp, msg)
			continue
		}
		if f.Type == TypeRepeat {
			v.checkRows(r, f, fp, scope)
			continue
		}
		if r.unreadable(f.checkReads) {
			continue
		}
		if _, filled := r.vals[f.Name]; !filled {
			if !f.calculated() && required(f, scope) {
				v.fail(fp, f.requiredMessage())
			}
			continue
		}
		if !satisfies(f, scope, r.env[f.Name]) {
			v.fail(fp, f.constraintMessage())
		}
	}
}

func (v *validation) checkRows(r *record, f *Field, fp string, scope map[string]any) {
	rows := r.rows[f.Name]
	least := 0
	if f.Min != nil {
		least = *f.Min
	}
	if least == 0 && required(f, scope) {
		least = 1
	}
	if len(rows) < least {
		v.fail(fp, fmt.Sprintf("至少填写%d行", least))
	}
	if f.Max != nil && len(rows) > *f.Max {
		v.fail(fp, fmt.Sprintf("最多填写%d行", *f.Max))
	}
	if len(rows) > 0 && !r.unreadable(f.checkReads) && !satisfies(f, scope, r.env[f.Name]) {
		v.fail(fp, f.constraintMessage())
	}
	for _, row := range rows {
		v.check(row)
	}
}
func (v *validation) fail(path, msg string) {
	v.errs = append(v.errs, FieldError{Field: path, Message: msg})
}

// required evaluates `required:`. A condition that fails to run does not
// require: a cadre cannot fix a broken definition by filling more fields.
func required(f *Field, scope map[string]any) bool {
	if f.Required {
		return true
	}
	if f.requiredIf == nil {
		return false
	}
	req, err := runBool(f.requiredIf, scope)
	return err == nil && req
}

// satisfies evaluates the constraint with the field's value as `value`. A
// constraint that fails to run is not satisfied.
func satisfies(f *Field, scope map[string]any, value any) bool {
	if f.constraint == nil {
		return true
	}
	scope["value"] = value
	ok, err := runBool(f.constraint, scope)
	return err == nil && ok
}

func (f *Field) requiredMessage() string {
	switch f.Type {
	case TypeSelect, TypeMultiselect, TypeBoolean:
		return "请选择" + f.Label
	}
	return "请填写" + f.Label
}

func (f *Field) constraintMessage() string {
	if f.ConstraintMessage != "" {
		return f.ConstraintMessage
	}
	return "不符合填写要求"
}
