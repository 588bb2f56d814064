package forms

import (
	"fmt"
	"math"
	"strings"
	"time"

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
	// User is who fills the form (user.name); Today is the date the
	// form is filled on, 2006-01-02 in the caller's calendar (today).
	User  map[string]any
	Today string
	// Now is the moment of the submission, on the caller's clock: a date
	// of birth in a 身份证号 may not be after its day. Zero reads the
	// system clock.
	Now time.Time
}

// ValidateWith is Validate with prefill data: a field with `prefill:` that
// the input does not mention (or sends null) takes the prefilled value,
// and a read-only one takes it whatever the client sent. A value sent
// empty stays empty: a page showed the prefilled value and the cadre
// cleared it.
func (d *Definition) ValidateWith(input map[string]any, ctx Context) (map[string]any, FieldErrors) {
	vals, errs := d.Check(input, ctx)
	return vals.Map(), errs
}

// Check is ValidateWith returning the values laid out as the form's
// records (Values) rather than as a map: what the engine passes on to the
// store, which writes them as JSON without building the map.
func (d *Definition) Check(input map[string]any, ctx Context) (Values, FieldErrors) {
	if d.top == nil {
		// Not compiled (built by hand, not parsed): there is nothing to
		// read.
		return Values{}, nil
	}
	v := validation{d: d, ctx: ctx, scratch: d.acquire()}
	v.over = ctx.Params
	if !ctx.Now.IsZero() {
		v.clock = clockAt(ctx.Now)
	}
	v.prepare(input)
	v.check(v.top)
	// The records live in the scratch: copy the values out first.
	out := v.top.values()
	d.release(v.scratch)
	if len(v.errs) == 0 {
		return out, nil
	}
	return out, v.errs
}

// prepare runs the first two passes: read and normalize the input, then
// settle relevance and calculations. The caller releases v.scratch.
func (v *validation) prepare(input map[string]any) {
	v.top = &v.records(v.d.top, nil, 1)[0]
	v.read(v.top, input)
	for _, batch := range v.d.batches {
		v.settle(v.top, batch[0].parents, batch)
	}
}

// validation is one run of Validate: the records of the submission and
// the errors found so far.
type validation struct {
	*scratch
	d     *Definition
	ctx   Context
	clock clock
	top   *record
	errs  FieldErrors
}

// scope returns the environment r's programs run in: the names its
// level's programs read, in a map of r's own, filled when first asked for
// and again after a value of an enclosing record it holds has changed.
func (v *validation) scope(r *record) map[string]any {
	ls := &v.levels[r.lv.id]
	if r.scope != nil && r.gen == ls.gen {
		return r.scope
	}
	if r.scope == nil {
		r.scope = ls.scopes.take(len(r.lv.keys) + 2)
	}
	for _, k := range r.lv.keys {
		if k.slot < 0 {
			r.scope[k.name] = v.paramsValue()
			continue
		}
		from := r
		for range k.up {
			from = from.parent
		}
		r.scope[k.name] = from.env[k.slot]
	}
	r.gen = ls.gen
	return r.scope
}

// set stores a value settled after the read pass and keeps the scopes
// holding the field current: r's own is updated in place, those of the
// records below r are refilled when next asked for.
func (v *validation) set(r *record, f *Field, val any) {
	ev := r.put(f, val)
	if f.scoped && r.scope != nil {
		r.scope[f.Name] = ev
	}
	for _, id := range f.scopedIn {
		v.levels[id].gen++
	}
}

// read normalizes one level of input into r.
func (v *validation) read(r *record, input map[string]any) {
	for _, f := range r.lv.fields {
		switch {
		case f.calculated():
			// Whatever was sent for a calculated field is ignored.
			r.put(f, nil)
		case f.rows != nil:
			raw, sent := input[f.Name]
			if (!sent || raw == nil) && f.Prefill != "" {
				// No rows sent (not even an empty list): the source's.
				if src, ok := v.ctx.lookup(f.Prefill); ok {
					raw = f.inputRows(src)
				}
			}
			v.readRows(r, f, raw)
		case f.ReadOnly:
			// The client cannot set it: the prefilled value or the default.
			v.readPrefilled(r, f)
		default:
			val, msg := f.normalize(input[f.Name], &v.clock)
			if msg != "" {
				r.markBad(f, msg)
				r.put(f, nil)
				continue
			}
			if val == nil {
				if raw, sent := input[f.Name]; sent && raw != nil && f.Prefill != "" {
					// Cleared on a page that showed the prefilled value:
					// the cadre's empty, not the source again.
					r.put(f, f.defaultValue())
					continue
				}
				v.readPrefilled(r, f)
				continue
			}
			r.put(f, val)
		}
	}
}

