package forms

import (
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// Definition is one form: its fields and the parameters its expressions may
// read. Once shared (after the registry has set Version) it must not be
// changed; its methods are then safe for concurrent use.
type Definition struct {
	ID, Title, Description string
	// Version is set by the registry that stores the definition; the YAML
	// may omit it.
	Version int
	// Fields is the tree as written: groups hold their fields. Data and
	// expressions never see groups (see Flat).
	Fields []*Field
	// Params are the default parameters declared in the YAML (`params:`),
	// e.g. income_line: 6000. Validate, Env and TypeEnv take overrides.
	Params Params
	// ParamsByYear holds the parameters given by year; Params holds each
	// one's newest value. ParamsFor picks a case's values.
	ParamsByYear map[string]YearValues
	// Overlay is set when the definition is a per-locality variant
	// resolved from an overlay (ResolveOverlay); Origins say where each
	// overridden, added or removed part comes from.
	Overlay *Overlay
	Origins []Origin
	File    string
	Source  []byte

	choiceLists map[string][]Choice
	// flat lists the top-level data fields with groups dissolved.
	flat []*Field
	// prefilled are the fields of flat with `prefill:`, which the action
	// path asks about on every submission (NeedsPrefill).
	prefilled []*Field
	// byPath indexes every field by its schema path ("members.id_card").
	byPath map[string]*Field
	// order lists the fields with `relevant` or `calculate` so that every
	// field comes after the fields its expressions read.
	order []*Field
	// batches cuts order into runs of fields on the same level.
	batches [][]*Field
	// top is the layout of the form's values and levels that of every
	// level, the top one first (see layout.go).
	top    *level
	levels []*level
	// scratch pools what validations reuse: the expression machine and
	// the scope maps.
	scratch sync.Pool
}

// Field is one input of a form, one column of a repeat row, or a group of
// fields (type group) shown together.
type Field struct {
	// What Validate reads of every field comes first, so that it shares a
	// few cache lines instead of being spread over the struct: the
	// compiled programs and the layout (see layout.go), that is the
	// field's index on its level, a repeat's index among its level's
	// repeats and the layout of its rows, which scopes hold the field's
	// value, whether any program sees it, and where the values its checks
	// read are.
	relevant   *vm.Program
	requiredIf *vm.Program
	constraint *vm.Program
	calculate  *vm.Program
	filter     *vm.Program
	repeatN    *vm.Program
	// The fast forms of relevant, requiredIf, constraint and, for money
	// and integer fields, calculate, where they have one (see
	// valuecheck.go).
	relevantCheck, requiredCheck, constraintCheck fastCheck
	calculateFast                                 fastNumber
	slot, rep                                     int
	// rows is set for a repeat: testing it is cheaper than comparing Type.
	rows   *level
	scoped bool
	seen   bool
	// sameRelevance is set when the field comes right after another in
	// the settling order with the same relevance, which does not read
	// that field: its result holds for both, as for the fields of a
	// group.
	sameRelevance bool
	scopedIn      []int
	checkSlots    []slotRef
	// zero is zeroExpr computed once; validations share it, which is safe
	// because expressions cannot change their environment.
	zero any

	Name, Type, Label, Hint string
	// Labels and Hints hold translations by language ("en"); Label and
	// Hint are the Chinese text. Use LabelIn for a language with fallback.
	Labels, Hints map[string]string
	Required      bool
	// RequiredIf is the expression of `required:` when it is not a bool.
	RequiredIf                    string
	Constraint, ConstraintMessage string
	Relevant, Calculate           string
	Default                       any
	// ReadOnly is true for calculated fields and for `readonly: true`:
	// their input is ignored.
	ReadOnly bool
	// Prefill names where the value comes from before the cadre types:
	// "household.head_name" or "submission.<form>.<field>".
	Prefill string
	// ChoiceList names the list (the form's own or a shared one) the
	// choices came from, if any.
	ChoiceList string
	Choices    []Choice
	// ChoiceFilter is an expression over `choice` (the option with its
	// attributes) and the form: only options it accepts may be chosen.
	ChoiceFilter string
	// Min and Max bound the number of rows of a repeat; RepeatCount is an
	// expression giving the exact number of rows.
	Min, Max    *int
	RepeatCount string
	// Accept lists the MIME types ("image/jpeg", "image/*") or file name
	// extensions (".pdf") an attachment may have; MaxSize bounds its size
	// in bytes. Both have per-type defaults.
	Accept  []string
	MaxSize int64
	// Fields are the columns of a repeat row or the members of a group.
	Fields []*Field
	Line   int

	path    string // schema path, "members.id_card"
	parents []*Field
	// flat are a repeat's row fields with groups dissolved.
	flat []*Field
	// groups are the enclosing groups on the field's own level.
	groups     []*Field
	defaultVal any // Default normalized to the field's type
	// choiceEnvs are the `choice` values the filter sees, one per choice.
	choiceEnvs []map[string]any
	// checkReads names what `required` and `constraint` read, so a check
	// is skipped while a value it depends on is unreadable.
	checkReads []string
}

// Choice is one option of a select or multiselect. Attrs are the extra
// columns a cascading filter reads (a village's township); Labels holds
// translations of Label by language.
type Choice struct {
	Value, Label string
	Labels       map[string]string
	Attrs        map[string]string
}

// LabelIn returns the label in lang, or the Chinese label when there is no
// translation.
func (c Choice) LabelIn(lang string) string {
	if l, ok := c.Labels[lang]; ok {
		return l
	}
	return c.Label
}

// LabelIn returns the field's label in lang, or the Chinese label when
// there is no translation.
func (f *Field) LabelIn(lang string) string {
	if l, ok := f.Labels[lang]; ok {
		return l
	}
	return f.Label
}

// HintIn returns the field's hint in lang, or the Chinese hint.
func (f *Field) HintIn(lang string) string {
	if h, ok := f.Hints[lang]; ok {
		return h
	}
	return f.Hint
}

// Label returns the label of the field at path in lang ("zh", "en"),
// falling back to Chinese; "" when the form has no such field.
func (d *Definition) Label(path, lang string) string {
	f := d.Field(path)
	if f == nil {
		return ""
	}
	return f.LabelIn(lang)
}

// Flat returns the fields of one level of data with groups dissolved: the
// form's top level for nil, a repeat's row for that repeat. These are the
// keys of the submitted and stored values.
func (d *Definition) Flat(repeat *Field) []*Field {
	if repeat == nil {
		return d.flat
	}
	return repeat.flat
}

// Params are a form's parameters by name, e.g. income_line: 6000. Numbers
// are int or float64 as declared; overrides are coerced to the declared
// kind.
type Params map[string]any

// Field finds a field by path: "members.id_card" or "members[0].id_card".
// It returns nil when the form has no such field.
func (d *Definition) Field(path string) *Field {
	return d.byPath[schemaPath(path)]
}

// schemaPath drops row indexes: "members[2].id_card" → "members.id_card".
func schemaPath(path string) string {
	if !strings.Contains(path, "[") {
		return path
	}
	var b strings.Builder
	skip := false
	for _, r := range path {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// defaultValue returns the normalized default, copied when it is a list so
// that no submission shares memory with the definition.
func (f *Field) defaultValue() any {
	if list, ok := f.defaultVal.([]string); ok {
		return append([]string(nil), list...)
	}
	return f.defaultVal
}

// calculated reports whether the field's value comes from `calculate`.
func (f *Field) calculated() bool { return f.calculate != nil }
