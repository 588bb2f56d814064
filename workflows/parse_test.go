package workflows

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"jianfu/forms"
)

// at is a problem's anchor: line and path.
type anchor struct {
	Line int
	Path string
}

func anchors(t *testing.T, err error) []anchor {
	t.Helper()
	var ps forms.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v (%T), want forms.Problems", err, err)
	}
	out := make([]anchor, len(ps))
	for i, p := range ps {
		if p.File != "t.yaml" {
			t.Errorf("problem %v has file %q, want t.yaml", p, p.File)
		}
		if p.Message == "" {
			t.Errorf("problem %v has no message", p)
		}
		out[i] = anchor{p.Line, p.Path}
	}
	return out
}

func sameAnchors(got, want []anchor) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []anchor
	}{
		{"YAMLSyntax", "id: t\ntitle: 测试\n  start: a\n", []anchor{{3, ""}}},
		{"YAMLTab", "id: t\ntitle: 测试\nstates:\n\ta: b\n", []anchor{{4, ""}}},
		{"Empty", "", []anchor{{1, ""}}},
		{"NotAMapping", "- a\n- b\n", []anchor{{1, ""}}},
		{"MissingRequiredKeys", "id: t\nstates: {}\n", []anchor{
			{2, "states"}, {1, "title"}, {1, "start"},
		}},
		{"UnknownTopLevelKey", `id: t
title: 测试
start: a
limit: {days: 15}
states:
  a: {title: 甲, final: true, outcome: 完成}
`, []anchor{{4, "limit"}}},
		{"BadNames", `id: T1
title: 测试
start: a
states:
  A-1: {title: 甲, final: true, outcome: 完成}
  a:
    title: 乙
    role: village
    on:
      Go: b
      start: b
`, []anchor{{1, "id"}, {5, "states.A-1"}, {10, "states.a.on.Go"}, {11, "states.a.on.start"}}},
		{"DuplicateState", `id: t
title: 测试
start: a
states:
  a: {title: 甲, final: true, outcome: 完成}
  a: {title: 乙, final: true, outcome: 完成}
`, []anchor{{6, "states.a"}}},
		{"StateShape", `id: t
title: 测试
start: a
states:
  a:
    role: village
    colour: red
    final: yes please
    due_working_days: 400
    on:
      go: {title: 走}
      bad: [b]
`, []anchor{{7, "states.a.colour"}, {8, "states.a.final"}, {9, "states.a.due_working_days"},
			{11, "states.a.on.go.to"}, {12, "states.a.on.bad"}, {5, "states.a.title"}}},
		{"HoldNeedsExactlyOneLength", `id: t
title: 测试
start: a
states:
  a:
    title: 甲
    hold: {working_days: 5, calendar_days: 7}
  b:
    title: 乙
    hold: {}
`, []anchor{{7, "states.a.hold"}, {10, "states.b.hold"}}},
		{"TasksShape", `id: t
title: 测试
start: a
states:
  a:
    title: 甲
    tasks:
      departments: education
      due_working_days: -1
      when: now
`, []anchor{{8, "states.a.tasks.departments"}, {9, "states.a.tasks.due_working_days"}, {10, "states.a.tasks.when"}}},
		{"AliasRefused", `id: t
title: 测试
start: a
states:
  a: &s {title: 甲, final: true, outcome: 完成}
  b: *s
`, []anchor{{6, "states.b"}}},
		{"ParamsShape", `id: t
title: 测试
start: a
params:
  notice_days: 5
  Bad: 1
  list: [1, 2]
states:
  a: {title: 甲, final: true, outcome: 完成}
`, []anchor{{6, "params.Bad"}, {7, "params.list"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("t.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded (%+v), want problems at %v", d, tt.want)
			}
			if got := anchors(t, err); !sameAnchors(got, tt.want) {
				t.Errorf("problems at %v, want %v\n%v", got, tt.want, err)
			}
		})
	}
}

func TestParseKeepsSourceOrderAndLines(t *testing.T) {
	src := `id: t
title: 测试
start: z
params: {notice_days: 5, income_line: 6320.5, note: 文字}
states:
  z:
    title: 甲
    role: village
    form: f
    hold: {working_days: params.notice_days}
    on:
      go: y
      back: {to: z, title: 重做, form: none, when: "true", message: 不行, ignore_hold: true}
  y:
    title: 乙
    role: township
    tasks: {departments: [education, tax], form: g, join: "1", due_working_days: 3}
    on: {done: {to: x, join: true}}
  x: {title: 丙, final: true, outcome: 完成}
`
	d, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got, want := strings.Join(d.Order, ","), "z,y,x"; got != want {
		t.Errorf("Order = %s, want %s", got, want)
	}
	if d.Params["notice_days"] != 5 || d.Params["income_line"] != 6320.5 || d.Params["note"] != "文字" {
		t.Errorf("Params = %v, want notice_days 5, income_line 6320.5, note 文字", d.Params)
	}
	z := d.States["z"]
	if z.Line != 6 || z.Hold == nil || z.Hold.WorkingDays != "params.notice_days" {
		t.Errorf("state z = line %d hold %+v, want line 6 and working_days params.notice_days", z.Line, z.Hold)
	}
	back := z.Trigger("back")
	want := Trigger{Name: "back", Title: "重做", To: "z", Form: FormNone, When: "true", Message: "不行", IgnoreHold: true, Line: 13}
	if back == nil || fmt.Sprint(*back) != fmt.Sprint(want) {
		t.Errorf("trigger back = %+v, want %+v", back, want)
	}
	if g := z.Trigger("go"); g == nil || g.To != "y" || g.Line != 12 {
		t.Errorf("trigger go = %+v, want to y at line 12", g)
	}
	f := d.States["y"].Tasks
	if f == nil || strings.Join(f.Departments, ",") != "education,tax" || f.Form != "g" || f.Join != "1" || f.DueWorkingDays != 3 {
		t.Errorf("tasks of y = %+v, want education,tax form g join 1 due 3", f)
	}
	if !d.States["y"].Triggers[0].Join {
		t.Error("trigger done of y has Join false, want true")
	}
	if x := d.States["x"]; !x.Final || x.Outcome != "完成" {
		t.Errorf("state x = %+v, want final with outcome 完成", x)
	}
}
