package forms

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// sampleYAML uses every field type and every rule Validate applies.
const sampleYAML = `id: sample
title: 样表
params:
  income_line: 6000
  adult_age: 18
choices:
  risk: [因病, 因学, 因残]
fields:
  - {name: head_name, type: text, label: 户主姓名, required: true}
  - {name: head_id, type: id_card, label: 户主身份证号, required: true}
  - {name: phone, type: phone, label: 联系电话}
  - {name: note, type: textarea, label: 备注}
  - {name: visit, type: date, label: 核实日期}
  - name: size
    type: integer
    label: 人口数
    constraint: value >= 1 && value <= 20
    constraint_message: 人口数应在1到20之间
  - {name: income, type: money, label: 家庭年收入, required: true}
  - {name: grade, type: select, label: 住房等级, choices: [A, B, C, D]}
  - {name: grade_note, type: textarea, label: 危房说明, relevant: "grade in ['C', 'D']", required: true}
  - {name: repair_cost, type: money, label: 维修费用, relevant: "grade in ['C', 'D']"}
  - {name: risks, type: multiselect, label: 风险类型, choices: risk, required: income < params.income_line}
  - {name: agreed, type: boolean, label: 同意核查, constraint: value == true, constraint_message: 须同意核查}
  - {name: checker, type: text, label: 核实人, default: 村干部, constraint: value != head_name}
  - name: members
    type: repeat
    label: 家庭成员
    min: 1
    max: 3
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - {name: id_card, type: id_card, label: 身份证号}
      - {name: age, type: integer, label: 年龄}
      - {name: job, type: text, label: 工作, relevant: age >= params.adult_age}
      - {name: income, type: money, label: 个人收入}
      - {name: remark, type: text, label: 收入说明, required: income > 10000}
      - {name: head, type: boolean, label: 是户主, calculate: name == head_name}
  - name: per_capita
    type: money
    label: 人均纯收入
    calculate: "members == nil || len(members) == 0 ? 0 : income / len(members)"
  - {name: poor, type: boolean, label: 低于收入线, calculate: per_capita < params.income_line}
  - {name: band, type: select, label: 颜色, choices: [红, 绿], calculate: "poor ? '红' : '绿'"}
`

func sampleDefinition(t testing.TB) *Definition {
	t.Helper()
	d, err := Parse("sample.yaml", []byte(sampleYAML))
	if err != nil {
		t.Fatalf("Parse(sample): %v", err)
	}
	return d
}

// validSample is a submission of sampleYAML with no error, as JSON decodes it.
func validSample() map[string]any {
	return map[string]any{
		"head_name": "张三",
		"head_id":   "11010519491231002x",
		"phone":     "13800138000",
		"visit":     "2025-03-01",
		"size":      2.0,
		"income":    "12000",
		"grade":     "A",
		"agreed":    true,
		"members": []any{
			map[string]any{"name": "张三", "id_card": "11010519491231002X", "age": 75.0, "job": "务农", "income": 3000.0},
			map[string]any{"name": "张小", "id_card": "440304198510150018", "age": "16", "job": "学生", "income": "0"},
		},
	}
}

