package forms

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// update rewrites testdata/xlsform/household_verification.xlsx from the
// built-in YAML: go test ./forms -run TestXLSFormRoundTrip -update
var update = flag.Bool("update", false, "rewrite testdata/xlsform/*.xlsx")

const verificationXLSX = "testdata/xlsform/household_verification.xlsx"

// buildXLSX writes sheets (name → rows) into a workbook.
func buildXLSX(t testing.TB, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	names := make([]string, 0, len(sheets))
	for name := range sheets {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var surveyHeader = []string{"type", "name", "label::中文 (zh)", "label::English (en)", "hint", "required",
	"constraint", "constraint_message", "relevant", "calculation", "choice_filter", "default", "repeat_count", "appearance", "min", "max"}

// xlsformSheets writes a definition as XLSForm sheets, the way an
// administrator would author it: the top-level fields up to no_labour in
// a group, field references as ${name}, inline choices as named lists.
func xlsformSheets(d *Definition) map[string][][]string {
	survey := [][]string{surveyHeader}
	choices := [][]string{{"list_name", "name", "label", "label::en"}}
	seen := map[string]bool{}
	addList := func(name string, list []Choice) {
		if seen[name] {
			return
		}
		seen[name] = true
		for _, c := range list {
			choices = append(choices, []string{name, c.Value, c.Label, c.Labels["en"]})
		}
	}
	var write func(fields []*Field)
	write = func(fields []*Field) {
		for _, f := range fields {
			typ := map[string]string{TypeMoney: "decimal", TypeRepeat: "begin repeat", TypeGroup: "begin group"}[f.Type]
			if typ == "" {
				typ = f.Type
			}
			if f.Type == TypeSelect || f.Type == TypeMultiselect {
				list := f.ChoiceList
				if list == "" {
					list = f.Name + "_list"
				}
				addList(list, f.Choices)
				typ = map[string]string{TypeSelect: "select_one ", TypeMultiselect: "select_multiple "}[f.Type] + list
			}
			required := f.RequiredIf
			if f.Required {
				required = "yes"
			}
			def := ""
			if f.Default != nil {
				def = strings.TrimSpace(strings.ReplaceAll(strings.Trim(stringOf(f.Default), "[]"), ",", " "))
			}
			survey = append(survey, []string{typ, f.Name, f.Label, f.Labels["en"], f.Hint, required,
				dollar(f.Constraint), f.ConstraintMessage, dollar(f.Relevant), dollar(f.Calculate), f.ChoiceFilter, def, f.RepeatCount, "minimal",
				intText(f.Min), intText(f.Max)})
			if f.Type == TypeRepeat || f.Type == TypeGroup {
				write(f.Fields)
				survey = append(survey, []string{"end " + strings.TrimPrefix(typ, "begin ")})
			}
		}
	}
	var tree []*Field
	split := 0
	for i, f := range d.Fields {
		if f.Name == "no_labour" {
			split = i + 1
		}
	}
	tree = append(tree, &Field{Name: "basic", Type: TypeGroup, Label: "基本信息", Fields: d.Fields[:split]})
	tree = append(tree, d.Fields[split:]...)
	write(tree)
	params := [][]string{{"name", "value"}}
	for k, v := range d.Params {
		params = append(params, []string{k, stringOf(v)})
	}
	return map[string][][]string{
		"survey": survey, "choices": choices, "params": params,
		"settings": {{"form_id", "form_title", "version"}, {d.ID, d.Title, "1"}},
	}
}

// dollar writes the references an XLSForm author would: ${checker1}.
func dollar(expr string) string {
	for _, name := range []string{"checker1", "housing_grade", "net_income"} {
		expr = strings.ReplaceAll(expr, name, "${"+name+"}")
	}
	return expr
}

func intText(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func stringOf(v any) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = stringOf(s)
		}
		return strings.Join(parts, " ")
	case string:
		return x
	}
	b, _ := yamlScalar(v)
	return b
}

func yamlScalar(v any) (string, bool) {
	s, ok := scalarText(v)
	if !ok {
		if b, isBool := v.(bool); isBool {
			if b {
				return "true", true
			}
			return "false", true
		}
	}
	return s, ok
}

