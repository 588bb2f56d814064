package workflows

import (
	"strings"
	"testing"

	"jianfu/forms"
)

// testCatalog is a Catalog of the standard roles and departments and the
// given forms.
type testCatalog map[string]*forms.Definition

func (c testCatalog) Form(id string) (*forms.Definition, bool) {
	f, ok := c[id]
	return f, ok
}

func (testCatalog) HasRole(name string) bool {
	switch name {
	case "village", "township", "county", RoleLiaison:
		return true
	}
	return false
}

func (testCatalog) HasDepartment(id string) bool {
	return DepartmentTitle(id) != id
}

// twoStates is a valid definition that tests vary: a → b (final).
const twoStates = `id: t
title: 测试
start: a
params: {days: 5}
states:
  a:
    title: 甲
    role: village
    on:
      go: b
  b:
    title: 乙
    final: true
    outcome: 完成
`

func TestCompileProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []anchor
	}{
		// b, now unreachable, is not reported again: the target is.
		{"UnknownTargetState", strings.Replace(twoStates, "go: b", "go: c", 1),
			[]anchor{{10, "states.a.on.go.to"}}},
		{"UnknownStartState", strings.Replace(twoStates, "start: a", "start: z", 1),
			[]anchor{{3, "start"}}},
		{"UnknownRole", strings.Replace(twoStates, "role: village", "role: villager", 1),
			[]anchor{{8, "states.a.role"}}},
		{"MissingRole", strings.Replace(twoStates, "    role: village\n", "", 1),
			[]anchor{{6, "states.a.role"}}},
		{"UnknownForm", strings.Replace(twoStates, "role: village", "role: village\n    form: nosuch", 1),
			[]anchor{{9, "states.a.form"}}},
		{"GuardDoesNotCompile", strings.Replace(twoStates, "go: b", `go: {to: b, when: "params.days >"}`, 1),
			[]anchor{{10, "states.a.on.go.when"}}},
		{"GuardNotBoolean", strings.Replace(twoStates, "go: b", `go: {to: b, when: "params.days + 1"}`, 1),
			[]anchor{{10, "states.a.on.go.when"}}},
		{"GuardReadsUndeclaredParam", strings.Replace(twoStates, "go: b", `go: {to: b, when: "params.dayz > 1"}`, 1),
			[]anchor{{10, "states.a.on.go.when"}}},
		{"GuardReadsUnknownField", strings.Replace(twoStates, "go: b", `go: {to: b, when: "attended > 1"}`, 1),
			[]anchor{{10, "states.a.on.go.when"}}},
		{"MessageWithoutWhen", strings.Replace(twoStates, "go: b", `go: {to: b, message: 不行}`, 1),
			[]anchor{{10, "states.a.on.go.message"}}},
		{"JoinWithoutTasks", strings.Replace(twoStates, "go: b", "go: {to: b, join: true}", 1),
			[]anchor{{10, "states.a.on.go.join"}}},
		{"HoldUndeclaredParam", strings.Replace(twoStates, "role: village", "role: village\n    hold: {working_days: params.notice_days}", 1),
			[]anchor{{9, "states.a.hold.working_days"}}},
		{"HoldNotWholeDays", strings.Replace(twoStates, "role: village", "role: village\n    hold: {calendar_days: params.days / 2}", 1),
			[]anchor{{9, "states.a.hold.calendar_days"}}},
		{"HoldNotANumber", strings.Replace(twoStates, "role: village", "role: village\n    hold: {working_days: \"'five'\"}", 1),
			[]anchor{{9, "states.a.hold.working_days"}}},
		{"Unreachable", twoStates + `  c:
    title: 丙
    role: village
    on: {go: b}
`, []anchor{{15, "states.c"}}},
		{"DeadEnd", strings.Replace(twoStates, "go: b", "go: c", 1) + `  c:
    title: 丙
    role: village
`, []anchor{{11, "states.b"}, {15, "states.c.on"}}},
		{"CycleWithNoWayOut", strings.Replace(twoStates, "go: b", "go: c", 1) + `  c:
    title: 丙
    role: village
    on: {back: a}
`, []anchor{{6, "states.a"}, {11, "states.b"}, {15, "states.c"}}},
		{"FinalWithTriggersAndNoOutcome", strings.Replace(twoStates, "    outcome: 完成\n", "    on: {again: a}\n", 1),
			[]anchor{{11, "states.b.outcome"}, {14, "states.b.on"}}},
		{"OutcomeOnNonFinalState", strings.Replace(twoStates, "role: village", "role: village\n    outcome: 完成", 1),
			[]anchor{{9, "states.a.outcome"}}},
		{"StartIsFinal", strings.Replace(twoStates, "start: a", "start: b", 1),
			[]anchor{{3, "start"}, {6, "states.a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("t.yaml", []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = d.Compile(testCatalog{})
			if err == nil {
				t.Fatalf("Compile succeeded, want problems at %v", tt.want)
			}
			if got := anchors(t, err); !sameAnchors(got, tt.want) {
				t.Errorf("problems at %v, want %v\n%v", got, tt.want, err)
			}
			if _, err := (&Engine{}).Start(t.Context(), d, User{}, "", at(t, "2026-03-04 09:00")); err == nil {
				t.Error("Engine.Start accepted a definition that failed to compile")
			}
		})
	}
}

