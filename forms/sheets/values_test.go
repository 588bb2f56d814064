package sheets

import (
	"reflect"
	"testing"
	"time"
)

func TestValuesCells(t *testing.T) {
	def := parseDef(t, medicalYAML)
	id := idNumber("43010219900101123")
	tests := []struct {
		field, cell string
		want        any // nil: left out
	}{
		{"name", "  张三\u3000", "张三"},
		{"name", "   ", nil},
		{"name", "", nil},

		{"admitted", "2026-11-03", "2026-11-03"},
		{"admitted", "2026/11/3", "2026-11-03"},
		{"admitted", "2026年11月3日", "2026-11-03"},
		{"admitted", "2026年11月3号", "2026-11-03"},
		{"admitted", "2026.11.3", "2026-11-03"},
		{"admitted", "20261103", "2026-11-03"},
		{"admitted", "２０２６／１１／３", "2026-11-03"},
		{"admitted", "2026/11/3 14:05", "2026-11-03"},
		{"admitted", "2026-11-03T00:00:00Z", "2026-11-03"},
		{"admitted", "46329", "2026-11-03"},
		{"admitted", "46329.75", "2026-11-03"},
		{"admitted", "1", "1900-01-01"},
		{"admitted", "59", "1900-02-28"},
		{"admitted", "61", "1900-03-01"},
		{"admitted", "60", "60"}, // 1900-02-29, which never was
		{"admitted", "2026", "2026"},
		{"admitted", "2026-02-30", "2026-02-30"},
		{"admitted", "2026/13/1", "2026/13/1"},
		{"admitted", "11/3/2026", "11/3/2026"},
		{"admitted", "2026-11-033", "2026-11-033"},
		{"admitted", "-46329", "-46329"},
		{"admitted", "1e3", "1e3"},
		{"admitted", "明天", "明天"},

		{"self_paid", "1,234.50", "1234.50"},
		{"self_paid", "¥1,234.50", "1234.50"},
		{"self_paid", "￥1，234.50元", "1234.50"},
		{"self_paid", "１２３４．５", "1234.5"},
		{"self_paid", "(12.00)", "-12.00"},
		{"self_paid", "-12", "-12"},
		{"self_paid", "1234.5600000000002", "1234.56"},
		{"self_paid", "0.30000000000000004", "0.3"},
		{"self_paid", "1.5E+3", "1500"},
		{"self_paid", "12 345.6", "12345.6"},
		{"self_paid", "免费", "免费"},
		{"self_paid", "1,2a", "1,2a"},

		{"visits", "3", "3"},
		{"visits", "3.00", "3"},
		{"visits", "1,200", "1200"},
		{"visits", "3.5", "3.5"},

		{"id_number", id, id},
		{"id_number", " " + id[:6] + " " + id[6:] + "\t", id},
		{"id_number", "４３０１０２" + id[6:], id},

		{"phone", "１３８００１３８０００", "13800138000"},

		{"source", "dept", "dept"},
		{"source", "部门预警", "dept"},
		{"source", "热线", "热线"},

		{"risks", "因病、因学", []string{"illness", "study"}},
		{"risks", "因病, disaster；;", []string{"illness", "disaster"}},
		{"risks", "其他", []string{"其他"}},

		{"insured", "是", true},
		{"insured", "否", false},
		{"insured", "TRUE", true},
		{"insured", "0", false},
		{"insured", "不详", "不详"},
		{"insured", "", nil},
	}
	// Every field has a column; each case fills one.
	var header []string
	for _, f := range def.Flat(nil) {
		header = append(header, f.Label)
	}
	cols, err := MapColumns(def, header)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		cells := make([]string, len(header))
		for _, c := range cols.Mapped {
			if c.Field.Name == tt.field {
				cells[c.Index] = tt.cell
			}
		}
		got := cols.Values(Row{Line: 2, Cells: cells})
		v, present := got[tt.field]
		switch {
		case tt.want == nil && present:
			t.Errorf("%s %q = %#v, want it left out", tt.field, tt.cell, v)
		case tt.want != nil && !reflect.DeepEqual(v, tt.want):
			t.Errorf("%s %q = %#v, want %#v", tt.field, tt.cell, v, tt.want)
		}
		if len(got) > 1 || len(got) == 1 && !present {
			t.Errorf("%s %q: blank cells gave values: %v", tt.field, tt.cell, got)
		}
	}
}

func TestValuesDate1904(t *testing.T) {
	def := parseDef(t, medicalYAML)
	cols, err := MapColumns(def, []string{"姓名", "身份证号", "入院日期"})
	if err != nil {
		t.Fatal(err)
	}
	// The 1904 system counts from 1904-01-01, 1462 days after the 1900
	// system's origin.
	want := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1462).Format(time.DateOnly)
	got := cols.Values(Row{Line: 2, Cells: []string{"张三", "x", "46329"}, date1904: true})
	if got["admitted"] != want {
		t.Errorf("1904 serial 46329 = %v, want %s", got["admitted"], want)
	}
}

