package forms

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"gopkg.in/yaml.v3"
)

// Limits on a spreadsheet: the file is administrator input and a zip can
// expand far beyond its size.
const (
	xlsUnzipLimit = 32 << 20
	xlsXMLLimit   = 16 << 20
	xlsMaxRows    = 5000
	xlsMaxColumns = 200
)

// ParseXLSForm reads a form written as an XLSForm-style spreadsheet (sheets
// survey, choices, settings and optionally params) into the same model as
// Parse, with the built-in shared lists. A problem's File is
// "file!sheet", its Line the spreadsheet row and its Path the column.
func ParseXLSForm(file string, data []byte) (*Definition, error) {
	return ParseXLSFormWith(file, data, Options{Lists: BuiltinLists()})
}

// ParseXLSFormWith is ParseXLSForm with exactly the shared lists in opts.
func ParseXLSFormWith(file string, data []byte, opts Options) (*Definition, error) {
	sheets, err := readSheets(data)
	if err != nil {
		return nil, Problems{{File: file, Line: 1, Message: "无法读取电子表格：" + err.Error()}}
	}
	x := &xlsReader{p: &parser{file: file, sources: map[*Field]*fieldSource{}, shared: opts.Lists}, file: file}
	root := x.root(sheets)
	var d *Definition
	if root != nil {
		d = x.p.definitionFrom(root, data)
	}
	if len(x.p.problems) > 0 {
		return nil, x.problems()
	}
	return d, nil
}

// readSheets returns every sheet's rows by lower-cased name. excelize is a
// third-party parser of untrusted input: a panic becomes an error.
func readSheets(data []byte) (sheets map[string][][]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("xlsx: %v", r)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: xlsUnzipLimit, UnzipXMLSizeLimit: xlsXMLLimit,
	})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets = map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := sheetRows(f, name)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		sheets[strings.ToLower(strings.TrimSpace(name))] = rows
	}
	return sheets, nil
}

// sheetRows streams one sheet's rows, refusing sheets beyond the limits
// before they are expanded: a single cell at XFD1048576 would otherwise
// become a billion empty strings.
func sheetRows(f *excelize.File, sheet string) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) >= xlsMaxRows {
			return nil, fmt.Errorf("more than %d rows", xlsMaxRows)
		}
		cols, err := it.Columns()
		if err != nil {
			return nil, err
		}
		if len(cols) > xlsMaxColumns {
			return nil, fmt.Errorf("more than %d columns", xlsMaxColumns)
		}
		rows = append(rows, cols)
	}
	return rows, it.Error()
}

// xlsReader turns sheets into the node tree the YAML parser reads, each
// node's Line being its spreadsheet row, and remembers which sheet a
// definition path came from so problems point into the workbook.
type xlsReader struct {
	p    *parser
	file string
}

// xlsTable is one sheet with its header row.
type xlsTable struct {
	name   string
	header []string // normalized column names
	rows   [][]string
}

func (x *xlsReader) problem(sheet string, row int, column, format string, args ...any) {
	x.p.problems = append(x.p.problems, Problem{File: x.file + "!" + sheet, Line: row, Path: column, Message: fmt.Sprintf(format, args...)})
}

// table finds a sheet and normalizes its header: trimmed, lower case,
// "label" and "label::中文 (zh)" both meaning Chinese.
func (x *xlsReader) table(sheets map[string][][]string, name string, needed bool) *xlsTable {
	rows, ok := sheets[name]
	if !ok || len(rows) == 0 {
		if needed {
			x.problem(name, 1, "", "缺少工作表 %s", name)
		}
		return nil
	}
	t := &xlsTable{name: name, rows: rows}
	for _, h := range rows[0] {
		t.header = append(t.header, columnName(h))
	}
	return t
}

// columnName normalizes a header: "Label::English (en)" → "label::en",
// "label::zh" and "label::中文 (zh)" → "label".
func columnName(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	base, lang, ok := strings.Cut(h, "::")
	if !ok {
		return h
	}
	if open := strings.LastIndexByte(lang, '('); open >= 0 && strings.HasSuffix(lang, ")") {
		lang = lang[open+1 : len(lang)-1]
	}
	lang = strings.TrimSpace(lang)
	if lang == "zh" {
		return base
	}
	return base + "::" + lang
}