func TestCompileValid(t *testing.T) {
	d, err := Parse("t.yaml", []byte(strings.Replace(twoStates, "go: b",
		`go: {to: b, when: "params.days >= 5", message: 天数不足}`+"\n      stay: {to: a, form: none}", 1)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := d.Compile(testCatalog{}); err != nil {
		t.Fatalf("Compile: %v", err)
	}
	if got := d.States["a"].Trigger("stay").Title; got != "转甲" {
		t.Errorf("default title of trigger stay = %q, want 转甲 (from the target state)", got)
	}
	if got := d.States["a"].Trigger("go").guard; got == nil {
		t.Error("guard of trigger go was not compiled")
	}
}

// withForms is a definition whose states use built-in forms, for the
// problems that need them.
const withForms = `id: t
title: 测试
start: a
states:
  a:
    title: 评议
    role: village
    form: deliberation_record
    tasks:
      departments: [education, tax]
      form: department_check
      join: all
    on:
      pass: {to: b, when: "attended*3 >= invited*2", join: true}
      skip: {to: b, form: none}
  b: {title: 完成, final: true, outcome: 完成}
`

func TestCompileProblemsWithForms(t *testing.T) {
	cat := builtinForms(t)
	tests := []struct {
		name     string
		old, new string
		want     []anchor
	}{
		{"UnknownDepartment", "[education, tax]", "[education, police]", []anchor{{10, "states.a.tasks.departments[1]"}}},
		{"DuplicateDepartment", "[education, tax]", "[tax, tax]", []anchor{{10, "states.a.tasks.departments[1]"}}},
		{"UnknownTaskForm", "form: department_check", "form: dept_check", []anchor{{11, "states.a.tasks.form"}}},
		{"JoinCountAboveDepartments", "join: all", "join: 3", []anchor{{12, "states.a.tasks.join"}}},
		{"JoinWord", "join: all", "join: most", []anchor{{12, "states.a.tasks.join"}}},
		{"GuardUnknownField", "attended*3", "attendees*3", []anchor{{14, "states.a.on.pass.when"}}},
		{"GuardMistyped", `"attended*3 >= invited*2"`, `"attended > meeting_type"`, []anchor{{14, "states.a.on.pass.when"}}},
		{"GuardOfTriggerFormOverride", "skip: {to: b, form: none}", `skip: {to: b, form: send_back, when: "attended > 1"}`,
			[]anchor{{15, "states.a.on.skip.when"}}},
		{"GuardWithoutFormSeesParamsOnly", "skip: {to: b, form: none}", `skip: {to: b, form: none, when: "yes > 1"}`,
			[]anchor{{15, "states.a.on.skip.when"}}},
		{"UnknownTriggerForm", "skip: {to: b, form: none}", "skip: {to: b, form: nothing}",
			[]anchor{{15, "states.a.on.skip.form"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(withForms, tt.old, tt.new, 1)
			if src == withForms {
				t.Fatalf("%q not found in the base definition", tt.old)
			}
			d, err := Parse("t.yaml", []byte(src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			err = d.Compile(cat)
			if err == nil {
				t.Fatalf("Compile succeeded, want problems at %v", tt.want)
			}
			if got := anchors(t, err); !sameAnchors(got, tt.want) {
				t.Errorf("problems at %v, want %v\n%v", got, tt.want, err)
			}
		})
	}
	t.Run("BaseIsValid", func(t *testing.T) {
		d, err := Parse("t.yaml", []byte(withForms))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if err := d.Compile(cat); err != nil {
			t.Fatalf("Compile: %v", err)
		}
	})
}

func TestBuiltinDefinitionsCompile(t *testing.T) {
	cat := builtinForms(t)
	for name := range Builtin() {
		t.Run(name, func(t *testing.T) {
			if err := parseBuiltin(t, name).Compile(cat); err != nil {
				t.Errorf("built-in %s does not compile against the built-in forms:\n%v", name, err)
			}
		})
	}
}

// TestBuiltinStepsOutlastTheirDepartments: where a step's role must wait
// for its departments (a join), its own time limit is no shorter than
// theirs; otherwise the role's task falls overdue, and is escalated,
// before it can be done (县级审定 was 5 working days against 10).
func TestBuiltinStepsOutlastTheirDepartments(t *testing.T) {
	for name := range Builtin() {
		d := parseBuiltin(t, name)
		for _, st := range d.States {
			if st.Tasks == nil || st.Tasks.Join == "" || st.Tasks.DueWorkingDays == 0 || st.DueWorkingDays == 0 {
				continue
			}
			if st.DueWorkingDays < st.Tasks.DueWorkingDays {
				t.Errorf("%s: 「%s」 is due in %d working days, its departments in %d",
					name, st.Title, st.DueWorkingDays, st.Tasks.DueWorkingDays)
			}
		}
	}
}

// An undefined target names the state most probably meant.
func TestUnknownTargetSuggestsState(t *testing.T) {
	d, err := Parse("w.yaml", []byte(strings.Replace(twoStates, "go: b", "go: bb", 1)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	err = d.Compile(testCatalog{})
	if err == nil || !strings.Contains(err.Error(), `目标环节 "bb" 未定义；是否应为 b（`) {
		t.Errorf("Compile: %v, want the target with a suggestion of b", err)
	}
}
