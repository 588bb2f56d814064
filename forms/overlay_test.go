package forms

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// overlayBase has a field in a group, a repeat and a param-dependent
// requirement, so every place an overlay can reach is exercised.
const overlayBase = `id: visit
title: 走访表
params:
  income_line: 6000
choices:
  grade: [A, B, C]
fields:
  - {name: head_name, type: text, label: 户主姓名, required: true}
  - name: income
    type: group
    label: 收入
    fields:
      - {name: wage, type: money, label: 工资性收入}
      - {name: net, type: money, label: 纯收入}
  - name: members
    type: repeat
    label: 家庭成员
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - {name: relation, type: text, label: 与户主关系}
  - {name: grade, type: select, label: 等级, choices: grade}
  - {name: note, type: textarea, label: 说明, required: "net < params.income_line"}
`

const overlayHead = "id: visit_510100\nextends: visit\nlocality: \"510100000000\"\n"

func resolveTest(t *testing.T, body string) (*Definition, error) {
	t.Helper()
	return ResolveOverlay("county.yaml", []byte(overlayHead+body), "visit@1", []byte(overlayBase))
}

func flatNames(fields []*Field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names
}

func TestResolveOverlay(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, d *Definition)
	}{
		{"ReplaceFieldInsideGroup", "fields:\n  - {name: wage, type: money, label: 工资性收入, required: true}\n",
			func(t *testing.T, d *Definition) {
				if f := d.Field("wage"); f == nil || !f.Required {
					t.Fatalf("wage = %+v, want the overlay's required field", f)
				}
				if got := flatNames(d.Flat(nil)); !slices.Equal(got, []string{"head_name", "wage", "net", "members", "grade", "note"}) {
					t.Errorf("top level = %v, want wage kept in its place", got)
				}
			}},
		{"ReplaceFieldInsideRepeat", "fields:\n  - {name: members.relation, type: select, label: 与户主关系, choices: grade}\n",
			func(t *testing.T, d *Definition) {
				if f := d.Field("members.relation"); f == nil || f.Type != TypeSelect || f.Name != "relation" {
					t.Fatalf("members.relation = %+v, want a select named relation", f)
				}
			}},
		{"AddAfterSibling", "fields:\n  - {name: phone, type: phone, label: 电话, after: head_name}\n",
			func(t *testing.T, d *Definition) {
				if got := flatNames(d.Flat(nil))[:3]; !slices.Equal(got, []string{"head_name", "phone", "wage"}) {
					t.Errorf("first fields = %v, want phone right after head_name", got)
				}
			}},
		{"AddBeforeSiblingInsideGroup", "fields:\n  - {name: bonus, type: money, label: 奖励, before: net}\n",
			func(t *testing.T, d *Definition) {
				group := d.Field("income")
				if got := flatNames(group.Fields); !slices.Equal(got, []string{"wage", "bonus", "net"}) {
					t.Errorf("group income = %v, want bonus before net inside the group", got)
				}
			}},
		{"AddAtEndOfRepeat", "fields:\n  - {name: members.age, type: integer, label: 年龄}\n",
			func(t *testing.T, d *Definition) {
				rows := d.Flat(d.Field("members"))
				if got := flatNames(rows); !slices.Equal(got, []string{"name", "relation", "age"}) {
					t.Errorf("members row = %v, want age appended", got)
				}
			}},
		{"RemoveFieldAndList", "remove: [grade, choices.grade]\n",
			func(t *testing.T, d *Definition) {
				if d.Field("grade") != nil {
					t.Errorf("grade still present")
				}
				if _, ok := d.choiceLists["grade"]; ok {
					t.Errorf("choice list grade still present")
				}
				if len(d.Origins) != 2 || d.Origins[0].Action != OriginRemove {
					t.Errorf("origins = %+v, want two removals", d.Origins)
				}
			}},
		{"ReplaceChoiceList", "choices:\n  grade: [A, B]\n",
			func(t *testing.T, d *Definition) {
				if got := len(d.Field("grade").Choices); got != 2 {
					t.Errorf("grade has %d choices, want the overlay's 2", got)
				}
			}},
		{"ParamsByYear", "params:\n  income_line: {2020: 5000, 2024: 7000}\n",
			func(t *testing.T, d *Definition) {
				if got := d.Params["income_line"]; got != 7000 {
					t.Errorf("default income_line = %v, want the newest year's 7000", got)
				}
				y2022 := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
				if got := d.ParamsFor(y2022)["income_line"]; got != 5000 {
					t.Errorf("income_line for a case started in 2022 = %v, want 5000 (from 2020)", got)
				}
				y2019 := time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC)
				if got := d.ParamsFor(y2019)["income_line"]; got != 5000 {
					t.Errorf("income_line before every year = %v, want the first year's 5000", got)
				}
			}},
		{"OriginsNameOverlayLines", "title: 县走访表\nfields:\n  - {name: phone, type: phone, label: 电话}\n",
			func(t *testing.T, d *Definition) {
				want := []Origin{
					{Section: "title", Action: OriginOverride, File: "county.yaml", Line: 4},
					{Section: "fields", Name: "phone", Action: OriginAdd, File: "county.yaml", Line: 6},
				}
				if !slices.Equal(d.Origins, want) {
					t.Errorf("origins = %+v, want %+v", d.Origins, want)
				}
				if d.Overlay == nil || d.Overlay.Base != "visit" || d.Overlay.Locality != "510100000000" || d.ID != "visit_510100" {
					t.Errorf("overlay = %+v id %s, want visit_510100 extending visit for 510100000000", d.Overlay, d.ID)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := resolveTest(t, tt.body)
			if err != nil {
				t.Fatalf("resolve: %v", err)
			}
			tt.check(t, d)
		})
	}
}

