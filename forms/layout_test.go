package forms

import (
	"slices"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/types"
)

func TestReadsRows(t *testing.T) {
	env := types.Map{
		"members": types.Array(types.Map{"age": types.Int}),
		"value":   types.Array(types.Map{"age": types.Int}),
		"n":       types.Int,
	}
	tests := []struct {
		name, src, repeat string
		want              bool
	}{
		{"CountOnly", "len(members) > 2", "members", false},
		{"NilTestAndCount", "members == nil || len(members) == 0 ? 0 : 10 / len(members)", "members", false},
		{"NilOnTheLeft", "nil != members", "members", false},
		{"NotRead", "n > 1", "members", false},
		{"Indexed", "members[0].age > 1", "members", true},
		{"Predicate", "all(members, .age > 1)", "members", true},
		{"CountAndIndex", "len(members) > 0 && members[0].age > 1", "members", true},
		{"FoldedFilterMap", "len(map(filter(members, .age > n), .age)) > 0", "members", true},
		{"WholeEnvironment", "len(members) > len($env)", "members", true},
		{"ConstraintValue", "len(value) <= 3", "value", false},
		{"ConstraintRows", "count(value, .age < 18) <= 3", "value", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := expr.Compile(tt.src, expr.Env(env))
			if err != nil {
				t.Fatal(err)
			}
			if got := readsRows(prog, tt.repeat); got != tt.want {
				t.Errorf("readsRows(%q, %s) = %v, want %v", tt.src, tt.repeat, got, tt.want)
			}
		})
	}
}

