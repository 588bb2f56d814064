package forms

import (
	"strings"
	"testing"
)

const cascadeYAML = `id: cascade
title: 级联选择
choices:
  township: [城关镇, 河西乡]
  village:
    - {value: 新华村, township: 城关镇}
    - {value: 东风村, township: 城关镇}
    - {value: 河口村, township: 河西乡}
fields:
  - {name: township, type: select, label: 乡镇, choices: township, required: true}
  - {name: village, type: select, label: 行政村, choices: village, required: true,
     choice_filter: choice.township == township}
  - name: visits
    type: repeat
    label: 走访
    fields:
      - {name: places, type: multiselect, label: 走访村, choices: village,
         choice_filter: choice.township == township}
`

func TestChoiceFilter(t *testing.T) {
	d, err := Parse("cascade.yaml", []byte(cascadeYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct {
		name  string
		input map[string]any
		want  []FieldError
	}{
		{"VillageOfChosenTownship", map[string]any{"township": "城关镇", "village": "东风村"}, nil},
		{"VillageOfOtherTownshipRejected", map[string]any{"township": "城关镇", "village": "河口村"},
			[]FieldError{{"village", msgFiltered}}},
		{"UnknownVillageIsNotAChoice", map[string]any{"township": "城关镇", "village": "无名村"},
			[]FieldError{{"village", msgChoice}}},
		{"MultiselectInRowFiltered", map[string]any{"township": "河西乡", "village": "河口村",
			"visits": []any{map[string]any{"places": []any{"河口村"}}, map[string]any{"places": []any{"河口村", "新华村"}}}},
			[]FieldError{{"visits[1].places", msgFiltered}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := d.Validate(tt.input, nil)
			if !equalErrors(errs, tt.want) {
				t.Errorf("errors = %v, want %v", errs, tt.want)
			}
		})
	}
	t.Run("AllowedChoicesFollowTheInput", func(t *testing.T) {
		for township, want := range map[string]string{"城关镇": "新华村,东风村", "河西乡": "河口村", "": ""} {
			got := choiceValues(d.AllowedChoices("village", map[string]any{"township": township}, Context{}))
			if got != want {
				t.Errorf("AllowedChoices(village) with township %q = %s, want %s", township, got, want)
			}
		}
	})
	t.Run("AllowedChoicesInRow", func(t *testing.T) {
		in := map[string]any{"township": "河西乡", "visits": []any{map[string]any{}}}
		if got := choiceValues(d.AllowedChoices("visits[0].places", in, Context{})); got != "河口村" {
			t.Errorf("AllowedChoices(visits[0].places) = %s, want 河口村", got)
		}
		if got := d.AllowedChoices("visits[3].places", in, Context{}); got != nil {
			t.Errorf("AllowedChoices of a missing row = %v, want nil", got)
		}
	})
	t.Run("UnfilteredSelectListsAll", func(t *testing.T) {
		if got := choiceValues(d.AllowedChoices("township", nil, Context{})); got != "城关镇,河西乡" {
			t.Errorf("AllowedChoices(township) = %s, want 城关镇,河西乡", got)
		}
	})
}

func choiceValues(cs []Choice) string {
	vals := make([]string, len(cs))
	for i, c := range cs {
		vals[i] = c.Value
	}
	return strings.Join(vals, ",")
}

func TestChoiceFilterProblems(t *testing.T) {
	head := "id: c\ntitle: 级联\nchoices:\n  village:\n    - {value: 新华村, township: 城关镇}\nfields:\n  - {name: township, type: text, label: 乡镇}\n"
	tests := []struct{ name, field, path, msg string }{
		{"UnknownAttribute", `  - {name: v, type: select, label: 村, choices: village, choice_filter: choice.county == township}`,
			"fields[1].choice_filter", "未知的属性 county"},
		{"MustBeCondition", `  - {name: v, type: select, label: 村, choices: village, choice_filter: choice.township}`,
			"fields[1].choice_filter", "结果应为真假判断"},
		{"OnlyOnSelects", `  - {name: v, type: text, label: 村, choice_filter: "true"}`,
			"fields[1].choice_filter", "只有 select 和 multiselect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(head+tt.field+"\n"))
			assertProblem(t, err, tt.path, tt.msg)
		})
	}
}

func TestSharedLists(t *testing.T) {
	src := []byte("id: s\ntitle: 共享\nfields:\n  - {name: risk, type: select, label: 风险, choices: risk_type}\n")
	t.Run("ParseUsesBuiltinLists", func(t *testing.T) {
		d, err := Parse("s.yaml", src)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		f := d.Field("risk")
		if f.ChoiceList != "risk_type" || len(f.Choices) != len(BuiltinLists()["risk_type"]) {
			t.Errorf("risk choices = %s %d, want the shared risk_type", f.ChoiceList, len(f.Choices))
		}
		if f.Choices[0].LabelIn("en") != "Illness" || f.Choices[0].LabelIn("ug") != "因病" {
			t.Errorf("first risk labels = %q/%q, want Illness and the Chinese fallback", f.Choices[0].LabelIn("en"), f.Choices[0].LabelIn("ug"))
		}
	})
	t.Run("ParseWithGivenLists", func(t *testing.T) {
		d, err := ParseWith("s.yaml", src, Options{Lists: map[string][]Choice{"risk_type": {{Value: "甲", Label: "甲"}}}})
		if err != nil {
			t.Fatalf("ParseWith: %v", err)
		}
		if _, errs := d.Validate(map[string]any{"risk": "因病"}, nil); !equalErrors(errs, []FieldError{{"risk", msgChoice}}) {
			t.Errorf("errors = %v, want 因病 outside the given list", errs)
		}
	})
	t.Run("UnknownListWithoutShared", func(t *testing.T) {
		_, err := ParseWith("s.yaml", src, Options{})
		assertProblem(t, err, "fields[0].choices", "未定义的可选项列表 risk_type")
	})
	t.Run("OwnListWins", func(t *testing.T) {
		own := []byte("id: s\ntitle: 共享\nchoices:\n  risk_type: [本地]\nfields:\n  - {name: risk, type: select, label: 风险, choices: risk_type}\n")
		d, err := Parse("s.yaml", own)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if got := choiceValues(d.Field("risk").Choices); got != "本地" {
			t.Errorf("risk choices = %s, want the form's own 本地", got)
		}
	})
	t.Run("BuiltinFormsShareLists", func(t *testing.T) {
		for _, id := range []string{"household_verification", "application_authorization"} {
			if strings.Contains(string(Builtin()[id+".yaml"]), "risk_type: [") {
				t.Errorf("%s still copies risk_type", id)
			}
			if f := builtin(t, id).Field("risks"); f.ChoiceList != "risk_type" || len(f.Choices) != 11 {
				t.Errorf("%s risks = %s with %d choices, want the 11 shared risk types", id, f.ChoiceList, len(f.Choices))
			}
		}
	})
	t.Run("BuiltinListsParse", func(t *testing.T) {
		lists, err := ParseLists(listsFile, []byte(mustEmbedded(t)))
		if err != nil {
			t.Fatalf("ParseLists(%s): %v", listsFile, err)
		}
		if got := len(lists["department"]); got != 13 {
			t.Errorf("department has %d options, want the 13 department ids", got)
		}
		if l := lists["department"][0]; l.Value != "public_security" || l.Label != "公安" || l.LabelIn("en") != "Public security" {
			t.Errorf("first department = %+v, want public_security 公安 / Public security", l)
		}
	})
	t.Run("ListsFileIsNotAForm", func(t *testing.T) {
		if _, ok := Builtin()[listsFile]; ok {
			t.Errorf("Builtin() includes %s, which is not a form", listsFile)
		}
	})
	t.Run("ParseListsProblems", func(t *testing.T) {
		_, err := ParseLists("l.yaml", []byte("a: [x, x]\nb: 3\n"))
		assertProblem(t, err, "a[1]", "可选项 x 重复")
		assertProblem(t, err, "b", "可选项应为列表")
	})
}

func mustEmbedded(t *testing.T) string {
	t.Helper()
	src, err := sharedLists.ReadFile("defs/" + listsFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}