func TestValidate(t *testing.T) {
	d := sampleDefinition(t)
	tests := []struct {
		name   string
		edit   func(in map[string]any)
		params Params
		errs   []FieldError   // exactly these, in this order
		want   map[string]any // values expected at these output paths
		absent []string       // output paths expected to be missing
	}{
		{
			name: "ValidSubmissionNormalized",
			want: map[string]any{
				"head_id": "11010519491231002X", "size": int64(2), "income": int64(1200000),
				"visit": "2025-03-01", "agreed": true, "checker": "村干部",
				"members[0].age": int64(75), "members[0].income": int64(300000),
				"members[1].age": int64(16), "members[1].income": int64(0),
				"per_capita": int64(600000), "poor": false, "band": "绿",
			},
			absent: []string{"note", "grade_note", "risks"},
		},
		{
			name: "RequiredMissing",
			edit: func(in map[string]any) { in["head_id"] = "  " },
			errs: []FieldError{{"head_id", "请填写户主身份证号"}},
		},
		{
			name: "IDCardChecksum",
			edit: func(in map[string]any) { in["head_id"] = "110105194912310021" },
			errs: []FieldError{{"head_id", "身份证号校验位不正确"}},
		},
		{
			name: "IDCardLength",
			edit: func(in map[string]any) { in["head_id"] = "1101051949" },
			errs: []FieldError{{"head_id", "身份证号应为18位"}},
		},
		{
			name: "IDCardBirthDate",
			edit: func(in map[string]any) { in["head_id"] = "110105194913310021" },
			errs: []FieldError{{"head_id", "身份证号中的出生日期不正确"}},
		},
		{
			name: "PhoneFormat",
			edit: func(in map[string]any) { in["phone"] = "12345678" },
			errs: []FieldError{{"phone", msgPhone}},
		},
		{
			name: "LandlineAccepted",
			edit: func(in map[string]any) { in["phone"] = "0571-88886666" },
			want: map[string]any{"phone": "0571-88886666"},
		},
		{
			name: "IntegerNotWhole",
			edit: func(in map[string]any) { in["size"] = 2.5 },
			errs: []FieldError{{"size", "请输入整数"}},
		},
		{
			name: "IntegerNotANumber",
			edit: func(in map[string]any) { in["size"] = "两" },
			errs: []FieldError{{"size", "请输入整数"}},
		},
		{
			name: "IntegerFromText",
			edit: func(in map[string]any) { in["size"] = " 3 " },
			want: map[string]any{"size": int64(3)},
		},
		{
			name: "ConstraintMessage",
			edit: func(in map[string]any) { in["size"] = 0.0 },
			errs: []FieldError{{"size", "人口数应在1到20之间"}},
		},
		{
			name: "ConstraintDefaultMessage",
			edit: func(in map[string]any) { in["checker"] = "张三" },
			errs: []FieldError{{"checker", "不符合填写要求"}},
		},
		{
			name: "BooleanConstraint",
			edit: func(in map[string]any) { in["agreed"] = false },
			errs: []FieldError{{"agreed", "须同意核查"}},
		},
		{
			name: "BooleanFromText",
			edit: func(in map[string]any) { in["agreed"] = "是" },
			want: map[string]any{"agreed": true},
		},
		{
			name: "BooleanUnreadable",
			edit: func(in map[string]any) { in["agreed"] = "也许" },
			errs: []FieldError{{"agreed", "请选择是或否"}},
		},
		{
			name: "MoneyFromText",
			edit: func(in map[string]any) { in["income"] = "12345.6" },
			want: map[string]any{"income": int64(1234560)},
		},
		{
			name: "MoneyFromFloatKeepsCents",
			edit: func(in map[string]any) { in["income"] = 6000.29 },
			want: map[string]any{"income": int64(600029)},
		},
		{
			name: "MoneyTrailingZerosAreNotDecimals",
			edit: func(in map[string]any) { in["income"] = "7000.500" },
			want: map[string]any{"income": int64(700050)},
		},
		{
			name: "MoneyTooManyDecimals",
			edit: func(in map[string]any) { in["income"] = "12000.345" },
			errs: []FieldError{{"income", "金额最多两位小数"}},
		},
		{
			name: "MoneyTooManyDecimalsFromFloat",
			edit: func(in map[string]any) { in["income"] = 12000.345 },
			errs: []FieldError{{"income", "金额最多两位小数"}},
		},
		{
			name: "MoneyNotANumber",
			edit: func(in map[string]any) { in["income"] = "1,000" },
			errs: []FieldError{{"income", msgMoney}},
		},
		{
			name: "ChecksReadingAnUnreadableValueAreSkipped",
			edit: func(in map[string]any) { in["income"] = "五千" },
			// risks is required when income < the line; with income
			// unreadable only income itself is reported.
			errs: []FieldError{{"income", msgMoney}},
		},
		{
			name: "MoneyOutOfRange",
			edit: func(in map[string]any) { in["income"] = "99999999999999" },
			errs: []FieldError{{"income", "金额超出范围"}},
		},
		{
			name: "DateFormat",
			edit: func(in map[string]any) { in["visit"] = "2025-02-30" },
			errs: []FieldError{{"visit", msgDate}},
		},
		{
			name: "DateFromTimestamp",
			edit: func(in map[string]any) { in["visit"] = "2025-03-01T10:00:00+08:00" },
			want: map[string]any{"visit": "2025-03-01"},
		},
		{
			name: "SelectNotAChoice",
			edit: func(in map[string]any) { in["grade"] = "E" },
			errs: []FieldError{{"grade", "不在可选项中"}},
		},
		{
			name: "MultiselectNotAChoice",
			edit: func(in map[string]any) { in["risks"] = []any{"因病", "因懒"} },
			errs: []FieldError{{"risks", "不在可选项中"}},
		},
		{
			name: "MultiselectInChoiceOrderOnce",
			edit: func(in map[string]any) { in["risks"] = []any{"因残", "因病", "因残"} },
			want: map[string]any{"risks": []string{"因病", "因残"}},
		},
		{
			name:   "RelevantFalseDropsField",
			edit:   func(in map[string]any) { in["grade_note"] = "屋顶漏雨"; in["repair_cost"] = "abc" },
			absent: []string{"grade_note", "repair_cost"},
		},
		{
			name: "RelevantTrueChecksField",
			edit: func(in map[string]any) { in["grade"] = "C"; in["repair_cost"] = "abc" },
			errs: []FieldError{{"grade_note", "请填写危房说明"}, {"repair_cost", msgMoney}},
		},
		{
			name: "RequiredExpressionTrue",
			edit: func(in map[string]any) { in["income"] = "5999.99" },
			errs: []FieldError{{"risks", "请选择风险类型"}},
		},
		{
			name:   "RequiredExpressionWithParamOverride",
			edit:   func(in map[string]any) { in["income"] = "5999.99" },
			params: Params{"income_line": 5000.0},
			want:   map[string]any{"income": int64(599999)},
			absent: []string{"risks"},
		},
		{
			name: "DefaultFillsEmptyField",
			edit: func(in map[string]any) { in["checker"] = "" },
			want: map[string]any{"checker": "村干部"},
		},
		{
			name:   "UnknownKeysDropped",
			edit:   func(in map[string]any) { in["evil"] = "x"; in["members"].([]any)[0].(map[string]any)["extra"] = 1.0 },
			absent: []string{"evil", "members[0].extra"},
		},
		{
			name: "CalculatedInputIgnored",
			edit: func(in map[string]any) { in["per_capita"] = "1"; in["poor"] = true },
			want: map[string]any{"per_capita": int64(600000), "poor": false},
		},
		{
			name: "CalculationRoundsToFen",
			edit: func(in map[string]any) {
				in["income"] = "10000"
				in["members"] = append(in["members"].([]any), map[string]any{"name": "王五"})
			},
			want: map[string]any{"per_capita": int64(333333), "poor": true, "band": "红"},
		},
		{
			name: "RepeatMinRows",
			edit: func(in map[string]any) { in["members"] = []any{} },
			errs: []FieldError{{"members", "至少填写1行"}},
			want: map[string]any{"per_capita": int64(0)},
		},
		{
			name: "RepeatMaxRows",
			edit: func(in map[string]any) {
				in["members"] = []any{map[string]any{"name": "甲"}, map[string]any{"name": "乙"},
					map[string]any{"name": "丙"}, map[string]any{"name": "丁"}}
			},
			errs: []FieldError{{"members", "最多填写3行"}},
		},
		{
			name: "RepeatNestedErrorPaths",
			edit: func(in map[string]any) {
				rows := in["members"].([]any)
				rows[1].(map[string]any)["id_card"] = "440304198510150019"
				in["members"] = append(rows, map[string]any{"age": "x"})
			},
			errs: []FieldError{
				{"members[1].id_card", "身份证号校验位不正确"},
				{"members[2].name", "请填写姓名"},
				{"members[2].age", "请输入整数"},
			},
		},
		{
			// A NUL comes as %00 in a POST or _x0000_ in an .xlsx cell;
			// PostgreSQL's jsonb cannot hold it, SQLite would.
			name: "TextWithNULRefused",
			edit: func(in map[string]any) { in["members"].([]any)[0].(map[string]any)["name"] = "张\x00三" },
			errs: []FieldError{{"members[0].name", "含有无效字符"}},
		},
		{
			name: "RepeatRowNotAnObject",
			edit: func(in map[string]any) { in["members"] = append(in["members"].([]any), "张三") },
			errs: []FieldError{{"members[2]", "格式不正确"}},
		},
		{
			name: "RepeatNotAList",
			edit: func(in map[string]any) { in["members"] = "张三" },
			errs: []FieldError{{"members", "格式不正确"}},
		},
		{
			name:   "RowRelevanceReadsParams",
			want:   map[string]any{"members[0].job": "务农"},
			absent: []string{"members[1].job"},
		},
		{
			name:   "RowRelevanceWithParamOverride",
			params: Params{"adult_age": 16},
			want:   map[string]any{"members[0].job": "务农", "members[1].job": "学生"},
		},
		{
			name: "RowFieldShadowsTopLevel",
			edit: func(in map[string]any) {
				in["members"].([]any)[1].(map[string]any)["income"] = "20000"
			},
			errs: []FieldError{{"members[1].remark", "请填写收入说明"}},
		},
		{
			name: "RowExpressionSeesTopLevel",
			want: map[string]any{"members[0].head": true, "members[1].head": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validSample()
			if tt.edit != nil {
				tt.edit(in)
			}
			out, errs := d.Validate(in, tt.params)
			if len(tt.errs) == 0 && errs != nil {
				t.Errorf("errors = %v, want none (and nil)", errs)
			}
			if len(tt.errs) > 0 && !reflect.DeepEqual([]FieldError(errs), tt.errs) {
				t.Errorf("errors = %v\nwant     %v", errs, FieldErrors(tt.errs))
			}
			for path, want := range tt.want {
				got, ok := lookup(out, path)
				if !ok || !reflect.DeepEqual(got, want) {
					t.Errorf("value at %s = %#v (present %v), want %#v", path, got, ok, want)
				}
			}
			for _, path := range tt.absent {
				if got, ok := lookup(out, path); ok {
					t.Errorf("value at %s = %#v, want it dropped", path, got)
				}
			}
		})
	}
}

