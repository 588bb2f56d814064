package forms

import (
	"strings"

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
	Fields  []*Field
	// Params are the default parameters declared in the YAML (`params:`),
	// e.g. income_line: 6000. Validate, Env and TypeEnv take overrides.
	Params Params
	File   string
	Source []byte

	choiceLists map[string][]Choice
	// byPath indexes every field by its schema path ("members.id_card").
	byPath map[string]*Field
	// order lists the fields with `relevant` or `calculate` so that every
	// field comes after the fields its expressions read.
	order []*Field
}

// Field is one input of a form (or one column of a repeat row).
type Field struct {
	Name, Type, Label, Hint string
	Required                bool
	// RequiredIf is the expression of `required:` when it is not a bool.
	RequiredIf                    string
	Constraint, ConstraintMessage string
	Relevant, Calculate           string
	Default                       any
	// ReadOnly is true for calculated fields: their input is ignored.
	ReadOnly bool
	// ChoiceList names the form's shared list the choices came from, if any.
	ChoiceList string
	Choices    []Choice
	// Min and Max bound the number of rows of a repeat.
	Min, Max *int
	// Fields are the columns of a repeat row.
	Fields []*Field
	Line   int

	path       string // schema path, "members.id_card"
	parents    []*Field
	defaultVal any // Default normalized to the field's type
	relevant   *vm.Program
	requiredIf *vm.Program
	constraint *vm.Program
	calculate  *vm.Program
	// checkReads names what `required` and `constraint` read, so a check
	// is skipped while a value it depends on is unreadable.
	checkReads []string
}

// Choice is one option of a select or multiselect.
type Choice struct{ Value, Label string }

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