// TestXLSFormRoundTrip is the acceptance test of the spreadsheet import:
// the shipped workbook and one built now from the YAML validate every
// input exactly as the YAML definition does.
func TestXLSFormRoundTrip(t *testing.T) {
	yamlDef := builtin(t, "household_verification")
	built := buildXLSX(t, xlsformSheets(yamlDef))
	if *update {
		if err := os.MkdirAll(filepath.Dir(verificationXLSX), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(verificationXLSX, built, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shipped, err := os.ReadFile(verificationXLSX)
	if err != nil {
		t.Fatalf("read %s (regenerate with -update): %v", verificationXLSX, err)
	}
	inputs := map[string]func(in map[string]any){
		"Valid":              func(in map[string]any) {},
		"MissingHeadID":      func(in map[string]any) { delete(in, "head_id") },
		"BadChecksum":        func(in map[string]any) { in["head_id"] = "110105194912310021" },
		"SameCheckers":       func(in map[string]any) { in["checker2"] = in["checker1"] },
		"UnsafeHouseNoNote":  func(in map[string]any) { in["housing_grade"] = "D" },
		"BelowLineNoRisks":   func(in map[string]any) { in["wage"] = "100" },
		"AgeOutOfRange":      func(in map[string]any) { row(in, 0)["age"] = 130.0 },
		"DisabledNoGrade":    func(in map[string]any) { row(in, 1)["health"] = "残疾" },
		"UnknownRelation":    func(in map[string]any) { row(in, 2)["relation"] = "邻居" },
		"MoneyThreeDecimals": func(in map[string]any) { in["business"] = "1.005" },
		"NoMembers":          func(in map[string]any) { delete(in, "members") },
		"DefaultsFill":       func(in map[string]any) { delete(in, "wage"); delete(row(in, 0), "ethnicity") },
	}
	for name, data := range map[string][]byte{"Shipped": shipped, "Built": built} {
		t.Run(name, func(t *testing.T) {
			xlsDef, err := ParseXLSForm("household_verification.xlsx", data)
			if err != nil {
				t.Fatalf("ParseXLSForm problems:\n%v", err)
			}
			if xlsDef.ID != yamlDef.ID || xlsDef.Title != yamlDef.Title || xlsDef.Version != 1 {
				t.Errorf("settings = %s %s v%d, want %s %s v1", xlsDef.ID, xlsDef.Title, xlsDef.Version, yamlDef.ID, yamlDef.Title)
			}
			if xlsDef.Fields[0].Type != TypeGroup {
				t.Errorf("first field is %s, want the basic group", xlsDef.Fields[0].Type)
			}
			for in, edit := range inputs {
				for _, params := range []Params{nil, {"income_line": 7000}} {
					a, b := verificationInput(3), verificationInput(3)
					edit(a)
					edit(b)
					wantOut, wantErrs := yamlDef.Validate(a, params)
					gotOut, gotErrs := xlsDef.Validate(b, params)
					if !reflect.DeepEqual(gotErrs, wantErrs) {
						t.Errorf("%s %v: xlsx errors = %v, YAML errors = %v", in, params, gotErrs, wantErrs)
					}
					if !reflect.DeepEqual(gotOut, wantOut) {
						t.Errorf("%s %v: xlsx values = %v\nYAML values = %v", in, params, gotOut, wantOut)
					}
				}
			}
		})
	}
}

func row(in map[string]any, i int) map[string]any {
	return in["members"].([]any)[i].(map[string]any)
}

// TestXLSFormConstructs checks each spreadsheet construct on a small
// workbook built in the test.
func TestXLSFormConstructs(t *testing.T) {
	sheets := map[string][][]string{
		"settings": {{"form_id", "form_title"}, {"mini", "小表"}},
		"choices": {{"list_name", "name", "label", "label::en", "township"},
			{"township", "城关镇", "城关镇", "Chengguan", ""}, {"township", "河西乡", "河西乡", "Hexi", ""},
			{"village", "新华村", "新华村", "", "城关镇"}, {"village", "河口村", "河口村", "", "河西乡"}},
		"survey": {surveyHeader,
			{"select_one township", "township", "乡镇", "Township", "", "yes"},
			{"select_one village", "village", "行政村", "", "", "TRUE", "", "", "", "", "township == ${township}"},
			{"note", "intro", "以下填写家庭成员"},
			{"integer", "size", "人口数", "", "", "", ". > 0", "", "", "", "", "2"},
			{"begin_repeat", "members", "成员", "", "", "", "", "", "", "", "", "", "${size}"},
			{"text", "name", "姓名", "", "", "yes"},
			{"end_repeat"},
			{"select_multiple risk_type", "risks", "风险", "", "", "", "", "", "", "", "", "因病 因学"},
			{"calculate", "twice", "两倍", "", "", "", "", "", "", "${size} * 2"},
		},
	}
	d, err := ParseXLSForm("mini.xlsx", buildXLSX(t, sheets))
	if err == nil {
		t.Fatal("constraint '. > 0' is XPath, not expr: want a problem")
	}
	assertXLSProblem(t, err, "mini.xlsx!survey", 5, "constraint")
	sheets["survey"][4][6] = "value > 0"
	d, err = ParseXLSForm("mini.xlsx", buildXLSX(t, sheets))
	if err != nil {
		t.Fatalf("ParseXLSForm:\n%v", err)
	}
	tests := []struct {
		name  string
		input map[string]any
		want  []FieldError
	}{
		{"CascadeAccepted", map[string]any{"township": "河西乡", "village": "河口村",
			"members": []any{map[string]any{"name": "甲"}, map[string]any{"name": "乙"}}}, nil},
		{"CascadeRejected", map[string]any{"township": "河西乡", "village": "新华村",
			"members": []any{map[string]any{"name": "甲"}, map[string]any{"name": "乙"}}}, []FieldError{{"village", msgFiltered}}},
		{"RepeatCountFromDefault", map[string]any{"township": "河西乡", "members": []any{map[string]any{"name": "甲"}}},
			[]FieldError{{"village", "请选择行政村"}, {"members", "应填写2行"}}},
		{"RequiredInRow", map[string]any{"township": "河西乡", "village": "河口村", "size": 1.0, "members": []any{map[string]any{}}},
			[]FieldError{{"members[0].name", "请填写姓名"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs := d.Validate(tt.input, nil)
			if !equalErrors(errs, tt.want) {
				t.Errorf("errors = %v, want %v", errs, tt.want)
			}
			if errs == nil && (!reflect.DeepEqual(out["risks"], []string{"因病", "因学"}) || out["twice"] != int64(400)) {
				t.Errorf("risks = %v twice = %v, want the default list and 4.00 yuan", out["risks"], out["twice"])
			}
		})
	}
	t.Run("TranslatedLabels", func(t *testing.T) {
		if d.Label("township", "en") != "Township" || d.Field("township").Choices[1].LabelIn("en") != "Hexi" {
			t.Errorf("labels = %q / %q, want Township / Hexi", d.Label("township", "en"), d.Field("township").Choices[1].LabelIn("en"))
		}
		if d.Field("intro") != nil {
			t.Error("a note became a field")
		}
	})
}

func TestXLSFormProblems(t *testing.T) {
	base := func() map[string][][]string {
		return map[string][][]string{
			"settings": {{"form_id", "form_title"}, {"p", "问题"}},
			"survey":   {surveyHeader, {"text", "a", "甲"}},
		}
	}
	tests := []struct {
		name          string
		edit          func(s map[string][][]string)
		file          string
		line          int
		column, inMsg string
	}{
		{"UnknownType", func(s map[string][][]string) { s["survey"] = append(s["survey"], []string{"geopoint", "b", "乙"}) },
			"p.xlsx!survey", 3, "type", "未知的字段类型 geopoint"},
		{"BadRelevant", func(s map[string][][]string) {
			s["survey"] = append(s["survey"], []string{"text", "b", "乙", "", "", "", "", "", "${nope} == 1"})
		}, "p.xlsx!survey", 3, "relevant", "未知的名称 nope"},
		{"UnclosedGroup", func(s map[string][][]string) { s["survey"] = append(s["survey"], []string{"begin group", "g", "组"}) },
			"p.xlsx!survey", 3, "type", "没有对应的 end group"},
		{"StrayEnd", func(s map[string][][]string) { s["survey"] = append(s["survey"], []string{"end repeat"}) },
			"p.xlsx!survey", 3, "type", "没有对应的 begin repeat"},
		{"MissingList", func(s map[string][][]string) {
			s["survey"] = append(s["survey"], []string{"select_one nolist", "b", "乙"})
		}, "p.xlsx!survey", 3, "type", "未定义的可选项列表 nolist"},
		{"BadFormID", func(s map[string][][]string) { s["settings"][1][0] = "1x" }, "p.xlsx!settings", 2, "form_id", "不是合法的标识"},
		{"NoSurvey", func(s map[string][][]string) { delete(s, "survey") }, "p.xlsx!survey", 1, "", "缺少工作表 survey"},
		{"DuplicateChoice", func(s map[string][][]string) {
			s["choices"] = [][]string{{"list_name", "name"}, {"l", "x"}, {"l", "x"}}
		}, "p.xlsx!choices", 3, "name", "可选项 x 重复"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			tt.edit(s)
			_, err := ParseXLSForm("p.xlsx", buildXLSX(t, s))
			assertXLSProblem(t, err, tt.file, tt.line, tt.column, tt.inMsg)
		})
	}
	t.Run("NotASpreadsheet", func(t *testing.T) {
		_, err := ParseXLSForm("p.xlsx", []byte("id: p\n"))
		assertXLSProblem(t, err, "p.xlsx", 1, "", "无法读取电子表格")
	})
}

// assertXLSProblem fails unless err lists a problem at file:line in
// column whose message contains each of msgs.
func assertXLSProblem(t *testing.T, err error, file string, line int, column string, msgs ...string) {
	t.Helper()
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("error = %v, want Problems", err)
	}
	for _, p := range ps {
		if p.File == file && p.Line == line && p.Path == column {
			for _, m := range msgs {
				if !strings.Contains(p.Message, m) {
					t.Errorf("problem %v, want message containing %q", p, m)
				}
			}
			return
		}
	}
	t.Errorf("problems:\n%v\nwant one at %s:%d column %q", ps, file, line, column)
}

func TestRewriteNames(t *testing.T) {
	tests := []struct{ name, in, dollar, filter string }{
		{"Dollar", "${a} > 1", "a > 1", "a > 1"},
		{"FilterAttribute", "township == ${township}", "township == township", "choice.township == township"},
		{"QuotedUntouched", "x == '${y} z'", "x == '${y} z'", "choice.x == '${y} z'"},
		{"CallsAndPropertiesKept", "len(members) > 0 && a.b", "len(members) > 0 && a.b", "len(choice.members) > 0 && choice.a.b"},
		{"KeywordsKept", "a in ['x'] and not b", "a in ['x'] and not b", "choice.a in ['x'] and not choice.b"},
		{"NumbersKept", "a > 1.5e3", "a > 1.5e3", "choice.a > 1.5e3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dollarNames(tt.in); got != tt.dollar {
				t.Errorf("dollarNames(%q) = %q, want %q", tt.in, got, tt.dollar)
			}
			if got := choiceFilter(tt.in); got != tt.filter {
				t.Errorf("choiceFilter(%q) = %q, want %q", tt.in, got, tt.filter)
			}
		})
	}
}

func FuzzParseXLSForm(f *testing.F) {
	f.Add(buildXLSX(f, map[string][][]string{
		"settings": {{"form_id", "form_title"}, {"p", "问题"}},
		"survey":   {surveyHeader, {"begin group", "g", "组"}, {"select_one l", "a", "甲"}, {"end group"}},
		"choices":  {{"list_name", "name"}, {"l", "x"}},
	}))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseXLSForm("f.xlsx", data)
		if (d == nil) == (err == nil) {
			t.Fatalf("ParseXLSForm returned definition %v and error %v: want exactly one", d != nil, err)
		}
		if err != nil {
			for _, p := range err.(Problems) {
				if p.Line < 1 || p.Message == "" || !strings.HasPrefix(p.File, "f.xlsx") {
					t.Errorf("problem without a place or message: %+v", p)
				}
			}
			return
		}
		d.Validate(map[string]any{"a": "x"}, nil)
	})
}
