package forms

import (
	"errors"
	"strings"
	"testing"
)

// wantProblem is one expected problem: its line, path and a part of its
// message.
type wantProblem struct {
	line int
	path string
	msg  string
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []wantProblem
	}{
		{
			name: "YAMLSyntaxError",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲
  - {name: b, type: text, label: 乙}
`,
			want: []wantProblem{{4, "", "YAML 语法错误"}},
		},
		{
			name: "YAMLScannerError",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: @甲}
`,
			want: []wantProblem{{4, "", "YAML 语法错误"}},
		},
		{
			name: "EmptyDefinition",
			src:  "",
			want: []wantProblem{{1, "", "定义为空"}},
		},
		{
			name: "NotAMapping",
			src:  "- a\n- b\n",
			want: []wantProblem{{1, "", "定义应为键值映射"}},
		},
		{
			name: "MissingIDAndTitle",
			src: `fields:
  - {name: a, type: text, label: 甲}
`,
			want: []wantProblem{{1, "id", "缺少表单标识 id"}, {1, "title", "缺少表单标题 title"}},
		},
		{
			name: "InvalidID",
			src: `id: 入户核实
title: 表
fields:
  - {name: a, type: text, label: 甲}
`,
			want: []wantProblem{{1, "id", "不是合法的标识"}},
		},
		{
			name: "MissingFields",
			src:  "id: x\ntitle: 表\n",
			want: []wantProblem{{1, "fields", "缺少字段列表"}},
		},
		{
			name: "UnknownTopLevelKey",
			src: `id: x
title: 表
colour: red
fields:
  - {name: a, type: text, label: 甲}
`,
			want: []wantProblem{{3, "colour", "未知的键 colour"}},
		},
		{
			name: "DuplicateKey",
			src: `id: x
title: 表
title: 又一个
fields:
  - {name: a, type: text, label: 甲}
`,
			want: []wantProblem{{3, "title", "键 title 重复（第2行已出现）"}},
		},
		{
			name: "UnknownFieldKey",
			src: `id: x
title: 表
fields:
  - name: a
    type: text
    label: 甲
    colour: red
`,
			want: []wantProblem{{7, "fields[0].colour", "未知的键 colour"}},
		},
		{
			name: "MissingNameTypeLabel",
			src: `id: x
title: 表
fields:
  - hint: 什么都没有
`,
			want: []wantProblem{
				{4, "fields[0].name", "缺少字段名"},
				{4, "fields[0].type", "缺少字段类型"},
				{4, "fields[0].label", "缺少标签"},
			},
		},
		{
			name: "UnknownFieldType",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲}
  - name: b
    type: number
    label: 乙
`,
			want: []wantProblem{{6, "fields[1].type", "未知的字段类型 number"}},
		},
		{
			name: "ReservedFieldName",
			src: `id: x
title: 表
fields:
  - {name: value, type: text, label: 值}
`,
			want: []wantProblem{{4, "fields[0].name", "不是合法的标识"}},
		},
		{
			name: "DuplicateFieldName",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲}
  - {name: b, type: text, label: 乙}
  - {name: a, type: integer, label: 丙}
`,
			want: []wantProblem{{6, "fields[2].name", "字段名 a 重复（第4行已定义）"}},
		},
		{
			name: "DuplicateFieldNameInRepeat",
			src: `id: x
title: 表
fields:
  - name: members
    type: repeat
    label: 成员
    fields:
      - {name: name, type: text, label: 姓名}
      - {name: name, type: text, label: 姓名}
`,
			want: []wantProblem{{9, "fields[0].fields[1].name", "字段名 name 重复"}},
		},
		{
			name: "SelectWithoutChoices",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲}
  - name: grade
    type: select
    label: 等级
`,
			want: []wantProblem{{5, "fields[1].choices", "选择题缺少可选项"}},
		},
		{
			name: "UnknownChoiceList",
			src: `id: x
title: 表
choices:
  gender: [男, 女]
fields:
  - name: relation
    type: select
    label: 关系
    choices: relations
`,
			want: []wantProblem{{9, "fields[0].choices", "未定义的可选项列表 relations"}},
		},
		{
			name: "ChoicesOnText",
			src: `id: x
title: 表
fields:
  - name: a
    type: text
    label: 甲
    choices: [一, 二]