// cells returns a row's non-empty cells by column.
func (t *xlsTable) cells(i int) map[string]string {
	out := map[string]string{}
	for j, v := range t.rows[i] {
		if j < len(t.header) && t.header[j] != "" && strings.TrimSpace(v) != "" {
			out[t.header[j]] = strings.TrimSpace(v)
		}
	}
	return out
}

func (x *xlsReader) root(sheets map[string][][]string) *yaml.Node {
	root := mappingNode(1)
	if settings := x.table(sheets, "settings", true); settings != nil && len(settings.rows) > 1 {
		c := settings.cells(1)
		for _, kv := range [][2]string{{"form_id", "id"}, {"form_title", "title"}, {"description", "description"}} {
			if v, ok := c[kv[0]]; ok {
				addScalar(root, kv[1], v, 2)
			}
		}
		if v, ok := c["version"]; ok {
			addTagged(root, "version", v, "!!int", 2)
		}
	} else if settings != nil {
		x.problem("settings", 2, "", "settings 工作表缺少第2行（form_id、form_title）")
	}
	if params := x.table(sheets, "params", false); params != nil {
		root.Content = append(root.Content, keyNode("params", 1), x.params(params))
	}
	if choices := x.table(sheets, "choices", false); choices != nil {
		root.Content = append(root.Content, keyNode("choices", 1), x.choices(choices))
	}
	survey := x.table(sheets, "survey", true)
	if survey == nil {
		return nil
	}
	fields := x.survey(survey)
	if fields == nil {
		return nil
	}
	root.Content = append(root.Content, keyNode("fields", 1), fields)
	return root
}

// params reads the params sheet: name, value.
func (x *xlsReader) params(t *xlsTable) *yaml.Node {
	m := mappingNode(1)
	for i := 1; i < len(t.rows); i++ {
		c := t.cells(i)
		if c["name"] == "" {
			continue
		}
		v := c["value"]
		tag := "!!str"
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			tag = "!!int"
		} else if _, err := strconv.ParseFloat(v, 64); err == nil {
			tag = "!!float"
		} else if v == "true" || v == "false" {
			tag = "!!bool"
		}
		m.Content = append(m.Content, keyNode(c["name"], i+1), &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v, Line: i + 1})
	}
	return m
}

// choices reads the choices sheet: list_name, name, label, translations,
// and any other column as an attribute for choice filters.
func (x *xlsReader) choices(t *xlsTable) *yaml.Node {
	m := mappingNode(1)
	lists := map[string]*yaml.Node{}
	for i := 1; i < len(t.rows); i++ {
		c := t.cells(i)
		list := c["list_name"]
		if list == "" {
			if len(c) > 0 {
				x.problem("choices", i+1, "list_name", "缺少列表名 list_name")
			}
			continue
		}
		seq, ok := lists[list]
		if !ok {
			seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: i + 1}
			lists[list] = seq
			m.Content = append(m.Content, keyNode(list, i+1), seq)
		}
		item := mappingNode(i + 1)
		for _, col := range sortedKeys(c) {
			switch col {
			case "list_name":
			case "name":
				addScalar(item, "value", c[col], i+1)
			default:
				addScalar(item, col, c[col], i+1)
			}
		}
		seq.Content = append(seq.Content, item)
	}
	return m
}

