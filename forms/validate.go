package forms

import (
	"fmt"
	"math"
	"strings"

	"github.com/expr-lang/expr/vm"
)

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
	return d.ValidateWith(input, Context{Params: params})
}

// Context is what a submission is validated with besides its input: the
// locality's parameters and the data prefilled fields read. Household and
// Submissions hold stored values (money in fen, as Validate returns them);
// Submissions is keyed by form id, then field name.
type Context struct {
	Params      Params
	Household   map[string]any
	Submissions map[string]map[string]any
}

// ValidateWith is Validate with prefill data: a field with `prefill:` that
// the client left empty takes the prefilled value, and a read-only one
// takes it whatever the client sent.
func (d *Definition) ValidateWith(input map[string]any, ctx Context) (map[string]any, FieldErrors) {
	v := d.settled(input, ctx)
	v.check(v.top)
	out := v.top.output()
	if len(v.errs) == 0 {
		return out, nil
	}
	return out, v.errs
}

// settled runs the first two passes: read and normalize the input, then
// settle relevance and calculations.
func (d *Definition) settled(input map[string]any, ctx Context) *validation {
	v := &validation{ctx: ctx}
	v.top = v.read(d.flat, input, "", nil)
	v.top.env["params"] = map[string]any(d.mergeParams(ctx.Params))
	for _, batch := range d.batches {
		v.settle(batch)
	}
	return v
}

// validation is one run of Validate: the records of the submission and
// the errors found so far.
type validation struct {
	// vm runs every program of this validation, one after the other.
	vm   vm.VM
	ctx  Context
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
		case f.ReadOnly:
			// The client cannot set it: the prefilled value or the default.
			v.readPrefilled(r, f)
		default:
			val, msg := f.normalize(input[f.Name])
			if msg != "" {
				r.markBad(f.Name, msg)
				r.set(f, nil)
				continue
			}
			if val == nil {
				v.readPrefilled(r, f)
				continue
			}
			r.set(f, val)
		}
	}
	return r
}

// readPrefilled sets the prefilled value, or the default when there is
// none. A prefilled value that does not fit the field is an error on it: the
// household record or the earlier form needs correcting.
func (v *validation) readPrefilled(r *record, f *Field) {
	var val any
	if f.Prefill != "" {
		raw, _ := v.ctx.lookup(f.Prefill)
		var msg string
		if val, msg = f.fromStored(raw); msg != "" {
			r.markBad(f.Name, "预填数据有误："+msg)
			val = nil
		}
	}
	if val == nil {
		val = f.defaultValue()
	}
	r.set(f, val)
}

// lookup finds a prefill source: household.a.b or submission.form.field.
func (c Context) lookup(source string) (any, bool) {
	parts := strings.Split(source, ".")
	var cur any
	switch parts[0] {
	case "household":
		cur = c.Household
	case "submission":
		if len(parts) != 3 {
			return nil, false
		}
		cur, parts = c.Submissions[parts[1]], parts[1:]
	default:
		return nil, false
	}
	for _, key := range parts[1:] {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[key]; !ok {
			return nil, false
		}
	}
	return cur, cur != nil
}

// fromStored reads a value already in stored form (money in fen), as
// prefill sources hold it.
func (f *Field) fromStored(raw any) (any, string) {
	switch f.Type {
	case TypeMoney, TypeInteger:
		if raw == nil {
			return nil, ""
		}
		if n, ok := toInt64(raw); ok {
			return n, ""
		}
		if f.Type == TypeMoney {
			return nil, msgMoney
		}
	}
	return f.normalize(raw)
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
	shared := &rowScope{own: f.rowNames}
	r.children = append(r.children, shared)
	for i, item := range items {
		m, ok := item.(map[string]any)
		row := v.read(f.flat, m, fmt.Sprintf("%s[%d]", r.fieldPath(f), i), r)
		row.shared = shared
		if !ok {
			// Kept as an empty row so the following rows keep their index.
			row.badRow = msgFormat
		}
		rows = append(rows, row)
		envs = append(envs, row.env)
		shared.rows = append(shared.rows, row)
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

// settle evaluates the relevance and calculation of a batch of fields in
// every record of their level. A condition that fails to run keeps the field: dropping data on an
// evaluation error would lose what the cadre entered.
//
// A batch is a run of the dependency order on one level; it is settled row
// by row so that each row's scope is laid out once per batch, not once per
// field.
func (v *validation) settle(batch []*Field) {
	for _, r := range v.records(batch[0]) {
		for _, f := range batch {
			v.settleIn(r, f)
		}
	}
}

func (v *validation) settleIn(r *record, f *Field) {
	if r.dropped[f.Name] {
		return
	}
	scope := r.scope()
	if f.relevant != nil {
		if rel, err := runBool(&v.vm, f.relevant, scope); err == nil && !rel {
			r.drop(f)
			return
		}
	}
	if f.calculate == nil {
		return
	}
	val, msg := f.compute(&v.vm, scope)
	if msg != "" {
		r.markBad(f.Name, msg)
	}
	r.set(f, val)
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
			if !f.calculated() && required(&v.vm, f, scope) {
				v.fail(fp, f.requiredMessage())
			}
			continue
		}
		if f.filter != nil && !f.allowed(&v.vm, scope, r.vals[f.Name]) {
			v.fail(fp, msgFiltered)
			continue
		}
		if !satisfies(&v.vm, f, scope, r.env[f.Name]) {
			v.fail(fp, f.constraintMessage())
		}
	}
}

