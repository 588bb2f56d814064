package forms

import "github.com/expr-lang/expr/types"

// Field types a definition may use.
const (
	TypeText        = "text"
	TypeTextarea    = "textarea"
	TypeInteger     = "integer"
	TypeMoney       = "money"
	TypeDate        = "date"
	TypeSelect      = "select"
	TypeMultiselect = "multiselect"
	TypeIDCard      = "id_card"
	TypePhone       = "phone"
	TypeBoolean     = "boolean"
	TypeRepeat      = "repeat"
)

// knownType reports whether t is one of the field types above.
func knownType(t string) bool {
	switch t {
	case TypeText, TypeTextarea, TypeInteger, TypeMoney, TypeDate, TypeSelect,
		TypeMultiselect, TypeIDCard, TypePhone, TypeBoolean, TypeRepeat:
		return true
	}
	return false
}

// computable reports whether a field of type t may carry `calculate`. A
// computed 身份证号, phone number, multiselect or repeat would be a value
// no one entered nor checked, so those are refused.
func computable(t string) bool {
	switch t {
	case TypeText, TypeTextarea, TypeInteger, TypeMoney, TypeDate, TypeSelect, TypeBoolean:
		return true
	}
	return false
}

// exprType is the static type of a field's value in expressions: money is
// yuan as float64, integer is int, a repeat is a list of typed rows.
func (f *Field) exprType() types.Type {
	switch f.Type {
	case TypeInteger:
		return types.Int
	case TypeMoney:
		return types.Float64
	case TypeBoolean:
		return types.Bool
	case TypeMultiselect:
		return types.TypeOf([]string{})
	case TypeRepeat:
		return types.Array(rowType(f.Fields))
	case TypeText, TypeTextarea, TypeDate, TypeSelect, TypeIDCard, TypePhone:
		return types.String
	}
	// An unknown type is already a problem; checking expressions against a
	// guessed type would only add noise.
	return types.Any
}

// rowType describes one row of a repeat (or the top level) for the checker.
func rowType(fields []*Field) types.Map {
	m := make(types.Map, len(fields))
	for _, f := range fields {
		m[f.Name] = f.exprType()
	}
	return m
}

// zeroExpr is the value an empty field has in expressions, so that
// expressions never meet nil: "" for text, 0 for numbers, false, an empty
// list.
func (f *Field) zeroExpr() any {
	switch f.Type {
	case TypeInteger:
		return 0
	case TypeMoney:
		return 0.0
	case TypeBoolean:
		return false
	case TypeMultiselect:
		return []string{}
	case TypeRepeat:
		return []map[string]any{}
	}
	return ""
}
