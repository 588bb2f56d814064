package workflows

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"jianfu/forms"
)

func parseBuiltin(t testing.TB, name string) *Definition {
	t.Helper()
	src, ok := Builtin()[name]
	if !ok {
		t.Fatalf("Builtin() has no %s", name)
	}
	d, err := Parse(name, src)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return d
}

func TestBuiltinListsWorkflowsOnly(t *testing.T) {
	b := Builtin()
	if _, ok := b["identification.yaml"]; !ok {
		t.Errorf("Builtin() = %d files without identification.yaml", len(b))
	}
	if _, ok := b["calendar.yaml"]; ok {
		t.Error("Builtin() includes calendar.yaml, which is not a workflow")
	}
}

func TestRules(t *testing.T) {
	d := parseBuiltin(t, "identification.yaml")
	var got []string
	for _, r := range d.Rules() {
		got = append(got, fmt.Sprintf("%s/%s/%s", r.Role, r.State, r.Trigger))
	}
	want := []string{
		"village//start",
		"village/application/submit",
		"village/verification/confirm", "village/verification/reject",
		"village/deliberation/pass", "village/deliberation/fail",
		"village/notice/no_objection", "village/notice/objection",
		"township/township_review/approve", "township/township_review/return",
		"liaison/township_review/complete_task",
		"county/county_decision/approve", "county/county_decision/reject", "county/county_decision/return",
		"liaison/county_decision/complete_task",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Rules() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTriggerForm(t *testing.T) {
	d := parseBuiltin(t, "identification.yaml")
	tests := []struct {
		name, state, trigger, want string
	}{
		{"StateForm", "deliberation", "pass", "deliberation_record"},
		{"TriggerOverride", "deliberation", "fail", "explanation"},
		{"SendBack", "notice", "objection", "send_back"},
		{"UnknownTrigger", "notice", "approve", ""},
		{"UnknownState", "nowhere", "pass", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.TriggerForm(tt.state, tt.trigger); got != tt.want {
				t.Errorf("TriggerForm(%s, %s) = %q, want %q", tt.state, tt.trigger, got, tt.want)
			}
		})
	}
	d.States["notice"].Triggers[0].Form = FormNone
	if got := d.TriggerForm("notice", "no_objection"); got != "" {
		t.Errorf("TriggerForm with form none = %q, want no form", got)
	}
}

func TestDOT(t *testing.T) {
	d := parseBuiltin(t, "identification.yaml")
	dot := d.DOT()
	for _, want := range []string{
		`digraph "identification" {`,
		`"" -> "application";`,
		`"deliberation" -> "notice" [label="评议通过，进行公示\n[attended*3 >= invited*2 \u0026\u0026 yes*2 > attended]"];`,
		`"included" [label="纳入监测\n纳入监测", shape=doubleoctagon];`,
		`部门：公安、民政、财政、自然资源、市场监管、税务`,
	} {
		want = strings.ReplaceAll(want, `\u0026`, "&")
		if !strings.Contains(dot, want) {
			t.Errorf("DOT() lacks %s\n%s", want, dot)
		}
	}
	if again := d.DOT(); again != dot {
		t.Error("DOT() differs between two calls, want deterministic output")
	}
	if n := strings.Count(dot, " -> "); n != 14 {
		t.Errorf("DOT() has %d edges, want 14 (12 triggers, the start arrow and the hand-over)", n)
	}
	t.Run("SkipsRecurringWorkRoutesAndHandOver", func(t *testing.T) {
		seven := parseBuiltin(t, "seven_step.yaml").DOT()
		monitoring := parseBuiltin(t, "monitoring.yaml").DOT()
		for _, want := range []string{
			`"deliberation" -> "visit" [label="跳过\n[params.visit_first]", style=dashed];`,
			`每月：月度走访`,
			`卫健（按条件）`,
		} {
			if !strings.Contains(seven, want) {
				t.Errorf("seven_step DOT() lacks %s", want)
			}
		}
		if want := `"handed_over" -> "then:risk_elimination" [style=dashed];`; !strings.Contains(monitoring, want) {
			t.Errorf("monitoring DOT() lacks %s", want)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(twoStates))
	f.Add(Builtin()["identification.yaml"])
	f.Add([]byte("id: t\ntitle: x\nstart: a\nstates: {a: {title: y, final: true, outcome: z}}"))
	f.Add([]byte("id: t\nstates:\n  a: &x {title: y}\n  b: *x\n"))
	f.Add([]byte("states: {a: {hold: {working_days: 'params.x * 2'}, tasks: {departments: [tax], join: '0'}}}"))
	for _, name := range []string{"monitoring.yaml", "risk_elimination.yaml", "seven_step.yaml"} {
		f.Add(Builtin()[name])
	}
	f.Add([]byte("deadline: {weeks: 1}\nstates: {a: {skip: {to: 1}, recurring: {every: day}, tasks: {route: {x: [1]}}, then: B}}"))
	f.Add([]byte("- [\n"))
	f.Add([]byte("{a: !!binary aGk=}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("t.yaml", src)
		if err != nil {
			var ps forms.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Parse error %v (%T), want non-empty forms.Problems", err, err)
			}
			for _, p := range ps {
				if p.Line < 0 || p.Message == "" {
					t.Fatalf("problem %+v: want a line >= 0 and a message", p)
				}
			}
			return
		}
		if d.ID == "" || d.Start == "" || len(d.Order) != len(d.States) {
			t.Fatalf("Parse accepted a definition without id/start or with Order %v for %d states", d.Order, len(d.States))
		}
		if err := d.Compile(testCatalog{}); err != nil {
			var ps forms.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("Compile error %v (%T), want non-empty forms.Problems", err, err)
			}
		}
		_ = d.DOT()
		_ = d.Rules()
	})
}