// survey reads the survey sheet into the fields list, nesting groups and
// repeats between their begin and end rows.
func (x *xlsReader) survey(t *xlsTable) *yaml.Node {
	top := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: 2}
	type open struct {
		kind   string // "group" or "repeat"
		row    int
		fields *yaml.Node
	}
	stack := []open{{fields: top}}
	for i := 1; i < len(t.rows); i++ {
		row := i + 1
		c := t.cells(i)
		typ := strings.Join(strings.Fields(strings.ToLower(c["type"])), " ")
		if typ == "" {
			if len(c) > 0 {
				x.problem("survey", row, "type", "缺少类型 type")
			}
			continue
		}
		kind, rest, _ := strings.Cut(strings.ReplaceAll(typ, "_", " "), " ")
		switch {
		case typ == "end group" || typ == "end_group" || typ == "end repeat" || typ == "end_repeat":
			want := strings.TrimPrefix(strings.TrimPrefix(typ, "end"), "_")
			want = strings.TrimSpace(want)
			if len(stack) == 1 || stack[len(stack)-1].kind != want {
				x.problem("survey", row, "type", "%s 没有对应的 begin %s", typ, want)
				continue
			}
			stack = stack[:len(stack)-1]
			continue
		case typ == "note":
			// A note has no value; its text belongs in a hint.
			continue
		case kind == "begin" && (rest == "group" || rest == "repeat"):
			n := x.surveyField(t, c, row, rest)
			fields := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: row}
			n.Content = append(n.Content, keyNode("fields", row), fields)
			stack[len(stack)-1].fields.Content = append(stack[len(stack)-1].fields.Content, n)
			stack = append(stack, open{kind: rest, row: row, fields: fields})
			continue
		}
		n := x.surveyField(t, c, row, typ)
		stack[len(stack)-1].fields.Content = append(stack[len(stack)-1].fields.Content, n)
	}
	for _, o := range stack[1:] {
		x.problem("survey", o.row, "type", "begin %s 没有对应的 end %s", o.kind, o.kind)
	}
	return top
}

// surveyTypes maps XLSForm types to field types. decimal becomes money:
// the forms of this domain only have decimals for amounts in yuan.
func surveyTypes() map[string]string {
	return map[string]string{
		"text": TypeText, "integer": TypeInteger, "decimal": TypeMoney, "date": TypeDate,
		"calculate": TypeMoney, "image": TypePhoto, "photo": TypePhoto, "signature": TypeSignature,
		"file": TypeFile, "acknowledge": TypeBoolean, "group": TypeGroup, "repeat": TypeRepeat,
		TypeTextarea: TypeTextarea, TypeMoney: TypeMoney, TypeIDCard: TypeIDCard, TypePhone: TypePhone,
		TypeBoolean: TypeBoolean,
	}
}

// surveyField builds one field's mapping from a survey row.
func (x *xlsReader) surveyField(t *xlsTable, c map[string]string, row int, typ string) *yaml.Node {
	n := mappingNode(row)
	list := ""
	if kind, rest, ok := strings.Cut(typ, " "); ok && (kind == "select_one" || kind == "select_multiple") {
		typ, list = TypeSelect, strings.TrimSpace(rest)
		if kind == "select_multiple" {
			typ = TypeMultiselect
		}
	} else if mapped, ok := surveyTypes()[typ]; ok {
		typ = mapped
	}
	addScalar(n, "type", typ, row)
	if list != "" {
		addScalar(n, "choices", list, row)
	}
	for _, col := range sortedKeys(c) {
		v := c[col]
		key := col
		if xlsDisplayOnly(col) {
			continue
		}
		switch col {
		case "type", "list_name":
			continue
		case "calculation":
			key = "calculate"
		}
		switch key {
		case "required", "readonly":
			if b, ok := xlsBool(v); ok {
				addTagged(n, key, strconv.FormatBool(b), "!!bool", row)
				continue
			}
			addScalar(n, key, dollarNames(v), row)
		case "min", "max":
			addTagged(n, key, v, "!!int", row)
		case "relevant", "constraint", "calculate", "repeat_count":
			addScalar(n, key, dollarNames(v), row)
		case "choice_filter":
			addScalar(n, key, choiceFilter(v), row)
		case "default":
			if typ == TypeMultiselect {
				seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: row}
				for _, s := range strings.Fields(v) {
					seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Line: row})
				}
				n.Content = append(n.Content, keyNode(key, row), seq)
				continue
			}
			addScalar(n, key, v, row)
		default:
			addScalar(n, key, v, row)
		}
	}
	return n
}

// xlsDisplayOnly reports whether a survey column only changes how a form
// looks in XLSForm tools; such columns are skipped, the rest must be known.
func xlsDisplayOnly(col string) bool {
	base, _, _ := strings.Cut(col, "::")
	switch base {
	case "appearance", "guidance_hint", "parameters", "media", "image", "audio", "video",
		"body", "instance", "trigger", "autoplay", "required_message", "note":
		return true
	}
	return false
}