// A row may be shorter than the header (trailing blanks are not stored)
// or longer; Values reads what there is.
func TestValuesRowWidth(t *testing.T) {
	def := parseDef(t, medicalYAML)
	cols, err := MapColumns(def, []string{"乡镇", "姓名", "身份证号", "入院日期", "自付金额"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		cells []string
		want  map[string]any
	}{
		{"Short", []string{"城关镇", "张三"}, map[string]any{"name": "张三"}},
		{"Empty", nil, map[string]any{}},
		{"Long", []string{"城关镇", "张三", "1", "2026/1/2", "3", "多余", "更多"},
			map[string]any{"name": "张三", "id_number": "1", "admitted": "2026-01-02", "self_paid": "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cols.Values(Row{Line: 9, Cells: tt.cells}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Values = %v, want %v", got, tt.want)
			}
		})
	}
	extra := cols.ExtraValues(Row{Cells: []string{" 城关镇 ", "张三"}})
	if !reflect.DeepEqual(extra, map[string]string{"乡镇": "城关镇"}) {
		t.Errorf("ExtraValues = %v, want 乡镇: 城关镇", extra)
	}
}

// What Values gives is what the engine validates: a list row in
// spreadsheet shapes passes, and a wrong one fails on the right field.
func TestValuesValidate(t *testing.T) {
	def := parseDef(t, medicalYAML)
	header := []string{"姓名", "身份证号", "入院日期", "自付金额", "就诊次数", "线索来源", "风险类型", "是否参保", "联系电话", "备注"}
	cols, err := MapColumns(def, header)
	if err != nil {
		t.Fatal(err)
	}
	id := idNumber("43010219900101123")
	good := []string{"张三", id, "46329", "¥1,234.50", "2.00", "部门预警", "因病、因学", "是", "13800138000", "老病号"}
	tests := []struct {
		name   string
		change func(cells []string)
		field  string // the field that must fail; "" for none
	}{
		{"Good", func([]string) {}, ""},
		{"BadChecksum", func(c []string) { c[1] = id[:17] + string("0123456789X"[(int(id[17]-'0')+1)%10]) }, "id_number"},
		{"BadDate", func(c []string) { c[2] = "2026-02-30" }, "admitted"},
		{"ThreeDecimals", func(c []string) { c[3] = "1,234.567" }, "self_paid"},
		{"NotAChoice", func(c []string) { c[5] = "热线" }, "source"},
		{"NotABoolean", func(c []string) { c[7] = "不详" }, "insured"},
		{"MissingName", func(c []string) { c[0] = "" }, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells := append([]string(nil), good...)
			tt.change(cells)
			out, errs := def.Validate(cols.Values(Row{Line: 2, Cells: cells}), nil)
			if tt.field == "" {
				if errs != nil {
					t.Fatalf("Validate: %s", fieldErrors(errs))
				}
				want := map[string]any{"admitted": "2026-11-03", "self_paid": int64(123450), "visits": int64(2),
					"source": "dept", "risks": []string{"illness", "study"}, "insured": true}
				for k, v := range want {
					if !reflect.DeepEqual(out[k], v) {
						t.Errorf("stored %s = %#v, want %#v", k, out[k], v)
					}
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tt.field {
				t.Errorf("errors = %s, want one on %s", fieldErrors(errs), tt.field)
			}
		})
	}
}

// For cells that need no undoing, Values gives exactly what DecodeValues
// gives for the same text posted from an HTML form.
func TestValuesShapesMatchDecodeValues(t *testing.T) {
	def := parseDef(t, medicalYAML)
	header := []string{"姓名", "身份证号", "入院日期", "自付金额", "就诊次数", "线索来源", "风险类型", "联系电话"}
	cols, err := MapColumns(def, header)
	if err != nil {
		t.Fatal(err)
	}
	cells := []string{"张三", idNumber("43010219900101123"), "2026-11-03", "12.5", "2", "dept", "illness", "13800138000"}
	post := map[string][]string{}
	for _, c := range cols.Mapped {
		post[c.Field.Name] = []string{cells[c.Index]}
	}
	want := def.DecodeValues(post)
	// The one deliberate difference: a form post sends nothing for an
	// unchecked box, so DecodeValues makes a missing boolean false; a
	// blank cell is unknown, not 否, and Values leaves it out.
	if want["insured"] != false {
		t.Errorf("DecodeValues gave insured %v, want false", want["insured"])
	}
	delete(want, "insured")
	got := cols.Values(Row{Line: 2, Cells: cells})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Values = %#v\nDecodeValues = %#v", got, want)
	}
}