`,
			want: []wantProblem{{7, "fields[0].choices", "只有 select 和 multiselect"}},
		},
		{
			name: "DuplicateChoiceValue",
			src: `id: x
title: 表
choices:
  grade:
    - A
    - {value: A, label: 甲级}
fields:
  - {name: g, type: select, label: 等级, choices: grade}
`,
			want: []wantProblem{{6, "choices.grade[1]", "可选项 A 重复（第5行已出现）"}},
		},
		{
			name: "RepeatWithoutFields",
			src: `id: x
title: 表
fields:
  - name: members
    type: repeat
    label: 成员
    min: 1
`,
			want: []wantProblem{{4, "fields[0].fields", "重复组缺少字段"}},
		},
		{
			name: "RepeatWithEmptyFields",
			src: `id: x
title: 表
fields:
  - name: members
    type: repeat
    label: 成员
    fields: []
`,
			want: []wantProblem{{7, "fields[0].fields", "字段列表为空"}},
		},
		{
			name: "NestedFieldUnknownType",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲}
  - name: members
    type: repeat
    label: 成员
    fields:
      - {name: name, type: txt, label: 姓名}
`,
			want: []wantProblem{{9, "fields[1].fields[0].type", "未知的字段类型 txt"}},
		},
		{
			name: "MinGreaterThanMax",
			src: `id: x
title: 表
fields:
  - name: members
    type: repeat
    label: 成员
    min: 3
    max: 2
    fields:
      - {name: name, type: text, label: 姓名}
`,
			want: []wantProblem{{8, "fields[0].max", "max（2）不能小于 min（3）"}},
		},
		{
			name: "MinOnText",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲, min: 2}
`,
			want: []wantProblem{{4, "fields[0].min", "只有 repeat 可以设 min"}},
		},
		{
			name: "ExpressionDoesNotCompile",
			src: `id: x
title: 表
fields:
  - {name: a, type: integer, label: 甲}
  - name: b
    type: text
    label: 乙
    relevant: "a > "
`,
			want: []wantProblem{{8, "fields[1].relevant", "表达式有误"}},
		},
		{
			name: "UnknownNameInExpression",
			src: `id: x
title: 表
fields:
  - {name: a, type: integer, label: 甲}
  - {name: b, type: text, label: 乙, relevant: "c > 1"}
`,
			want: []wantProblem{{5, "fields[1].relevant", "未知的名称 c"}},
		},
		{
			name: "StringFieldComparedWithNumber",
			src: `id: x
title: 表
fields:
  - {name: name, type: text, label: 姓名}
  - name: note
    type: textarea
    label: 备注
    relevant: name > 3
`,
			want: []wantProblem{{8, "fields[1].relevant", "类型不匹配"}},
		},
		{
			name: "RelevantNotBoolean",
			src: `id: x
title: 表
fields:
  - {name: age, type: integer, label: 年龄}
  - name: note
    type: textarea
    label: 备注
    relevant: age + 1
`,
			want: []wantProblem{{8, "fields[1].relevant", "结果应为真假判断"}},
		},
		{
			name: "RequiredExpressionNotBoolean",
			src: `id: x
title: 表
fields:
  - {name: age, type: integer, label: 年龄}
  - {name: note, type: textarea, label: 备注, required: "'是'"}
`,
			want: []wantProblem{{5, "fields[1].required", "结果应为真假判断"}},
		},
		{
			name: "RequiredNeitherBoolNorExpression",
			src: `id: x
title: 表
fields:
  - {name: note, type: textarea, label: 备注, required: [1]}
`,
			want: []wantProblem{{4, "fields[0].required", "required 应为 true、false 或条件表达式"}},
		},
		{
			name: "ConstraintValueMistyped",
			src: `id: x
title: 表
fields:
  - name: phone
    type: phone
    label: 电话
    constraint: value > 100
`,
			want: []wantProblem{{7, "fields[0].constraint", "类型不匹配"}},
		},
		{
			name: "ConstraintMessageWithoutConstraint",
			src: `id: x
title: 表
fields:
  - {name: a, type: integer, label: 甲, constraint_message: 太大}