// lookup reads "members[1].job" from normalized values.
func lookup(values map[string]any, path string) (any, bool) {
	var cur any = values
	for _, step := range strings.Split(path, ".") {
		name, index, indexed := splitIndex(step)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[name]; !ok {
			return nil, false
		}
		if indexed {
			rows, ok := cur.([]map[string]any)
			if !ok || index >= len(rows) {
				return nil, false
			}
			cur = rows[index]
		}
	}
	return cur, true
}

func TestValidateOutputShape(t *testing.T) {
	d := sampleDefinition(t)
	out, errs := d.Validate(validSample(), nil)
	if errs != nil {
		t.Fatalf("errors = %v, want none", errs)
	}
	t.Run("RepeatIsListOfMaps", func(t *testing.T) {
		rows, ok := out["members"].([]map[string]any)
		if !ok || len(rows) != 2 {
			t.Fatalf("members = %#v, want []map[string]any with 2 rows", out["members"])
		}
	})
	t.Run("EmptyFieldsLeftOut", func(t *testing.T) {
		for _, k := range []string{"note", "risks", "grade_note", "repair_cost"} {
			if v, ok := out[k]; ok {
				t.Errorf("%s = %#v, want it left out", k, v)
			}
		}
	})
}

func TestValidateMoneyIsYuanInput(t *testing.T) {
	d := sampleDefinition(t)
	in := validSample()
	out, _ := d.Validate(in, nil)
	// Stored money is fen; giving it back as input means yuan, so the
	// caller must convert. This documents the unit on both sides.
	fen := out["income"].(int64)
	in["income"] = strconv.FormatFloat(float64(fen)/100, 'f', 2, 64)
	again, errs := d.Validate(in, nil)
	if errs != nil || again["income"] != fen {
		t.Errorf("income %v yuan → %v fen (errors %v), want %d fen", in["income"], again["income"], errs, fen)
	}
}

