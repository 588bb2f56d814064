package forms

import (
	"reflect"
	"testing"
)

const prefillYAML = `id: visit
title: 走访记录
fields:
  - {name: head_name, type: text, label: 户主姓名, prefill: household.head_name, readonly: true, required: true}
  - {name: village, type: text, label: 行政村, prefill: household.address.village}
  - {name: per_capita, type: money, label: 上次核实人均纯收入, prefill: submission.household_verification.per_capita, readonly: true}
  - {name: income, type: money, label: 本月收入, default: 0}
  - {name: members, type: repeat, label: 成员, repeat_count: size, fields: [{name: name, type: text, label: 姓名}]}
  - {name: size, type: integer, label: 人口数, default: 1}
`

func TestPrefill(t *testing.T) {
	d, err := Parse("visit.yaml", []byte(prefillYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ctx := Context{
		Household:   map[string]any{"head_name": "张三", "address": map[string]any{"village": "新华村"}},
		Submissions: map[string]map[string]any{"household_verification": {"per_capita": int64(512345)}},
	}
	row := []any{map[string]any{"name": "张三"}}
	tests := []struct {
		name  string
		input map[string]any
		ctx   Context
		want  map[string]any
		errs  []FieldError
	}{
		{"ReadOnlyIgnoresClient", map[string]any{"head_name": "李四", "per_capita": "1", "members": row}, ctx,
			map[string]any{"head_name": "张三", "per_capita": int64(512345), "village": "新华村"}, nil},
		{"EditableTakesClientValue", map[string]any{"village": "东风村", "members": row}, ctx,
			map[string]any{"village": "东风村"}, nil},
		{"StoredMoneyStaysFen", map[string]any{"members": row}, Context{Household: ctx.Household,
			Submissions: map[string]map[string]any{"household_verification": {"per_capita": 512345.0}}},
			map[string]any{"per_capita": int64(512345)}, nil},
		{"MissingSourceLeavesRequiredEmpty", map[string]any{"head_name": "李四", "members": row}, Context{},
			map[string]any{}, []FieldError{{"head_name", "请填写户主姓名"}}},
		{"BadSourceIsReported", map[string]any{"members": row}, Context{Household: ctx.Household,
			Submissions: map[string]map[string]any{"household_verification": {"per_capita": "很多"}}},
			map[string]any{}, []FieldError{{"per_capita", "预填数据有误：" + msgMoney}}},
		{"RepeatCountNotMet", map[string]any{"size": 2.0, "members": row}, ctx,
			map[string]any{}, []FieldError{{"members", "应填写2行"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs := d.ValidateWith(tt.input, tt.ctx)
			if !equalErrors(errs, tt.errs) {
				t.Errorf("errors = %v, want %v", errs, tt.errs)
			}
			for k, want := range tt.want {
				if out[k] != want {
					t.Errorf("%s = %#v, want %#v", k, out[k], want)
				}
			}
		})
	}
	t.Run("DecodeValuesSkipsReadOnly", func(t *testing.T) {
		in := d.DecodeValues(map[string][]string{"head_name": {"李四"}, "village": {"东风村"}})
		if _, ok := in["head_name"]; ok || in["village"] != "东风村" {
			t.Errorf("DecodeValues = %v, want village only", in)
		}
	})
}

func TestPrefillProblems(t *testing.T) {
	tests := []struct{ name, field, path, msg string }{
		{"UnknownSource", `  - {name: a, type: text, label: 甲, prefill: case.head}`, "fields[0].prefill", "prefill 应为"},
		{"SubmissionNeedsFormAndField", `  - {name: a, type: text, label: 甲, prefill: submission.x}`, "fields[0].prefill", "prefill 应为"},
		{"NotInRows", `  - {name: r, type: repeat, label: 行, fields: [{name: a, type: text, label: 甲, prefill: household.a}]}`,
			"fields[0].fields[0].prefill", "只有顶层"},
		{"NotOnGroup", `  - {name: g, type: group, label: 组, prefill: household.g, fields: [{name: a, type: text, label: 甲}]}`, "fields[0].prefill", "分组不能设 prefill"},
		{"NotOnCalculated", `  - {name: a, type: text, label: 甲, calculate: "'x'", prefill: household.a}`, "fields[0].prefill", "计算字段不能预填"},
		{"ReadOnlyIsBool", `  - {name: a, type: text, label: 甲, readonly: 是}`, "fields[0].readonly", "readonly 应为"},
		{"RepeatCountIsNumber", `  - {name: r, type: repeat, label: 行, repeat_count: "'3'", fields: [{name: a, type: text, label: 甲}]}`,
			"fields[0].repeat_count", "结果应为数字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.yaml", []byte("id: p\ntitle: 预填\nfields:\n"+tt.field+"\n"))
			assertProblem(t, err, tt.path, tt.msg)
		})
	}
}

func TestTranslations(t *testing.T) {
	d, err := Parse("t.yaml", []byte(`id: t
title: 译文
fields:
  - {name: a, type: text, label: {zh: 户主, en: Head}, hint: 按户口簿, hint::en: As registered}
  - {name: b, type: text, label: 电话, label::en: Phone}
  - {name: c, type: select, label: 性别, choices: [{value: 男, label: {zh: 男, en: Male}}, {value: 女, label::en: Female}]}
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct{ name, got, want string }{
		{"MapLabelChinese", d.Label("a", "zh"), "户主"},
		{"MapLabelEnglish", d.Label("a", "en"), "Head"},
		{"KeyLabelEnglish", d.Label("b", "en"), "Phone"},
		{"MissingLanguageFallsBack", d.Label("b", "ug"), "电话"},
		{"HintEnglish", d.Field("a").HintIn("en"), "As registered"},
		{"ChoiceMapLabel", d.Field("c").Choices[0].LabelIn("en"), "Male"},
		{"ChoiceKeyLabel", d.Field("c").Choices[1].LabelIn("en"), "Female"},
		{"ChoiceLabelDefaultsToValue", d.Field("c").Choices[1].Label, "女"},
		{"UnknownField", d.Label("nope", "en"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	t.Run("ChineseRequired", func(t *testing.T) {
		_, err := Parse("t.yaml", []byte("id: t\ntitle: 译文\nfields:\n  - {name: a, type: text, label: {en: Head}}\n"))
		assertProblem(t, err, "fields[0].label.zh", "缺少中文")
	})
	t.Run("BadLanguageKey", func(t *testing.T) {
		_, err := Parse("t.yaml", []byte("id: t\ntitle: 译文\nfields:\n  - {name: a, type: text, label: 甲, label::English: Head}\n"))
		assertProblem(t, err, "fields[0].label::English", "未知的键")
	})
}

const prefillRowsYAML = `id: visit
title: 走访记录
fields:
  - {name: head_name, type: text, label: 户主姓名, prefill: household.head_name, required: true}
  - {name: phone, type: phone, label: 电话, prefill: household.phone}
  - name: members
    type: repeat
    label: 家庭成员
    prefill: household.members
    min: 1
    max: 2
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - {name: gender, type: select, label: 性别, choices: [男, 女]}
      - {name: pension, type: money, label: 养老金}
      - {name: note, type: text, label: 备注, default: 无}
`

func TestPrefillRows(t *testing.T) {
	d, err := Parse("visit.yaml", []byte(prefillRowsYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	members := []any{
		map[string]any{"name": "张三", "gender": "男", "pension": 12345.0, "id_card": "不在表上"},
		map[string]any{"name": "李梅", "gender": "女性"},
		map[string]any{"name": "张小明"},
	}
	ctx := Context{Household: map[string]any{"head_name": "张三", "phone": "12", "members": members}}

	t.Run("Prefilled", func(t *testing.T) {
		got := d.Prefilled(ctx)
		// The phone does not fit (too short) and 女性 is not an option:
		// both are left for the cadre; the third row is past max.
		want := map[string]any{"head_name": "张三", "members": []map[string]any{
			{"name": "张三", "gender": "男", "pension": int64(12345)},
			{"name": "李梅"},
		}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Prefilled = %#v\nwant %#v", got, want)
		}
		if got := d.Prefilled(Context{}); len(got) != 0 {
			t.Errorf("Prefilled without sources = %v, want empty", got)
		}
	})
	t.Run("RowsWhenNoneSent", func(t *testing.T) {
		src := Context{Household: map[string]any{"members": members[:1]}}
		out, errs := d.ValidateWith(map[string]any{"head_name": "张三"}, src)
		if len(errs) != 0 {
			t.Fatalf("errors = %v", errs)
		}
		rows, _ := out["members"].([]map[string]any)
		if len(rows) != 1 || rows[0]["name"] != "张三" || rows[0]["pension"] != int64(12345) || rows[0]["note"] != "无" {
			t.Errorf("members = %#v, want the household's row, pension in fen, note defaulted", out["members"])
		}
	})
	t.Run("EmptyListSentStaysEmpty", func(t *testing.T) {
		_, errs := d.ValidateWith(map[string]any{"head_name": "张三", "phone": "13800000000", "members": []any{}}, ctx)
		if !equalErrors(errs, []FieldError{{"members", "至少填写1行"}}) {
			t.Errorf("errors = %v, want the repeat's minimum", errs)
		}
	})
	t.Run("SentRowsWin", func(t *testing.T) {
		out, errs := d.ValidateWith(map[string]any{"phone": "13800000000", "members": []any{map[string]any{"name": "王五"}}}, ctx)
		if len(errs) != 0 {
			t.Fatalf("errors = %v", errs)
		}
		rows, _ := out["members"].([]map[string]any)
		if len(rows) != 1 || rows[0]["name"] != "王五" || out["head_name"] != "张三" {
			t.Errorf("out = %#v, want the sent row and the prefilled head", out)
		}
	})
	t.Run("ClearedStaysEmpty", func(t *testing.T) {
		src := Context{Household: map[string]any{"phone": "13800000000", "members": members[:1]}}
		out, errs := d.ValidateWith(map[string]any{"head_name": "张三", "phone": ""}, src)
		if len(errs) != 0 {
			t.Fatalf("errors = %v", errs)
		}
		if _, ok := out["phone"]; ok {
			t.Errorf("phone = %v, want the cleared phone to stay empty", out["phone"])
		}
		out, _ = d.ValidateWith(map[string]any{"head_name": "张三"}, src)
		if out["phone"] != "13800000000" {
			t.Errorf("phone = %v, want the source's when the input does not mention it", out["phone"])
		}
	})
	t.Run("NeedsPrefill", func(t *testing.T) {
		row := []any{map[string]any{"name": "王五"}}
		tests := []struct {
			input map[string]any
			want  bool
		}{
			{map[string]any{"head_name": "张三", "phone": "13800000000", "members": row}, false},
			{map[string]any{"head_name": "张三", "phone": "13800000000", "members": []any{}}, false},
			{map[string]any{"head_name": "", "phone": "", "members": row}, false},
			{map[string]any{"head_name": nil, "phone": "13800000000", "members": row}, true},
			{map[string]any{"head_name": "张三", "members": row}, true},
			{map[string]any{"head_name": "张三", "phone": "13800000000"}, true},
		}
		for _, tt := range tests {
			if got := d.NeedsPrefill(tt.input); got != tt.want {
				t.Errorf("NeedsPrefill(%v) = %v, want %v", tt.input, got, tt.want)
			}
		}
		if !d.UsesPrefill() {
			t.Error("UsesPrefill = false")
		}
	})
}

func TestYuanText(t *testing.T) {
	for fen, want := range map[int64]string{0: "0.00", 5: "0.05", 123450: "1234.50", -101: "-1.01"} {
		if got := yuanText(fen); got != want {
			t.Errorf("yuanText(%d) = %q, want %q", fen, got, want)
		}
	}
}

// user.name and today come from who fills the form and when.
func TestPrefillUserAndToday(t *testing.T) {
	d, err := Parse("r.yaml", []byte("id: r\ntitle: 记录\nfields:\n"+
		"  - {name: by, type: text, label: 记录人, required: true, prefill: user.name}\n"+
		"  - {name: on, type: date, label: 日期, required: true, prefill: today}\n"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := Context{User: map[string]any{"name": "张明"}, Today: "2026-03-02"}
	if got := d.Prefilled(ctx); got["by"] != "张明" || got["on"] != "2026-03-02" {
		t.Errorf("Prefilled = %v, want the user's name and today", got)
	}
	out, errs := d.ValidateWith(map[string]any{}, ctx)
	if len(errs) != 0 || out["by"] != "张明" || out["on"] != "2026-03-02" {
		t.Errorf("ValidateWith = %v, %v; want both filled", out, errs)
	}
	if _, errs := d.ValidateWith(map[string]any{}, Context{}); len(errs) != 2 {
		t.Errorf("without a user or a date: %v, want both required", errs)
	}
}
