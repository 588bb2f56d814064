package workflows

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"jianfu/forms"
)

// guarded is a workflow whose one trigger is guarded by the expression
// put in for WHEN, over the deliberation record, params, household and
// case, so that each may be left out of the guard's environment.
const guarded = `id: guarded
title: 条件
start: a
params: {least: 5}
states:
  a:
    title: 评议
    role: village
    form: deliberation_record
    on:
      go: {to: b, title: 通过, when: "WHEN"}
  b: {title: 结束, final: true, outcome: 完成}
`

// TestGuardSeesWhatItReads fires guards that read each part of their
// environment, the whole of it through $env among them: an action builds
// only the names a guard reads, and must build every one of them.
func TestGuardSeesWhatItReads(t *testing.T) {
	entered := at(t, "2026-09-01 09:00")
	now := entered.Add(3 * 24 * time.Hour)
	tests := []struct {
		name, when string
		pass       bool
	}{
		{"Fields", "attended*3 >= invited*2 && yes*2 > attended", true},
		{"FieldsRefuse", "yes > attended", false},
		{"Params", "attended >= params.least", true},
		{"Household", "household.no_labour == true", true},
		{"Case", "case.days_in_state == 3 && case.classification == '黄'", true},
		{"WholeEnvironment", "$env.attended == 8 && $env.params.least == 5 && $env.case.days_in_state == 3", true},
		{"WholeEnvironmentRefuses", "$env.household.no_labour == false", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := builtinForms(t)
			d, err := Parse("guarded.yaml", []byte(strings.Replace(guarded, "WHEN", tt.when, 1)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := d.Compile(cat); err != nil {
				t.Fatalf("Compile: %v", err)
			}
			e := &Engine{Auth: newFakeAuth(d), Forms: formSource(cat), Calendar: BuiltinCalendar()}
			s := Snapshot{Definition: d, State: "a", EnteredAt: entered, Locality: household,
				Household: map[string]any{"no_labour": true}, Classification: "黄"}
			tr, err := e.Fire(t.Context(), s, User{Username: "cun"}, "go", deliberationData(10, 8, 6), now)
			if tt.pass {
				wantTransition(t, tr, err, "a", "go", "b", "deliberation_record")
				return
			}
			wantError(t, err, Invalid, "不满足「通过」的办理条件")
		})
	}
}

// TestEnvHoldsWhatIsRead checks the names an expression environment
// gets besides a form's fields.
func TestEnvHoldsWhatIsRead(t *testing.T) {
	s := Snapshot{EnteredAt: at(t, "2026-09-01 09:00")}
	sc, params := s.scope(at(t, "2026-09-04 09:00")), forms.Params{"least": 5}
	tests := []struct {
		name  string
		names []string
		want  []string
	}{
		{"None", nil, []string{}},
		{"Params", []string{"params", "x"}, []string{"params"}},
		{"CaseAndHousehold", []string{"case", "household"}, []string{"case", "household"}},
		{"Everything", []string{everyName}, []string{"case", "household", "params"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]any{}
			sc.envInto(env, params, nil, forms.Values{}, tt.names)
			got := slices.Sorted(maps.Keys(env))
			if !slices.Equal(got, tt.want) {
				t.Errorf("envInto(%v) has %v, want %v", tt.names, got, tt.want)
			}
		})
	}
}

// TestCompileFindsWhatTriggersRead checks the names Compile records for a
// trigger's guard: exactly what its expression reads, each once.
func TestCompileFindsWhatTriggersRead(t *testing.T) {
	tests := []struct {
		when string
		want []string
	}{
		{"true", []string{}},
		{"attended*3 >= invited*2 && yes*2 > attended", []string{"attended", "invited", "yes"}},
		{"attended >= params.least", []string{"attended", "params"}},
		{"household.no_labour && case.days_in_state > 1", []string{"case", "household"}},
		{"$env.attended == 8", []string{everyName}},
	}
	cat := builtinForms(t)
	for _, tt := range tests {
		t.Run(tt.when, func(t *testing.T) {
			d, err := Parse("guarded.yaml", []byte(strings.Replace(guarded, "WHEN", tt.when, 1)))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := d.Compile(cat); err != nil {
				t.Fatalf("Compile: %v", err)
			}
			got := d.States["a"].Trigger("go").reads
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("reads of when %q = %v, want %v", tt.when, got, tt.want)
			}
		})
	}
}