func TestValidateCalculationFailure(t *testing.T) {
	d, err := Parse("ratio.yaml", []byte(`id: ratio
title: 比率
fields:
  - {name: a, type: money, label: 甲}
  - {name: b, type: integer, label: 乙}
  - {name: ratio, type: money, label: 比率, calculate: a / b}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   map[string]any
		want any
		errs []FieldError
	}{
		{"DividesNormally", map[string]any{"a": "10", "b": 4.0}, int64(250), nil},
		{"DivisionByZero", map[string]any{"a": "10", "b": 0.0}, nil, []FieldError{{"ratio", msgCalc}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs := d.Validate(tt.in, nil)
			if !reflect.DeepEqual([]FieldError(errs), tt.errs) {
				t.Errorf("errors = %v, want %v", errs, tt.errs)
			}
			if got := out["ratio"]; got != tt.want {
				t.Errorf("ratio = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestValidateDependencyOrder(t *testing.T) {
	// Declared in reverse order of their dependencies: c reads b reads a,
	// and d's relevance reads c.
	d, err := Parse("chain.yaml", []byte(`id: chain
title: 链
fields:
  - {name: d, type: text, label: 丁, relevant: c > 10}
  - {name: c, type: integer, label: 丙, calculate: b * 2}
  - {name: b, type: integer, label: 乙, calculate: a + 1}
  - {name: a, type: integer, label: 甲}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		a     float64
		wantC int64
		keepD bool
	}{
		{"RelevantAfterChain", 5, 12, true},
		{"IrrelevantAfterChain", 4, 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs := d.Validate(map[string]any{"a": tt.a, "d": "x"}, nil)
			if errs != nil {
				t.Fatalf("errors = %v", errs)
			}
			if out["c"] != tt.wantC {
				t.Errorf("c = %#v, want %d", out["c"], tt.wantC)
			}
			if _, kept := out["d"]; kept != tt.keepD {
				t.Errorf("d kept = %v, want %v", kept, tt.keepD)
			}
		})
	}
}