func TestResolveOverlayProblems(t *testing.T) {
	tests := []struct {
		name, body string
		file       string
		line       int
		message    string
	}{
		{"OverridesNothing", "", "county.yaml", 1, "没有覆盖任何内容"},
		{"IdenticalField", "fields:\n  - name: wage\n    type: money\n    label: 工资性收入\n", "county.yaml", 5, "与基础表单相同"},
		{"IdenticalParam", "params:\n  income_line: 6000\n", "county.yaml", 5, "与基础表单相同"},
		{"IdenticalTitle", "title: 走访表\n", "county.yaml", 4, "与基础表单相同"},
		{"RemoveUnknown", "remove: [nothing]\n", "county.yaml", 4, "无可删除"},
		{"AddIntoUnknownRepeat", "fields:\n  - {name: pets.name, type: text, label: 名}\n", "county.yaml", 5, "没有重复组 pets"},
		{"AfterUnknownSibling", "fields:\n  - {name: x, type: text, label: 名, after: nobody}\n", "county.yaml", 5, "没有字段 nobody"},
		{"ReplacedFieldCannotMove", "fields:\n  - {name: net, type: money, label: 纯收入, required: true, after: head_name}\n", "county.yaml", 5, "留在原位"},
		{"BadFieldPath", "fields:\n  - {name: 'members..x', type: text, label: 名}\n", "county.yaml", 5, "路径"},
		{"UnknownKey", "states: {}\n", "county.yaml", 4, "未知的键 states"},
		{"OverlayPartProblemNamesOverlay", "fields:\n  - {name: x, type: nonsense, label: 名}\n", "county.yaml", 5, "未知的字段类型"},
		{"BasePartProblemNamesBase", "remove: [income]\n", "visit@1", 22, "表达式有误"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolveTest(t, tt.body)
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("got %v, want problems", err)
			}
			p := ps[0]
			if p.File != tt.file || p.Line != tt.line || !strings.Contains(p.Message, tt.message) {
				t.Errorf("first problem = %s, want %s:%d …%s…", p.String(), tt.file, tt.line, tt.message)
			}
		})
	}
}

func TestReadOverlay(t *testing.T) {
	tests := []struct {
		name, src string
		want      Overlay
		problem   string
	}{
		{"PinnedBase", "id: v\nextends: visit@2\nlocality: \"510100001000\"\nremove: [note]\n",
			Overlay{ID: "v", Base: "visit", BaseVersion: 2, Locality: "510100001000"}, ""},
		{"BadLocality", "id: v\nextends: visit\nlocality: \"5101\"\n", Overlay{}, "地区代码"},
		{"BadVersion", "id: v\nextends: visit@0\nlocality: \"510100000000\"\n", Overlay{}, "版本号"},
		{"SameIDAsBase", "id: visit\nextends: visit\nlocality: \"510100000000\"\n", Overlay{}, "须与基础表单"},
		{"MissingLocality", "id: v\nextends: visit\n", Overlay{}, "缺少 locality"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadOverlay("o.yaml", []byte(tt.src))
			if tt.problem == "" {
				if err != nil || got != tt.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.problem) {
				t.Fatalf("got %v, want a problem mentioning %q", err, tt.problem)
			}
		})
	}
}

func TestIsOverlay(t *testing.T) {
	if !IsOverlay([]byte(overlayHead)) {
		t.Errorf("a source with extends: is not an overlay")
	}
	if IsOverlay([]byte(overlayBase)) {
		t.Errorf("the base form is taken for an overlay")
	}
}

func FuzzResolveOverlay(f *testing.F) {
	f.Add(overlayHead + "fields:\n  - {name: members.age, type: integer, label: 年龄}\n")
	f.Add(overlayHead + "remove: [grade, choices.grade, params.income_line]\n")
	f.Add(overlayHead + "params:\n  income_line: {2020: 5000}\nchoices:\n  grade: [A]\n")
	f.Add(overlayHead + "fields: &a [*a]\n")
	f.Add("extends: [1]\nfields: {}\n")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ResolveOverlay("o.yaml", []byte(src), "visit@1", []byte(overlayBase))
		if err == nil && (d == nil || d.Overlay == nil) {
			t.Fatalf("resolved without an error but gave %+v", d)
		}
	})
}
