package workflows

import (
	"strings"
	"testing"
)

// withA returns twoStates with lines added to state a after its role (they
// start at line 9).
func withA(lines string) string {
	return strings.Replace(twoStates, "role: village", "role: village\n    "+lines, 1)
}

// routed is a definition whose fan-out routes departments by the data that
// enters it; tests vary it.
const routed = `id: routed
title: 派发
start: a
states:
  a:
    title: 甲
    role: village
    form: risk_warning
    on:
      go: b
  b:
    title: 乙
    role: township
    tasks:
      departments: [rural_revitalization]
      route:
        health: "'因病' in risks"
      form: department_check
      join: all
    on:
      done: {to: c, join: true}
      again: {to: b, form: risk_warning}
  c: {title: 丙, final: true, outcome: 完成}
`

func TestCompileConstructProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []anchor
	}{
		{"ThenOnNonFinalState", withA("then: monitoring"), []anchor{{9, "states.a.then"}}},
		{"ThenToItself", strings.Replace(twoStates, "outcome: 完成", "outcome: 完成\n    then: t", 1), []anchor{{15, "states.b.then"}}},
		{"SkipToUnknownState", withA(`skip: {when: "params.days > 1", to: z}`), []anchor{{9, "states.a.skip.to"}}},
		{"SkipToItself", withA(`skip: {when: "params.days > 1", to: a}`), []anchor{{9, "states.a.skip.to"}}},
		{"SkipNotBoolean", withA(`skip: {when: "params.days", to: b}`), []anchor{{9, "states.a.skip.when"}}},
		{"SkipReadsAForm", withA(`skip: {when: "attended > 1", to: b}`), []anchor{{9, "states.a.skip.when"}}},
		{"DueInBothKinds", withA("due_working_days: 3\n    due_calendar_days: 3"), []anchor{{10, "states.a.due_calendar_days"}}},
		{"RecurringUnknownRoleAndForm", withA("recurring: {every: month, role: mayor, form: nosuch}"),
			[]anchor{{9, "states.a.recurring.role"}, {9, "states.a.recurring.form"}}},
		{"ClassifyNotText", strings.Replace(twoStates, "go: b", `go: {to: b, classify: "params.days"}`, 1), []anchor{{10, "states.a.on.go.classify"}}},
		{"GuardComparesMismatchedTypes", strings.Replace(twoStates, "go: b", `go: {to: b, when: "params.days == 'five'"}`, 1), []anchor{{10, "states.a.on.go.when"}}},
		{"GuardReadsUnknownCaseFact", strings.Replace(twoStates, "go: b", `go: {to: b, when: "case.month_in_state > 1"}`, 1), []anchor{{10, "states.a.on.go.when"}}},
		{"RouteUnknownDepartment", strings.Replace(routed, "health:", "hospital:", 1), []anchor{{17, "states.b.tasks.route.hospital"}}},
		{"RouteDuplicatesFixedDepartment", strings.Replace(routed, "health:", "rural_revitalization:", 1), []anchor{{17, "states.b.tasks.route.rural_revitalization"}}},
		{"RouteUnreadableByAnEntry", strings.Replace(routed, "again: {to: b, form: risk_warning}", "again: {to: b, form: explanation}", 1), []anchor{{17, "states.b.tasks.route.health"}}},
		{"RouteOnStartStateReadsAForm", strings.Replace(routed, "start: a", "start: b", 1),
			[]anchor{{5, "states.a"}, {17, "states.b.tasks.route.health"}}},
		{"JoinCountCanNeverComplete", strings.Replace(routed, "join: all", `join: "2"`, 1), []anchor{{19, "states.b.tasks.join"}}},
	}
	cat := builtinForms(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("t.yaml", []byte(tt.src))
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
	t.Run("MismatchedTypesSaidInChinese", func(t *testing.T) {
		d, err := Parse("t.yaml", []byte(strings.Replace(twoStates, "go: b", `go: {to: b, when: "params.days == 'five'"}`, 1)))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if err := d.Compile(cat); err == nil || !strings.Contains(err.Error(), "类型不匹配") {
			t.Errorf("Compile = %v, want a 类型不匹配 problem", err)
		}
	})
	t.Run("RoutedIsValid", func(t *testing.T) {
		d, err := Parse("t.yaml", []byte(routed))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if err := d.Compile(cat); err != nil {
			t.Errorf("Compile: %v", err)
		}
	})
}

func TestParseConstructProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []anchor
	}{
		{"RecurringEveryUnknown", withA("recurring: {every: week, role: village, form: monthly_visit}"), []anchor{{9, "states.a.recurring.every"}}},
		{"SkipWithoutTarget", withA(`skip: {when: "true"}`), []anchor{{9, "states.a.skip.to"}}},
		{"DeadlineInBothKinds", strings.Replace(twoStates, "params: {days: 5}", "params: {days: 5}\ndeadline: {working_days: 3, calendar_days: 5}", 1), []anchor{{5, "deadline"}}},
		{"UnknownDeadlineKey", strings.Replace(twoStates, "params: {days: 5}", "params: {days: 5}\ndeadline: {weeks: 2}", 1), []anchor{{5, "deadline.weeks"}, {5, "deadline"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want problems at %v", tt.want)
			}
			if got := anchors(t, err); !sameAnchors(got, tt.want) {
				t.Errorf("problems at %v, want %v\n%v", got, tt.want, err)
			}
		})
	}
}

// builtinCatalog knows the built-in workflows besides the forms, so that
// then: is checked.
type builtinCatalog struct {
	testCatalog
	workflows map[string]bool
}

func (c builtinCatalog) HasWorkflow(id string) bool { return c.workflows[id] }

func TestThenNamesAKnownWorkflow(t *testing.T) {
	cat := builtinCatalog{testCatalog: builtinForms(t), workflows: map[string]bool{}}
	for name := range Builtin() {
		cat.workflows[parseBuiltin(t, name).ID] = true
	}
	for name := range Builtin() {
		t.Run(name, func(t *testing.T) {
			if err := parseBuiltin(t, name).Compile(cat); err != nil {
				t.Errorf("built-in %s hands over to an unknown workflow:\n%v", name, err)
			}
		})
	}
	t.Run("UnknownWorkflow", func(t *testing.T) {
		d, err := Parse("t.yaml", []byte(strings.Replace(twoStates, "outcome: 完成", "outcome: 完成\n    then: nosuch", 1)))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if got := anchors(t, d.Compile(cat)); !sameAnchors(got, []anchor{{15, "states.b.then"}}) {
			t.Errorf("problems at %v, want states.b.then at line 15", got)
		}
	})
}

func TestUsesHousehold(t *testing.T) {
	cat := builtinForms(t)
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"identification.yaml", false},
		{"monitoring.yaml", true},
		{"risk_elimination.yaml", true},
		{"seven_step.yaml", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := parseBuiltin(t, tt.name)
			if err := d.Compile(cat); err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got := d.UsesHousehold(); got != tt.want {
				t.Errorf("UsesHousehold() = %v, want %v", got, tt.want)
			}
		})
	}
}