func TestValidateNestedRepeat(t *testing.T) {
	d, err := Parse("nested.yaml", []byte(`id: nested
title: 嵌套
fields:
  - name: members
    type: repeat
    label: 成员
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - name: jobs
        type: repeat
        label: 务工经历
        max: 2
        fields:
          - {name: place, type: text, label: 地点, required: true}
          - {name: months, type: integer, label: 月数, constraint: value <= 12}
`))
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"members": []any{
		map[string]any{"name": "甲"},
		map[string]any{"name": "乙", "jobs": []any{
			map[string]any{"place": "广州", "months": 3.0},
			map[string]any{"months": 13.0},
			map[string]any{"place": "深圳"},
		}},
	}}
	_, errs := d.Validate(in, nil)
	want := []FieldError{
		{"members[1].jobs", "最多填写2行"},
		{"members[1].jobs[1].place", "请填写地点"},
		{"members[1].jobs[1].months", "不符合填写要求"},
	}
	if !reflect.DeepEqual([]FieldError(errs), want) {
		t.Errorf("errors = %v\nwant     %v", errs, FieldErrors(want))
	}
	for _, e := range errs {
		if d.Field(e.Field) == nil {
			t.Errorf("error path %s names no field", e.Field)
		}
	}
}

func ExampleDefinition_Validate() {
	d, err := Parse("example.yaml", []byte(`id: example
title: 示例
fields:
  - {name: head_id, type: id_card, label: 户主身份证号, required: true}
  - {name: income, type: money, label: 年收入}
`))
	if err != nil {
		panic(err)
	}
	values, errs := d.Validate(map[string]any{"income": "1234.5"}, nil)
	fmt.Println(values["income"], errs)
	// Output: 123450 head_id: 请填写户主身份证号
}

func TestValidateDefaultsAreNotShared(t *testing.T) {
	d, err := Parse("defaults.yaml", []byte(`id: defaults
title: 默认值
fields:
  - {name: risks, type: multiselect, label: 风险, choices: [因病, 因学], default: [因病]}
`))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := d.Validate(nil, nil)
	first["risks"].([]string)[0] = "因学"
	second, _ := d.Validate(nil, nil)
	if got := second["risks"].([]string); len(got) != 1 || got[0] != "因病" {
		t.Errorf("default after a caller changed an earlier result = %v, want [因病]", got)
	}
}

func TestValidateConcurrently(t *testing.T) {
	// One parsed definition serves every request; run with -race.
	d := sampleDefinition(t)
	want, _ := d.Validate(validSample(), nil)
	done := make(chan map[string]any)
	for i := 0; i < 4; i++ {
		go func() {
			out, _ := d.Validate(validSample(), nil)
			done <- out
		}()
	}
	for i := 0; i < 4; i++ {
		if got := <-done; !reflect.DeepEqual(got, want) {
			t.Errorf("concurrent Validate = %v, want %v", got, want)
		}
	}
}
