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
	// TypeGroup shows fields together; it has no value of its own and its
	// fields' values sit on the group's level, as if it were not there.
	TypeGroup = "group"
	// Attachments: the value is a reference to stored content.
	TypePhoto     = "photo"
	TypeSignature = "signature"
	TypeFile      = "file"
)

// typeNames is the list shown when a type is unknown.
const typeNames = "text、textarea、integer、money、date、select、multiselect、id_card、phone、boolean、repeat、group、photo、signature、file"

// knownType reports whether t is one of the field types above.
func knownType(t string) bool {
	switch t {
	case TypeText, TypeTextarea, TypeInteger, TypeMoney, TypeDate, TypeSelect,
		TypeMultiselect, TypeIDCard, TypePhone, TypeBoolean, TypeRepeat, TypeGroup,
		TypePhoto, TypeSignature, TypeFile:
		return true
	}
	return false
}

// isAttachment reports whether t is an attachment type.
func isAttachment(t string) bool {
	return t == TypePhoto || t == TypeSignature || t == TypeFile
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
		return types.Array(rowType(f.flat))
	case TypePhoto, TypeSignature, TypeFile:
		return attachmentType()
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
	case TypePhoto, TypeSignature, TypeFile:
		return Attachment{}.exprValue()
	}
	return ""
}