`,
			want: []wantProblem{{4, "fields[0].constraint_message", "却没有 constraint"}},
		},
		{
			name: "CalculateOnNonComputableType",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲}
  - name: b
    type: id_card
    label: 身份证号
    calculate: a
`,
			want: []wantProblem{{8, "fields[1].calculate", "id_card 类型的字段不能设 calculate"}},
		},
		{
			name: "CalculateResultMistyped",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲}
  - {name: total, type: money, label: 合计, calculate: a + "元"}
`,
			want: []wantProblem{{5, "fields[1].calculate", "计算结果类型为 string，不能存入 money"}},
		},
		{
			name: "CalculateCycle",
			src: `id: x
title: 表
fields:
  - {name: a, type: integer, label: 甲, calculate: b + 1}
  - {name: b, type: integer, label: 乙, calculate: a + 1}
`,
			want: []wantProblem{{4, "fields[0].calculate", "表达式循环引用：a → b → a"}},
		},
		{
			name: "RelevantReadsItself",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲, relevant: "a != ''"}
`,
			want: []wantProblem{{4, "fields[0].relevant", "表达式循环引用：a → a"}},
		},
		{
			name: "UnknownParam",
			src: `id: x
title: 表
params:
  income_line: 6000
fields:
  - {name: income, type: money, label: 收入}
  - {name: why, type: text, label: 原因, relevant: income < params.income_lin}
`,
			want: []wantProblem{{7, "fields[1].relevant", "未知的属性 income_lin"}},
		},
		{
			name: "ParamNotScalar",
			src: `id: x
title: 表
params:
  lines: [6000, 7000]
fields:
  - {name: a, type: text, label: 甲}
`,
			want: []wantProblem{{4, "params.lines", "参数只能是数字、文字或 true/false"}},
		},
		{
			name: "DefaultOfWrongType",
			src: `id: x
title: 表
fields:
  - name: days
    type: integer
    label: 天数
    default: 五天
`,
			want: []wantProblem{{7, "fields[0].default", "默认值无效：请输入整数"}},
		},
		{
			name: "DefaultNotAChoice",
			src: `id: x
title: 表
fields:
  - {name: g, type: select, label: 等级, choices: [A, B], default: C}
`,
			want: []wantProblem{{4, "fields[0].default", "默认值无效：不在可选项中"}},
		},
		{
			name: "AliasRefused",
			src: `id: x
title: &t 表
description: *t
fields:
  - {name: a, type: text, label: 甲}
`,
			want: []wantProblem{{3, "description", "不支持 YAML 别名"}},
		},
		{
			name: "RepeatTooDeep",
			src: `id: x
title: 表
fields:
  - name: a
    type: repeat
    label: 甲
    fields:
      - name: b
        type: repeat
        label: 乙
        fields:
          - name: c
            type: repeat
            label: 丙
            fields:
              - name: d
                type: repeat
                label: 丁
                fields:
                  - {name: e, type: text, label: 戊}
`,
			want: []wantProblem{{16, "fields[0].fields[0].fields[0].fields[0]", "重复组最多嵌套3层"}},
		},
		{
			name: "EveryProblemReported",
			src: `id: x
title: 表
fields:
  - {name: a, type: text, label: 甲, colour: red}
  - {name: b, type: nope, label: 乙}
  - {name: a, type: text, label: 丙}
  - {name: c, type: select, label: 丁}
  - {name: d, type: integer, label: 戊, relevant: "a > 1"}
`,
			want: []wantProblem{
				{4, "fields[0].colour", "未知的键"},
				{5, "fields[1].type", "未知的字段类型"},
				{6, "fields[2].name", "重复"},
				{7, "fields[3].choices", "选择题缺少可选项"},
				{8, "fields[4].relevant", "类型不匹配"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("test.yaml", []byte(tt.src))
			if d != nil {
				t.Errorf("Parse returned a definition despite problems")
			}
			var got Problems
			if !errors.As(err, &got) {
				t.Fatalf("Parse error = %v (%T), want Problems", err, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Parse reported %d problems, want %d:\n%v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.File != "test.yaml" || g.Line != w.line || g.Path != w.path || !strings.Contains(g.Message, w.msg) {
					t.Errorf("problem %d = %s, want test.yaml:%d: %s: …%s…", i, g, w.line, w.path, w.msg)
				}
			}
		})
	}
}