func TestLayout(t *testing.T) {
	type want struct {
		keys             []string // names in the scope of the level's records
		rowMaps, counted bool     // only for repeats
	}
	tests := []struct {
		name   string
		fields string
		levels map[string]want // by repeat name, "" for the top level
	}{
		{"ScopeHoldsWhatProgramsRead", `
  - {name: a, type: integer, label: 甲}
  - {name: b, type: integer, label: 乙, relevant: a > params.min}
  - {name: c, type: text, label: 丙}
  - {name: rows, type: repeat, label: 行, fields: [{name: x, type: integer, label: X, constraint: value < a}]}`,
			map[string]want{"": {keys: []string{"a", "params"}}, "rows": {keys: []string{"a"}}}},
		{"RowsOnlyCounted", `
  - {name: n, type: integer, label: 人数, calculate: "members == nil ? 0 : len(members)"}
  - {name: members, type: repeat, label: 成员, fields: [{name: age, type: integer, label: 年龄}]}`,
			map[string]want{"": {keys: []string{"members"}}, "members": {counted: true}}},
		{"RowsRead", `
  - {name: n, type: integer, label: 成年人数, calculate: "count(members, .age >= 18)"}
  - {name: members, type: repeat, label: 成员, fields: [{name: age, type: integer, label: 年龄}]}`,
			map[string]want{"": {keys: []string{"members"}}, "members": {rowMaps: true, counted: true}}},
		{"RowShadowsTopLevel", `
  - {name: age, type: integer, label: 户主年龄}
  - name: members
    type: repeat
    label: 成员
    constraint: len(value) < 9
    fields:
      - {name: age, type: integer, label: 年龄}
      - {name: school, type: text, label: 学校, relevant: age < 18}`,
			map[string]want{"": {}, "members": {keys: []string{"age"}, counted: true}}},
		{"EnclosingRowsMapsReachNestedRows", `
  - {name: n, type: integer, label: 数, calculate: "len(members[0].jobs)"}
  - name: members
    type: repeat
    label: 成员
    fields:
      - {name: jobs, type: repeat, label: 工作, fields: [{name: place, type: text, label: 地点}]}`,
			map[string]want{"": {keys: []string{"members"}}, "members": {rowMaps: true, counted: true}, "jobs": {rowMaps: true}}},
		{"WholeEnvironmentHoldsEverything", `
  - {name: a, type: integer, label: 甲}
  - {name: b, type: integer, label: 乙, relevant: "$env.a > 1"}`,
			map[string]want{"": {keys: []string{"a", "b", "params"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("layout.yaml", []byte("id: layout\ntitle: 布局\nparams: {min: 1}\nfields:"+tt.fields+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			if len(d.levels) != len(tt.levels) {
				t.Fatalf("%d levels, want %d", len(d.levels), len(tt.levels))
			}
			for _, lv := range d.levels {
				name := ""
				if lv.repeat != nil {
					name = lv.repeat.Name
				}
				w, ok := tt.levels[name]
				if !ok {
					t.Fatalf("unexpected level %q", name)
				}
				var keys []string
				for _, k := range lv.keys {
					keys = append(keys, k.name)
				}
				slices.Sort(keys)
				if !slices.Equal(keys, w.keys) {
					t.Errorf("level %q: scope keys %v, want %v", name, keys, w.keys)
				}
				if lv.rowMaps != w.rowMaps || lv.counted != w.counted {
					t.Errorf("level %q: rowMaps %v, counted %v; want %v, %v", name, lv.rowMaps, lv.counted, w.rowMaps, w.counted)
				}
			}
		})
	}
}

// TestValidateOrdersByFoldedMap checks that a field read only inside the
// map() that the optimizer folds into filter() still counts as read: it
// is calculated first and the calculation sees it.
func TestValidateOrdersByFoldedMap(t *testing.T) {
	d, err := Parse("fold.yaml", []byte(`id: fold
title: 折叠
fields:
  - {name: total, type: money, label: 合计, calculate: "sum(map(filter(rows, .x > 0), .x * rate))"}
  - {name: rate, type: integer, label: 倍率, calculate: "base * 2"}
  - {name: base, type: integer, label: 基数}
  - {name: rows, type: repeat, label: 行, fields: [{name: x, type: integer, label: X}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"base": 3.0, "rows": []any{map[string]any{"x": 2.0}, map[string]any{"x": -1.0}}}
	out, errs := d.Validate(in, nil)
	if errs != nil || out["total"] != int64(1200) {
		t.Errorf("total = %#v (errors %v), want 1200 fen: 2 × rate 6", out["total"], errs)
	}
}

func TestSameRelevance(t *testing.T) {
	env := types.Map{"a": types.Int, "b": types.Int}
	field := func(name, relevant string) *Field {
		f := &Field{Name: name, Type: TypeInteger}
		if relevant != "" {
			prog, err := expr.Compile(relevant, expr.Env(env), expr.AsBool())
			if err != nil {
				t.Fatal(err)
			}
			f.relevant = prog
		}
		return f
	}
	tests := []struct {
		name       string
		prev, next *Field
		want       bool
	}{
		{"SameCondition", field("b", "a > 1"), field("c", "a > 1"), true},
		{"OtherCondition", field("b", "a > 1"), field("c", "a > 2"), false},
		{"ReadsThePreviousField", field("b", "a > 1 && b > 0"), field("c", "a > 1 && b > 0"), false},
		{"ReadsTheWholeEnvironment", field("b", "$env.a > 1"), field("c", "$env.a > 1"), false},
		{"PreviousHasNone", field("b", ""), field("c", "a > 1"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameRelevance(tt.prev, tt.next); got != tt.want {
				t.Errorf("sameRelevance = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestValidateSharedRelevance checks fields that take over the relevance
// of the field before them: the fields of a group, and the 务工 fields of
// 入户核实表.
func TestValidateSharedRelevance(t *testing.T) {
	d, err := Parse("shared.yaml", []byte(`id: shared
title: 共用条件
fields:
  - {name: grade, type: select, label: 等级, choices: [A, C]}
  - name: unsafe
    type: group
    label: 危房
    relevant: grade == 'C'
    fields:
      - {name: note, type: text, label: 说明}
      - {name: cost, type: money, label: 费用}
      - {name: days, type: integer, label: 天数, relevant: "cost > 100"}
`))
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"note": "漏雨", "cost": "300", "days": 3.0}
	for grade, keep := range map[string][]string{"C": {"note", "cost", "days"}, "A": nil} {
		in["grade"] = grade
		out, errs := d.Validate(in, nil)
		if errs != nil {
			t.Fatalf("grade %s: errors %v", grade, errs)
		}
		if got := len(out) - 1; got != len(keep) {
			t.Errorf("grade %s: output %v, want grade and %v", grade, out, keep)
		}
		for _, k := range keep {
			if _, ok := out[k]; !ok {
				t.Errorf("grade %s: output lacks %s: %v", grade, k, out)
			}
		}
	}
	var shared []string
	for _, f := range d.order {
		if f.sameRelevance {
			shared = append(shared, f.Name)
		}
	}
	if !slices.Equal(shared, []string{"cost"}) {
		t.Errorf("fields sharing the relevance before them: %v, want [cost]", shared)
	}
	v := builtin(t, "household_verification")
	shared = nil
	for _, f := range v.order {
		if f.sameRelevance {
			shared = append(shared, f.Name)
		}
	}
	if !slices.Equal(shared, []string{"work_months"}) {
		t.Errorf("入户核实表: fields sharing the relevance before them: %v, want [work_months]", shared)
	}
}
