package roles

import (
	"errors"
	"testing"
)

func TestMayImportList(t *testing.T) {
	e := newFixture(t, cun, xian, gongan, minzheng)
	if err := e.SetWorkflowRules("department_warning", []Rule{
		{Village, "", TriggerStart},
		{Liaison, "", TriggerImportList},
		{Village, "verify", "include"},
	}); err != nil {
		t.Fatalf("SetWorkflowRules: %v", err)
	}
	tests := []struct {
		name                           string
		user, workflow, dept, locality string
		want                           bool
	}{
		{"liaison of the list's department in their county", "gongan", "department_warning", "public_security", village21, true},
		{"another department's list", "gongan", "department_warning", "civil_affairs", village11, false},
		{"outside their county", "gongan", "department_warning", "public_security", otherVillage, false},
		{"liaison of another county", "minzheng", "department_warning", "civil_affairs", village11, false},
		{"a workflow that takes no lists", "gongan", "identification", "public_security", village11, false},
		{"county cadre", "xian", "department_warning", "public_security", village11, false},
		{"village cadre", "cun", "department_warning", "public_security", village11, false},
		{"no department", "gongan", "department_warning", "", village11, false},
		{"malformed locality", "gongan", "department_warning", "public_security", "5101", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := e.MayImportList(tt.user, tt.workflow, tt.dept, tt.locality); got != tt.want {
				t.Errorf("MayImportList(%s, %s, %s, %s) = %v; want %v", tt.user, tt.workflow, tt.dept, tt.locality, got, tt.want)
			}
		})
	}
	if e.MayFire("gongan", "department_warning", "", TriggerImportList, village11) {
		t.Error("MayFire answered the import_list action; want it asked only through MayImportList")
	}
}

func TestImportListRuleShape(t *testing.T) {
	e := newFixture(t)
	for _, r := range []Rule{{Village, "", TriggerImportList}, {Liaison, "verify", TriggerImportList}} {
		err := e.SetWorkflowRules("department_warning", []Rule{r})
		var invalid *InvalidError
		if !errors.As(err, &invalid) {
			t.Errorf("SetWorkflowRules(%v) = %v; want an *InvalidError", r, err)
		}
	}
}