const parseExample = `id: survey
title: 调查表
description: 示例
version: 3
params:
  income_line: 6000
  region: 西部
choices:
  grade: [A, B, {value: C, label: C级}]
fields:
  - {name: head_id, type: id_card, label: 户主身份证号, required: true, hint: 18位}
  - name: members
    type: repeat
    label: 成员
    min: 1
    max: 5
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - {name: income, type: money, label: 收入}
      - {name: note, type: text, label: 备注, required: "income < params.income_line && len(members) > 1"}
  - {name: grade, type: select, label: 等级, choices: grade, default: B}
  - {name: colour, type: select, label: 颜色, choices: [红, 绿]}
  - name: total
    type: money
    label: 合计
    calculate: sum(members, .income)
`

func TestParseDefinition(t *testing.T) {
	d, err := Parse("survey.yaml", []byte(parseExample))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	t.Run("TopLevel", func(t *testing.T) {
		if d.ID != "survey" || d.Title != "调查表" || d.Description != "示例" || d.Version != 3 || d.File != "survey.yaml" {
			t.Errorf("got id=%q title=%q description=%q version=%d file=%q", d.ID, d.Title, d.Description, d.Version, d.File)
		}
		if string(d.Source) != parseExample {
			t.Errorf("Source is not the parsed text")
		}
		if d.Params["income_line"] != 6000 || d.Params["region"] != "西部" {
			t.Errorf("Params = %v, want income_line 6000 (int) and region 西部", d.Params)
		}
	})
	t.Run("FieldLookupByPath", func(t *testing.T) {
		for path, want := range map[string]string{
			"head_id": "户主身份证号", "members": "成员", "members.name": "姓名",
			"members[3].income": "收入", "total": "合计",
		} {
			f := d.Field(path)
			if f == nil || f.Label != want {
				t.Errorf("Field(%q) = %+v, want the field labelled %s", path, f, want)
			}
		}
		for _, path := range []string{"name", "members.head_id", "nope", ""} {
			if f := d.Field(path); f != nil {
				t.Errorf("Field(%q) = %s, want nil", path, f.Name)
			}
		}
	})
	t.Run("FieldAttributes", func(t *testing.T) {
		head := d.Field("head_id")
		if !head.Required || head.Hint != "18位" || head.Line != 11 || head.Type != TypeIDCard {
			t.Errorf("head_id = %+v, want required id_card on line 11 with hint", head)
		}
		members := d.Field("members")
		if members.Min == nil || *members.Min != 1 || members.Max == nil || *members.Max != 5 || len(members.Fields) != 3 {
			t.Errorf("members: min=%v max=%v fields=%d, want 1, 5, 3", members.Min, members.Max, len(members.Fields))
		}
		note := d.Field("members.note")
		if note.Required || note.RequiredIf != "income < params.income_line && len(members) > 1" {
			t.Errorf("members.note Required=%v RequiredIf=%q, want the expression", note.Required, note.RequiredIf)
		}
		total := d.Field("total")
		if !total.ReadOnly || total.Calculate == "" {
			t.Errorf("total ReadOnly=%v Calculate=%q, want a read-only calculated field", total.ReadOnly, total.Calculate)
		}
	})
	t.Run("ChoicesResolved", func(t *testing.T) {
		grade := d.Field("grade")
		want := []Choice{{Value: "A", Label: "A"}, {Value: "B", Label: "B"}, {Value: "C", Label: "C级"}}
		if grade.ChoiceList != "grade" || len(grade.Choices) != len(want) {
			t.Fatalf("grade choices = %q %v, want list grade %v", grade.ChoiceList, grade.Choices, want)
		}
		for i := range want {
			if got := grade.Choices[i]; got.Value != want[i].Value || got.Label != want[i].Label {
				t.Errorf("grade choice %d = %v, want %v", i, grade.Choices[i], want[i])
			}
		}
		if grade.Default != "B" {
			t.Errorf("grade.Default = %v, want B", grade.Default)
		}
		colour := d.Field("colour")
		if colour.ChoiceList != "" || len(colour.Choices) != 2 || colour.Choices[1].Value != "绿" || colour.Choices[1].Label != "绿" {
			t.Errorf("colour choices = %q %v, want inline 红, 绿", colour.ChoiceList, colour.Choices)
		}
	})
}