// allowed reports whether every chosen value passes the choice filter.
func (f *Field) allowed(m *vm.VM, scope map[string]any, val any) bool {
	switch chosen := val.(type) {
	case string:
		return f.passes(m, scope, chosen)
	case []string:
		for _, c := range chosen {
			if !f.passes(m, scope, c) {
				return false
			}
		}
	}
	return true
}

// passes runs the filter for one option; a filter that fails to run
// excludes it, as a failing constraint would.
func (f *Field) passes(m *vm.VM, scope map[string]any, value string) bool {
	for i, c := range f.Choices {
		if c.Value == value {
			return f.filterChoice(m, scope, i)
		}
	}
	return false
}

func (f *Field) filterChoice(m *vm.VM, scope map[string]any, i int) bool {
	scope["choice"] = f.choiceEnvs[i]
	ok, err := runBool(m, f.filter, scope)
	return err == nil && ok
}

func (v *validation) checkRows(r *record, f *Field, fp string, scope map[string]any) {
	rows := r.rows[f.Name]
	least := 0
	if f.Min != nil {
		least = *f.Min
	}
	if least == 0 && required(&v.vm, f, scope) {
		least = 1
	}
	if len(rows) < least {
		v.fail(fp, fmt.Sprintf("至少填写%d行", least))
	}
	if f.Max != nil && len(rows) > *f.Max {
		v.fail(fp, fmt.Sprintf("最多填写%d行", *f.Max))
	}
	if want, ok := f.rowCount(&v.vm, scope); ok && !r.unreadable(f.checkReads) && len(rows) != want {
		v.fail(fp, fmt.Sprintf("应填写%d行", want))
	}
	if len(rows) > 0 && !r.unreadable(f.checkReads) && !satisfies(&v.vm, f, scope, r.env[f.Name]) {
		v.fail(fp, f.constraintMessage())
	}
	for _, row := range rows {
		v.check(row)
	}
}

// rowCount evaluates repeat_count; ok is false when there is none or it
// does not give a sensible count.
func (f *Field) rowCount(m *vm.VM, scope map[string]any) (int, bool) {
	if f.repeatN == nil {
		return 0, false
	}
	out, err := m.Run(f.repeatN, scope)
	if err != nil {
		return 0, false
	}
	x, ok := toFloat(out)
	if !ok || x < 0 || x > 10000 || x != math.Trunc(x) {
		return 0, false
	}
	return int(x), true
}

func (v *validation) fail(path, msg string) {
	v.errs = append(v.errs, FieldError{Field: path, Message: msg})
}

// required evaluates `required:`. A condition that fails to run does not
// require: a cadre cannot fix a broken definition by filling more fields.
func required(m *vm.VM, f *Field, scope map[string]any) bool {
	if f.Required {
		return true
	}
	if f.requiredIf == nil {
		return false
	}
	req, err := runBool(m, f.requiredIf, scope)
	return err == nil && req
}

// satisfies evaluates the constraint with the field's value as `value`. A
// constraint that fails to run is not satisfied.
func satisfies(m *vm.VM, f *Field, scope map[string]any, value any) bool {
	if f.constraint == nil {
		return true
	}
	scope["value"] = value
	ok, err := runBool(m, f.constraint, scope)
	return err == nil && ok
}

func (f *Field) requiredMessage() string {
	switch f.Type {
	case TypeBoolean:
		// A required boolean is a checkbox to tick: "choose" reads wrong.
		return "请勾选「" + f.Label + "」"
	case TypeSelect, TypeMultiselect:
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
