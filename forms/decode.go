package forms

import (
	"sort"
	"strconv"
	"strings"
)

// DecodeValues turns an HTML form post into the nested input Validate takes.
// Names are field paths: "head_id", "members[0].name". A multiselect takes
// all its values; a boolean is a checkbox, true when any value is "on",
// "true", "1" or "是" and false when absent, since browsers send nothing for
// an unchecked box; other fields take their last non-empty value. Repeat
// rows keep the order of their indexes with gaps closed. Names that match
// no field are ignored.
func (d *Definition) DecodeValues(v map[string][]string) map[string]any {
	top := newPostLevel(d.flat)
	for name, values := range v {
		top.put(name, values)
	}
	return top.input()
}

// postLevel gathers the posted values of one level: the form or one row.
type postLevel struct {
	fields []*Field
	values map[string]any
	rows   map[string]map[int]*postLevel
}

func newPostLevel(fields []*Field) *postLevel {
	return &postLevel{fields: fields, values: map[string]any{}, rows: map[string]map[int]*postLevel{}}
}

func (l *postLevel) field(name string) *Field {
	for _, f := range l.fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// put files one posted name under its level, walking "members[0]." steps.
// It reports whether the name meant a field; a row is only created for a
// name that did, so a stray name cannot add an empty row.
func (l *postLevel) put(name string, values []string) bool {
	head, rest, nested := strings.Cut(name, ".")
	fieldName, index, indexed := splitIndex(head)
	f := l.field(fieldName)
	switch {
	case f == nil || f.ReadOnly:
		return false
	case nested:
		if f.Type != TypeRepeat || !indexed {
			return false
		}
		row := l.rows[f.Name][index]
		if row == nil {
			row = newPostLevel(f.flat)
		}
		if !row.put(rest, values) {
			return false
		}
		if l.rows[f.Name] == nil {
			l.rows[f.Name] = map[int]*postLevel{}
		}
		l.rows[f.Name][index] = row
		return true
	case !indexed && f.Type != TypeRepeat:
		l.values[f.Name] = postedValue(f, values)
		return true
	}
	return false
}

// splitIndex splits "members[3]" into "members", 3. indexed is false for a
// plain name or a malformed index.
func splitIndex(s string) (name string, index int, indexed bool) {
	open := strings.IndexByte(s, '[')
	if open < 0 || !strings.HasSuffix(s, "]") {
		return s, 0, false
	}
	n, err := strconv.Atoi(s[open+1 : len(s)-1])
	if err != nil || n < 0 {
		return s, 0, false
	}
	return s[:open], n, true
}

func postedValue(f *Field, values []string) any {
	switch f.Type {
	case TypeBoolean:
		for _, s := range values {
			if b, msg := normalizeBoolean(s); msg == "" && b == true {
				return true
			}
		}
		return false
	case TypeMultiselect:
		out := make([]string, 0, len(values))
		for _, s := range values {
			if strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		}
		return out
	}
	for i := len(values) - 1; i >= 0; i-- {
		if strings.TrimSpace(values[i]) != "" {
			return values[i]
		}
	}
	return ""
}

// input converts the gathered level to Validate's input shape.
func (l *postLevel) input() map[string]any {
	out := make(map[string]any, len(l.values)+len(l.rows))
	for k, v := range l.values {
		out[k] = v
	}
	for _, f := range l.fields {
		if f.Type == TypeBoolean && !f.ReadOnly {
			if _, posted := out[f.Name]; !posted {
				out[f.Name] = false
			}
		}
	}
	for name, rows := range l.rows {
		indexes := make([]int, 0, len(rows))
		for i := range rows {
			indexes = append(indexes, i)
		}
		sort.Ints(indexes)
		list := make([]any, len(indexes))
		for i, idx := range indexes {
			list[i] = rows[idx].input()
		}
		out[name] = list
	}
	return out
}