// TestParseDocumentedExamples keeps the examples of docs/forms.md honest.
func TestParseDocumentedExamples(t *testing.T) {
	d, err := Parse("docs.yaml", []byte(`id: docs
title: 文档示例
params:
  income_line: 6000
choices:
  risk_type: [因病, 因学]
  school: [非在校生, 小学]
  labour:
    - {value: 技能, label: 技能劳动力}
    - {value: 普通, label: 普通劳动力}
    - {value: 无,   label: 无劳动力}
fields:
  - {name: checker1, type: text, label: 核实人一, required: true}
  - {name: checker2, type: text, label: 核实人二, required: true,
     constraint: value != checker1, constraint_message: 入户核实须两人同行，两名核实人不能是同一人}
  - name: members
    type: repeat
    label: 家庭成员
    min: 1
    max: 20
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - {name: age, type: integer, label: 年龄}
      - {name: labour, type: select, label: 劳动技能, choices: labour}
      - {name: school, type: select, label: 在校生状况, choices: school, relevant: "age >= 3 && age <= 25"}
  - {name: wage, type: money, label: 工资性收入}
  - {name: business, type: money, label: 经营性收入}
  - {name: property, type: money, label: 财产性收入}
  - {name: transfer, type: money, label: 转移性收入}
  - {name: production_cost, type: money, label: 生产经营支出}
  - {name: medical_selfpay, type: money, label: 合规自付医疗支出}
  - {name: net_income, type: money, label: 家庭年纯收入,
     calculate: wage + business + property + transfer - production_cost - medical_selfpay}
  - {name: per_capita, type: money, label: 人均纯收入,
     calculate: "members == nil || len(members) == 0 ? 0 : net_income / len(members)"}
  - {name: risks, type: multiselect, label: 风险类型, choices: risk_type,
     required: per_capita < params.income_line}
  - {name: housing_grade, type: select, label: 住房安全等级, choices: [A, B, C, D]}
  - {name: housing_note, type: textarea, label: 危房情况说明,
     relevant: "housing_grade in ['C', 'D']", required: true}
  - {name: band, type: select, label: 预警等级, choices: [红, 黄, 绿],
     calculate: "per_capita < params.income_line ? '红' : per_capita < params.income_line * 1.5 ? '黄' : '绿'"}
  - {name: workers, type: integer, label: 劳动力人数, calculate: "count(members, .labour in ['技能', '普通'])"}
  - {name: reason, type: textarea, label: 退回理由, required: true,
     constraint: len(value) >= 5, constraint_message: 退回理由至少填写5个字}
`))
	if err != nil {
		t.Fatalf("documented examples do not parse:\n%v", err)
	}
	out, errs := d.Validate(map[string]any{
		"checker1": "甲", "checker2": "乙", "wage": "16000", "production_cost": "1000", "reason": "资料不全请补充",
		"members": []any{
			map[string]any{"name": "甲", "labour": "技能", "age": 40.0},
			map[string]any{"name": "乙", "labour": "无", "age": 70.0},
		},
	}, nil)
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	// 15000 / 2 = 7500: between the line and 1.5 × the line.
	if out["per_capita"] != int64(750000) || out["band"] != "黄" || out["workers"] != int64(1) {
		t.Errorf("per_capita=%v band=%v workers=%v, want 750000 黄 1", out["per_capita"], out["band"], out["workers"])
	}
}

func TestYAMLMessages(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"UnclosedBrace", "id: x\ntitle: t\nfields:\n  - {name: a, type: text, label: A\n  - {name: b, type: text, label: B}\n", "花括号 { } 没有闭合"},
		{"Tab", "id: x\ntitle: t\nfields:\n\t- {name: a, type: text, label: A}\n", "Tab 键"},
		{"UnclosedQuote", "id: x\ntitle: \"t\nfields:\n  - {name: a, type: text, label: A}\n", "x.yaml:2: : YAML 语法错误：文件意外结束：请检查引号和括号是否成对"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse: %v, want a problem saying %q", err, tt.want)
			}
		})
	}
	if got := YAMLMessage("something new"); got != "无法解析（something new）" {
		t.Errorf("an unknown error reads %q, want the parser's words kept", got)
	}
}
