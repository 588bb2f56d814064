package forms

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Values are a submission's normalized values as validation leaves them:
// filled, relevant fields only, in stored form (money in fen), a repeat as
// its rows in order, an empty repeat left out. They keep the layout of the
// form's records, so returning them costs one copy of each level's slots,
// where building a map of them cost more than reading the input
// (docs/BENCHMARKS.md, session 5). Get and Map serve readers that want
// names; AppendJSON writes what json.Marshal(v.Map()) would, byte for byte.
//
// Values are immutable and safe to share. The zero Values hold nothing.
type Values struct {
	lv *level
	// vals holds each field's stored value by slot, nil when absent.
	vals []any
	// rows holds each repeat's rows by rep, nil when it has none.
	rows [][]Values
}

// values copies r's values out of the scratch the validation reuses. The
// rows of a repeat share one slice of slots: a row's values cost no
// allocation of their own.
func (r *record) values() Values {
	v := Values{lv: r.lv, vals: slices.Clone(r.vals)}
	for i, rows := range r.rows {
		if len(rows) == 0 {
			continue
		}
		if v.rows == nil {
			v.rows = make([][]Values, len(r.rows))
		}
		k := len(rows[0].lv.fields)
		slots := make([]any, 0, len(rows)*k)
		out := make([]Values, len(rows))
		for j := range rows {
			row := &rows[j]
			if hasRows(row) {
				out[j] = row.values()
				continue
			}
			start := len(slots)
			slots = append(slots, row.vals...)
			out[j] = Values{lv: row.lv, vals: slots[start:len(slots):len(slots)]}
		}
		v.rows[i] = out
	}
	return v
}

func hasRows(r *record) bool {
	for _, rows := range r.rows {
		if len(rows) > 0 {
			return true
		}
	}
	return false
}

// Len is the number of names Map would hold.
func (v Values) Len() int {
	n := 0
	for _, val := range v.vals {
		if val != nil {
			n++
		}
	}
	for _, rows := range v.rows {
		if len(rows) > 0 {
			n++
		}
	}
	return n
}

// Get returns the value of a field of this level by name: its stored value,
// or for a repeat its rows as Map gives them.
func (v Values) Get(name string) (any, bool) {
	if v.lv == nil {
		return nil, false
	}
	for _, f := range v.lv.fields {
		if f.Name == name {
			val := v.of(f)
			return val, val != nil
		}
	}
	return nil, false
}

// Rows returns the rows of the repeat of that name, nil when it has none.
func (v Values) Rows(name string) []Values {
	if v.lv == nil {
		return nil
	}
	for _, f := range v.lv.repeats {
		if f.Name == name {
			return v.rowsOf(f)
		}
	}
	return nil
}

// of returns the value of f, a field of v's level, as Map holds it.
func (v Values) of(f *Field) any {
	if v.lv == nil {
		return nil
	}
	if f.Type == TypeRepeat {
		if rows := v.rowsOf(f); len(rows) > 0 {
			return valuesMaps(rows)
		}
		return nil
	}
	return v.vals[f.slot]
}

func (v Values) rowsOf(repeat *Field) []Values {
	if v.rows == nil {
		return nil
	}
	return v.rows[repeat.rep]
}

// Map returns the values as a new map: a field's stored value by name, a
// repeat as a []map[string]any of its rows. The zero Values give an empty
// map.
func (v Values) Map() map[string]any {
	out := make(map[string]any, v.Len())
	if v.lv == nil {
		return out
	}
	for i, val := range v.vals {
		if val != nil {
			out[v.lv.fields[i].Name] = val
		}
	}
	for i, rows := range v.rows {
		if len(rows) > 0 {
			out[v.lv.repeats[i].Name] = valuesMaps(rows)
		}
	}
	return out
}

func valuesMaps(rows []Values) []map[string]any {
	list := make([]map[string]any, len(rows))
	for i, r := range rows {
		list[i] = r.Map()
	}
	return list
}

// MarshalJSON writes the values as a JSON object (see AppendJSON).
func (v Values) MarshalJSON() ([]byte, error) {
	return v.AppendJSON(nil)
}

// AppendJSON appends the values as the JSON object json.Marshal(v.Map())
// would write, keys sorted, and returns the extended buffer. Strings that
// need escaping and values other than strings, integers and booleans go
// through encoding/json, so the two cannot disagree.
func (v Values) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	if v.lv == nil {
		return append(b, '}'), nil
	}
	first := true
	for _, f := range v.lv.byName {
		var val any
		if f.Type == TypeRepeat {
			rows := v.rowsOf(f)
			if len(rows) == 0 {
				continue
			}
			val = rows
		} else if val = v.vals[f.slot]; val == nil {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, f.Name)
		b = append(b, ':')
		var err error
		if b, err = appendJSONValue(b, val); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendJSONValue(b []byte, val any) ([]byte, error) {
	switch x := val.(type) {
	case string:
		return appendJSONString(b, x), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case []Values:
		b = append(b, '[')
		for i, row := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = row.AppendJSON(b); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	}
	j, err := json.Marshal(val)
	if err != nil {
		return nil, err
	}
	return append(b, j...), nil
}

// appendJSONString quotes s as encoding/json does. Text needing no escape
// (Chinese included) is copied; anything else, which encoding/json escapes
// (quotes, controls, <>&, U+2028/9, invalid UTF-8), is left to it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendEscaped(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendEscaped(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendEscaped(b []byte, s string) []byte {
	j, _ := json.Marshal(s) // a string always marshals
	return append(b, j...)
}

// AttachmentIDs lists the ids of the attachments the values refer to, each
// once, in field order: what a store links to the case.
func (v Values) AttachmentIDs() []string {
	return v.attachmentIDs(nil)
}

func (v Values) attachmentIDs(out []string) []string {
	if v.lv == nil {
		return out
	}
	for i, f := range v.lv.fields {
		if f.Type == TypeRepeat {
			for _, row := range v.rowsOf(f) {
				out = row.attachmentIDs(out)
			}
			continue
		}
		if val := v.vals[i]; val != nil && isAttachment(f.Type) {
			if a, ok := AttachmentFrom(val); ok && a.ID != "" && !slices.Contains(out, a.ID) {
				out = append(out, a.ID)
			}
		}
	}
	return out
}