// readPrefilled sets the prefilled value, or the default when there is
// none. A prefilled value that does not fit the field is an error on it: the
// household record or the earlier form needs correcting.
func (v *validation) readPrefilled(r *record, f *Field) {
	var val any
	if f.Prefill != "" {
		raw, _ := v.ctx.lookup(f.Prefill)
		var msg string
		if val, msg = f.fromStored(raw, &v.clock); msg != "" {
			r.markBad(f, "预填数据有误："+msg)
			val = nil
		}
	}
	if val == nil {
		val = f.defaultValue()
	}
	r.put(f, val)
}

// lookup finds a prefill source: household.a.b, submission.form.field,
// user.name or today.
func (c Context) lookup(source string) (any, bool) {
	if source == "today" {
		return c.Today, c.Today != ""
	}
	parts := strings.Split(source, ".")
	var cur any
	switch parts[0] {
	case "household":
		cur = c.Household
	case "user":
		cur = c.User
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
func (f *Field) fromStored(raw any, c *clock) (any, string) {
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
	return f.normalize(raw, c)
}

func (v *validation) readRows(r *record, f *Field, raw any) {
	var items []any
	var maps []map[string]any
	n := 0
	switch l := raw.(type) {
	case nil:
	case []any:
		items, n = l, len(l)
	case []map[string]any:
		maps, n = l, len(l)
	default:
		r.markBad(f, msgFormat)
	}
	r.vals[f.slot] = nil // a repeat's rows are stored apart, in r.rows
	rows := v.records(f.rows, r, n)
	for i := range rows {
		row := &rows[i]
		var m map[string]any
		if maps != nil {
			m = maps[i]
		} else {
			var ok bool
			if m, ok = items[i].(map[string]any); !ok {
				// Kept as an empty row so the following rows keep their index.
				row.badRow = msgFormat
			}
		}
		v.read(row, m)
	}
	r.rows[f.rep] = rows
	ev := f.zero
	switch {
	case f.rows.rowMaps:
		list := make([]map[string]any, len(rows))
		for i := range rows {
			list[i] = rows[i].m
		}
		ev = list
	case f.rows.counted:
		// Programs only count the rows (see readsRows).
		ev = make([]map[string]any, len(rows))
	}
	r.env[f.slot] = ev
	if r.m != nil {
		r.m[f.Name] = ev
	}
}

// settle evaluates the relevance and calculation of a batch of fields in
// every record of their level below r, parents being the repeats between.
// A condition that fails to run keeps the field: dropping data on an
// evaluation error would lose what the cadre entered.
//
// A batch is a run of the dependency order on one level; it is settled row
// by row so that each row's scope is filled once per batch, not once per
// field.
func (v *validation) settle(r *record, parents []*Field, batch []*Field) {
	if len(parents) > 0 {
		rows := r.rows[parents[0].rep]
		for i := range rows {
			v.settle(&rows[i], parents[1:], batch)
		}
		return
	}
	rel := unevaluated
	for _, f := range batch {
		rel = v.settleIn(r, f, rel)
	}
}

// relevance is what a field's relevance came to in one record.
type relevance int8

const (
	unevaluated relevance = iota
	relevant
	irrelevant // its condition ran and gave false
)

// settleIn settles f in r. prev is the relevance of the field settled
// just before in r, which f takes over when it has the same condition (see
// Field.sameRelevance); it returns f's own for the next.
func (v *validation) settleIn(r *record, f *Field, prev relevance) relevance {
	if r.dropped[f.slot] {
		return unevaluated
	}
	rel := unevaluated
	if f.relevant != nil {
		if f.sameRelevance && prev != unevaluated {
			rel = prev
		} else if ok, err := v.runCheck(r, f.relevant, f.relevantCheck); err == nil && !ok {
			rel = irrelevant
		} else {
			rel = relevant
		}
		if rel == irrelevant {
			v.drop(r, f)
			return rel
		}
	}
	if f.calculate == nil {
		return rel
	}
	val, msg := v.compute(r, f)
	if msg != "" {
		r.markBad(f, msg)
	}
	v.set(r, f, val)
	return rel
}

func (v *validation) drop(r *record, f *Field) {
	r.dropped[f.slot] = true
	if f.rows != nil {
		r.rows[f.rep] = nil
	}
	v.set(r, f, nil)
}

// check reports the errors of one record in declaration order: unreadable
// values, missing required ones, row counts and failed constraints.
func (v *validation) check(r *record) {
	if r.badRow != "" {
		v.fail(r.path(), r.badRow)
		return
	}
	fields := r.lv.checked
	if r.bad != nil {
		fields = r.lv.fields
	}
	for _, f := range fields {
		if r.dropped[f.slot] {
			continue
		}
		if msg := r.badAt(f.slot); msg != "" {
			v.fail(r.fieldPath(f), msg)
			continue
		}
		if f.rows != nil {
			v.checkRows(r, f)
			continue
		}
		if len(f.checkSlots) > 0 && r.unreadable(f.checkSlots) {
			continue
		}
		val := r.vals[f.slot]
		if val == nil {
			if !f.calculated() && v.required(r, f) {
				v.fail(r.fieldPath(f), f.requiredMessage())
			}
			continue
		}
		if f.filter != nil && !f.allowed(&v.vm, v.scope(r), val) {
			v.fail(r.fieldPath(f), msgFiltered)
			continue
		}
		if f.constraint != nil && !v.satisfies(r, f, r.env[f.slot]) {
			v.fail(r.fieldPath(f), f.constraintMessage())
		}
	}
}

// allowed reports whether every chosen value passes the choice filter.
func (f *Field) allowed(m *vm.VM, scope map[string]any, val any) bool {
	// A field may be named choice too: the scope gets its value back once
	// the options have been tried.
	prev, had := scope["choice"]
	ok := true
	switch chosen := val.(type) {
	case string:
		ok = f.passes(m, scope, chosen)
	case []string:
		for _, c := range chosen {
			if !f.passes(m, scope, c) {
				ok = false
				break
			}
		}
	}
	if had {
		scope["choice"] = prev
	}
	return ok
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

func (v *validation) checkRows(r *record, f *Field) {
	rows := r.rows[f.rep]
	least := 0
	if f.Min != nil {
		least = *f.Min
	}
	if least == 0 && v.required(r, f) {
		least = 1
	}
	if len(rows) < least {
		v.fail(r.fieldPath(f), fmt.Sprintf("至少填写%d行", least))
	}
	if f.Max != nil && len(rows) > *f.Max {
		v.fail(r.fieldPath(f), fmt.Sprintf("最多填写%d行", *f.Max))
	}
	if want, ok := v.rowCount(r, f); ok && !r.unreadable(f.checkSlots) && len(rows) != want {
		v.fail(r.fieldPath(f), fmt.Sprintf("应填写%d行", want))
	}
	if len(rows) > 0 && !r.unreadable(f.checkSlots) && !v.satisfies(r, f, r.env[f.slot]) {
		v.fail(r.fieldPath(f), f.constraintMessage())
	}
	for i := range rows {
		v.check(&rows[i])
	}
}

// rowCount evaluates repeat_count in r; ok is false when there is none or
// it does not give a sensible count.
func (v *validation) rowCount(r *record, f *Field) (int, bool) {
	if f.repeatN == nil {
		return 0, false
	}
	out, err := v.vm.Run(f.repeatN, v.scope(r))
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

// required evaluates f's `required:` in r. A condition that fails to run
// does not require: a cadre cannot fix a broken definition by filling more
// fields.
func (v *validation) required(r *record, f *Field) bool {
	if f.Required {
		return true
	}
	if f.requiredIf == nil {
		return false
	}
	req, err := v.runCheck(r, f.requiredIf, f.requiredCheck)
	return err == nil && req
}

// satisfies evaluates f's constraint in r with the field's value as
// `value`. A constraint that fails to run is not satisfied.
func (v *validation) satisfies(r *record, f *Field, value any) bool {
	if f.constraint == nil {
		return true
	}
	if f.constraintCheck != nil {
		if ok, known := f.constraintCheck(value, r, v.scratch); known {
			return ok
		}
	}
	scope := v.scope(r)
	scope["value"] = value
	ok, err := runBool(&v.vm, f.constraint, scope)
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
