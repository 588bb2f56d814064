package forms

import (
	"strings"
	"testing"
)

const groupYAML = `id: grouped
title: 分组表
fields:
  - {name: head_name, type: text, label: 户主姓名, required: true}
  - name: housing
    type: group
    label: 住房安全
    label::en: Housing
    fields:
      - {name: grade, type: select, label: 住房安全等级, choices: [A, B, C, D], required: true}
      - name: unsafe
        type: group
        label: 危房情况
        relevant: "grade in ['C', 'D']"
        fields:
          - {name: note, type: textarea, label: 危房情况说明, required: true}
          - {name: cost, type: money, label: 维修费用, relevant: "note != ''"}
  - name: members
    type: repeat
    label: 家庭成员
    fields:
      - name: who
        type: group
        label: 身份
        fields:
          - {name: name, type: text, label: 姓名, required: true}
          - {name: age, type: integer, label: 年龄}
      - {name: school, type: text, label: 学校, relevant: age < 18}
`

func TestGroups(t *testing.T) {
	d, err := Parse("grouped.yaml", []byte(groupYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	t.Run("TreeKeepsGroups", func(t *testing.T) {
		if len(d.Fields) != 3 || d.Fields[1].Type != TypeGroup || len(d.Fields[1].Fields) != 2 {
			t.Fatalf("top fields = %d, second %q with %d fields; want 3 with a group of 2", len(d.Fields), d.Fields[1].Type, len(d.Fields[1].Fields))
		}
		if d.Label("housing", "en") != "Housing" {
			t.Errorf("Label(housing, en) = %q, want Housing", d.Label("housing", "en"))
		}
	})
	t.Run("ValuesStayFlat", func(t *testing.T) {
		names := []string{}
		for _, f := range d.Flat(nil) {
			names = append(names, f.Name)
		}
		if got := strings.Join(names, ","); got != "head_name,grade,note,cost,members" {
			t.Errorf("Flat(nil) = %s, want head_name,grade,note,cost,members", got)
		}
		if f := d.Field("members.name"); f == nil || f.Label != "姓名" {
			t.Errorf("Field(members.name) = %v, want the name inside the row's group", f)
		}
	})
	tests := []struct {
		name  string
		input map[string]any
		want  []FieldError
		keep  []string
		drop  []string
	}{
		{"GroupIrrelevantDropsItsFields",
			map[string]any{"head_name": "甲", "grade": "A", "note": "漏雨", "cost": "100"},
			nil, []string{"grade"}, []string{"note", "cost"}},
		{"GroupRelevantChecksItsFields",
			map[string]any{"head_name": "甲", "grade": "D"},
			[]FieldError{{"note", "请填写危房情况说明"}}, []string{"grade"}, nil},
		{"FieldInsideGroupKeepsOwnRelevance",
			map[string]any{"head_name": "甲", "grade": "C", "note": "墙裂", "cost": "300"},
			nil, []string{"note", "cost"}, nil},
		{"GroupInRowIsTransparent",
			map[string]any{"head_name": "甲", "grade": "A", "members": []any{map[string]any{"age": 10.0, "school": "小学"}}},
			[]FieldError{{"members[0].name", "请填写姓名"}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs := d.Validate(tt.input, nil)
			if !equalErrors(errs, tt.want) {
				t.Errorf("errors = %v, want %v", errs, tt.want)
			}
			for _, k := range tt.keep {
				if _, ok := out[k]; !ok {
					t.Errorf("output lacks %s: %v", k, out)
				}
			}
			for _, k := range tt.drop {
				if _, ok := out[k]; ok {
					t.Errorf("output keeps %s of an irrelevant group: %v", k, out)
				}
			}
		})
	}
}

func TestGroupProblems(t *testing.T) {
	tests := []struct {
		name, fields, path, msg string
	}{
		{"GroupNeedsFields", `  - {name: g, type: group, label: 组}`, "fields[0].fields", "分组缺少字段"},
		{"GroupHasNoValueRules", `  - {name: g, type: group, label: 组, required: true, fields: [{name: a, type: text, label: 甲}]}`,
			"fields[0].required", "分组不能设 required"},
		{"NamesUniqueAcrossGroups", "  - {name: a, type: text, label: 甲}\n  - {name: g, type: group, label: 组, fields: [{name: a, type: text, label: 乙}]}",
			"fields[1].fields[0].name", "字段名 a 重复"},
		{"GroupRelevanceCompiled", `  - {name: g, type: group, label: 组, relevant: nope > 1, fields: [{name: a, type: text, label: 甲}]}`,
			"fields[0].relevant", "未知的名称 nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("g.yaml", []byte("id: g\ntitle: 组\nfields:\n"+tt.fields+"\n"))
			assertProblem(t, err, tt.path, tt.msg)
		})
	}
}

// assertProblem fails unless err lists a problem at path whose message
// contains msg.
func assertProblem(t *testing.T, err error, path, msg string) {
	t.Helper()
	ps, ok := err.(Problems)
	if !ok {
		t.Fatalf("error = %v, want Problems with %s: %s", err, path, msg)
	}
	for _, p := range ps {
		if p.Path == path && strings.Contains(p.Message, msg) {
			return
		}
	}
	t.Errorf("problems:\n%v\nwant one at %s containing %q", ps, path, msg)
}