// xlsBool reads the yes/no spellings spreadsheets use.
func xlsBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "true", "1", "y", "是":
		return true, true
	case "no", "false", "0", "n", "否":
		return false, true
	}
	return false, false
}

// dollarNames rewrites XLSForm's ${name} references to the bare names the
// expression language uses; text inside quotes is left alone.
func dollarNames(s string) string {
	return rewriteNames(s, func(ident string, dollar bool) string { return ident })
}

// choiceFilter rewrites an XLSForm choice filter: ${township} is the form's
// field, a bare name is the option's attribute (township → choice.township),
// except names that already mean something in the language.
func choiceFilter(s string) string {
	return rewriteNames(s, func(ident string, dollar bool) string {
		if dollar || !validName(ident) || ident == "choice" || ident == "params" {
			return ident
		}
		return "choice." + ident
	})
}

// rewriteNames calls fn for every identifier outside quotes that is not a
// property (after '.') or a call (before '('), and for every ${name}.
func rewriteNames(s string, fn func(ident string, dollar bool) string) string {
	var b strings.Builder
	isStart := func(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
	isPart := func(c byte) bool { return isStart(c) || c >= '0' && c <= '9' }
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(s) && s[j] != c {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(s))
			b.WriteString(s[i:j])
			i = j
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(fn(strings.TrimSpace(s[i+2:i+end]), true))
			i += end + 1
		case isStart(c):
			j := i
			for j < len(s) && isPart(s[j]) {
				j++
			}
			ident := s[i:j]
			k := j
			for k < len(s) && s[k] == ' ' {
				k++
			}
			property := i > 0 && s[i-1] == '.'
			call := k < len(s) && s[k] == '('
			if property || call {
				b.WriteString(ident)
			} else {
				b.WriteString(fn(ident, false))
			}
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (isPart(s[j]) || s[j] == '.') {
				j++
			}
			b.WriteString(s[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// problems moves each problem into the workbook: the sheet it came from in
// File and the column in Path.
func (x *xlsReader) problems() Problems {
	out := make(Problems, 0, len(x.p.problems))
	for _, pr := range x.p.problems {
		if strings.Contains(pr.File, "!") {
			out = append(out, pr)
			continue
		}
		sheet := "survey"
		switch {
		case strings.HasPrefix(pr.Path, "choices"):
			sheet = "choices"
		case strings.HasPrefix(pr.Path, "params"):
			sheet = "params"
		case pr.Path == "id" || pr.Path == "title" || pr.Path == "version" || pr.Path == "description" || pr.Path == "":
			sheet = "settings"
		}
		pr.File = x.file + "!" + sheet
		pr.Path = xlsColumn(pr.Path)
		out = append(out, pr)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out
}

// xlsColumn turns a definition path into the column that holds it:
// "fields[2].fields[0].relevant" → "relevant", "id" → "form_id".
func xlsColumn(path string) string {
	switch path {
	case "id":
		return "form_id"
	case "title":
		return "form_title"
	case "fields":
		return "type"
	}
	last := path[strings.LastIndexByte(path, '.')+1:]
	if i := strings.IndexByte(last, '['); i >= 0 {
		last = last[:i]
	}
	switch last {
	case "calculate":
		return "calculation"
	case "value":
		return "name"
	case "choices":
		return "type"
	}
	if rest, ok := strings.CutPrefix(path, "choices."); ok && !strings.Contains(rest, ".") {
		if strings.HasSuffix(rest, "]") {
			return "name" // the option itself: its value column
		}
		return "list_name"
	}
	return last
}

func mappingNode(line int) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line}
}

func keyNode(key string, line int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key, Line: line}
}

func addScalar(m *yaml.Node, key, value string, line int) {
	addTagged(m, key, value, "!!str", line)
}

func addTagged(m *yaml.Node, key, value, tag string, line int) {
	m.Content = append(m.Content, keyNode(key, line), &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, Line: line})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
