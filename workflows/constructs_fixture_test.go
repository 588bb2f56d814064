package workflows

import (
	"testing"
)

// Fixtures for the constructs of the monitoring, exit and seven-step
// workflows: compiled built-ins and valid submissions of their forms.

// builtinEngine compiles one built-in workflow against the built-in forms and
// returns it with an engine that grants its own policy rows.
func builtinEngine(t testing.TB, name string) (*Definition, *Engine) {
	t.Helper()
	cat := builtinForms(t)
	d := parseBuiltin(t, name)
	if err := d.Compile(cat); err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return d, &Engine{Auth: newFakeAuth(d), Forms: formSource(cat), Calendar: BuiltinCalendar()}
}

// sourceEngine parses and compiles a definition written in a test.
func sourceEngine(t testing.TB, src string) (*Definition, *Engine) {
	t.Helper()
	cat := builtinForms(t)
	d, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := d.Compile(cat); err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return d, &Engine{Auth: newFakeAuth(d), Forms: formSource(cat), Calendar: BuiltinCalendar()}
}

func assistancePlanData(perCapita int, guarantees bool) map[string]any {
	return map[string]any{"cadre": "王村干", "risks": []any{"因病"}, "measures": []any{"健康帮扶"},
		"per_capita": perCapita, "three_guarantees": guarantees, "plan": "落实大病救助和公益岗位", "date": "2026-10-23"}
}

func riskWarningData(confirmed bool, risks ...any) map[string]any {
	return map[string]any{"risks": risks, "description": "家中老人住院，自付费用较高", "confirmed": confirmed, "date": "2026-11-05"}
}

func departmentCheckData(department string) map[string]any {
	return map[string]any{"department": department, "result": "无异常", "checked_by": "刘联络", "date": "2026-11-12"}
}

func eliminationData(perCapita int, noLabour bool) map[string]any {
	return map[string]any{"per_capita": perCapita, "income_stable": true, "three_guarantees": true,
		"risk_gone": true, "no_labour": noLabour, "opinion": "务工收入稳定", "date": "2027-05-06"}
}
