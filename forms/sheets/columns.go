package sheets

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"jianfu/forms"
)

// Column is one column of a list: its 0-based index in the header, the
// header cell and the field it fills (nil for an extra column).
type Column struct {
	Index  int
	Header string
	Field  *forms.Field
}

// Letter returns the column's name in Excel: A, B, …, AA.
func (c Column) Letter() string { return columnLetter(c.Index) }

// Columns is a list's header mapped onto a form's fields. It is not
// changed after MapColumns, so its methods are safe for concurrent use.
type Columns struct {
	// Mapped are the columns that fill a field, in column order.
	Mapped []Column
	// Extra are the columns that fill none: not an error, a department
	// may send more than the form asks. They are kept for the error sheet
	// and for callers that store them.
	Extra []Column
}

// HeaderError says why a header does not fit a form. Error gives one
// Chinese message for the uploader, e.g. `缺少必填列：身份证号、姓名`.
type HeaderError struct {
	// Missing are the labels of the required fields no column fills, in
	// form order.
	Missing []string
	// Duplicated are the fields two or more columns fill, with the
	// columns: "身份证号（B列、E列）".
	Duplicated []string
	// Ambiguous are headers that are the label of several fields:
	// "姓名（C列）可指 head_name、spouse_name".
	Ambiguous []string
	// Repeats are the names of the form's repeat fields, which one row of
	// a list cannot fill.
	Repeats []string
}

func (e *HeaderError) Error() string {
	var parts []string
	add := func(prefix string, items []string) {
		if len(items) > 0 {
			parts = append(parts, prefix+strings.Join(items, "、"))
		}
	}
	add("缺少必填列：", e.Missing)
	add("列重复：", e.Duplicated)
	if len(e.Ambiguous) > 0 {
		parts = append(parts, "表头对应多个字段，请改用字段名："+strings.Join(e.Ambiguous, "；"))
	}
	add("名单不支持重复组字段：", e.Repeats)
	return strings.Join(parts, "；")
}

func (e *HeaderError) empty() bool {
	return len(e.Missing)+len(e.Duplicated)+len(e.Ambiguous)+len(e.Repeats) == 0
}

// MapColumns maps a header onto a form's fields. A header cell matches a
// field by its label (e.g. "身份证号") or its name (e.g. "id_number"),
// ignoring spaces anywhere, letter case, and a "*" or "（必填）" marking a
// required column; a name wins over another field's label. Fields inside
// groups count, since groups do not nest data. Unknown columns, and
// columns of calculated or attachment fields, which a list cannot fill,
// are kept aside in Extra. A required field without a column (unless it
// has a default or is prefilled), two columns for one field, a header that
// is the label of two fields, or a repeat in the form is a *HeaderError
// listing every such problem.
func MapColumns(def *forms.Definition, header []string) (*Columns, error) {
	m := newMatcher(def.Flat(nil))
	herr := &HeaderError{}
	cols := &Columns{}
	byField := map[*forms.Field][]int{}
	for i, h := range header {
		key := headerKey(h)
		if key == "" {
			continue
		}
		col := Column{Index: i, Header: strings.TrimSpace(h)}
		f, candidates := m.match(key)
		switch {
		case len(candidates) > 1:
			herr.Ambiguous = append(herr.Ambiguous, fmt.Sprintf("%s（%s列）可指 %s", col.Header, col.Letter(), fieldNames(candidates)))
			continue
		case f == nil || !fillable(f):
			cols.Extra = append(cols.Extra, col)
			continue
		}
		col.Field = f
		if len(byField[f]) == 0 {
			cols.Mapped = append(cols.Mapped, col)
		}
		byField[f] = append(byField[f], i)
	}
	for _, f := range def.Flat(nil) {
		switch {
		case f.Type == forms.TypeRepeat:
			herr.Repeats = append(herr.Repeats, f.Name)
		case len(byField[f]) > 1:
			herr.Duplicated = append(herr.Duplicated, fmt.Sprintf("%s（%s）", fieldTitle(f), columnLetters(byField[f])))
		case len(byField[f]) == 0 && mustHaveColumn(f):
			herr.Missing = append(herr.Missing, fieldTitle(f))
		}
	}
	if !herr.empty() {
		return nil, herr
	}
	return cols, nil
}

// matcher finds fields by normalized name and label.
type matcher struct {
	byName  map[string]*forms.Field
	byLabel map[string][]*forms.Field
}

func newMatcher(fields []*forms.Field) *matcher {
	m := &matcher{byName: map[string]*forms.Field{}, byLabel: map[string][]*forms.Field{}}
	for _, f := range fields {
		m.byName[headerKey(f.Name)] = f
		if k := headerKey(f.Label); k != "" {
			m.byLabel[k] = append(m.byLabel[k], f)
		}
	}
	return m
}

// match returns the field a header key names, or the fields it may name
// when it is ambiguous.
func (m *matcher) match(key string) (*forms.Field, []*forms.Field) {
	if f, ok := m.byName[key]; ok {
		return f, nil
	}
	switch fs := m.byLabel[key]; len(fs) {
	case 0:
		return nil, nil
	case 1:
		return fs[0], nil
	default:
		return nil, fs
	}
}

// fillable reports whether a cell can give the field's value: calculated
// and read-only fields take none, attachments are files, and repeats are
// refused as a whole.
func fillable(f *forms.Field) bool {
	switch f.Type {
	case forms.TypeRepeat, forms.TypeGroup, forms.TypePhoto, forms.TypeSignature, forms.TypeFile:
		return false
	}
	return !f.ReadOnly
}

// mustHaveColumn reports whether a list without a column for f could
// never give a valid submission. A conditional `required` is left to the
// form engine, row by row.
func mustHaveColumn(f *forms.Field) bool {
	return f.Required && !f.ReadOnly && f.Default == nil && f.Prefill == ""
}

// headerKey normalizes a header cell or a field's name or label for
// matching: no white space (Excel headers wrap: "身份\n证号"), lower case,
// and no required-marks ("*姓名", "身份证号＊", "姓名（必填）").
func headerKey(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	for {
		before := s
		for _, mark := range []string{"*", "＊", "（必填）", "(必填)"} {
			s = strings.TrimSuffix(s, mark)
			s = strings.TrimPrefix(s, mark)
		}
		if s == before {
			return s
		}
	}
}

// fieldTitle names a field for the uploader: its label, else its name.
func fieldTitle(f *forms.Field) string {
	if f.Label != "" {
		return f.Label
	}
	return f.Name
}

func fieldNames(fs []*forms.Field) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, "、")
}

// columnLetter returns Excel's name of the 0-based column i.
func columnLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		// Beyond Excel's last column (only a CSV gets there).
		return fmt.Sprintf("第%d", i+1)
	}
	return name
}

func columnLetters(indexes []int) string {
	letters := make([]string, len(indexes))
	for i, idx := range indexes {
		letters[i] = columnLetter(idx) + "列"
	}
	return strings.Join(letters, "、")
}
