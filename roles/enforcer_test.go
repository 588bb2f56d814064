package roles

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestSetGrant(t *testing.T) {
	t.Run("MovedCadreLosesOldVillage", func(t *testing.T) {
		e := newFixture(t, cun)
		if !e.MayFire("cun", "identification", "application", "submit", village11) {
			t.Fatal("before the move: cun may not submit in village11; want allowed")
		}
		moved := cun
		moved.Locality = village21
		if err := e.SetGrant(moved); err != nil {
			t.Fatalf("SetGrant: %v", err)
		}
		if e.MayFire("cun", "identification", "application", "submit", village11) {
			t.Error("after the move: cun may still submit in village11 (stale grant or cached decision); want denied")
		}
		if !e.MayFire("cun", "identification", "application", "submit", village21) {
			t.Error("after the move: cun may not submit in village21; want allowed")
		}
	})
	t.Run("PromotedCadreChangesRole", func(t *testing.T) {
		e := newFixture(t, cun)
		if err := e.SetGrant(Grant{Username: "cun", Role: Township, Locality: township1}); err != nil {
			t.Fatalf("SetGrant: %v", err)
		}
		if e.MayFire("cun", "identification", "application", "submit", village11) {
			t.Error("promoted to township: cun still acts as a village cadre; want denied")
		}
		if !e.MayFire("cun", "identification", "township_review", "approve", village12) {
			t.Error("promoted to township: cun may not approve in village12; want allowed")
		}
	})
	t.Run("LiaisonChangesDepartment", func(t *testing.T) {
		e := newFixture(t, gongan)
		changed := gongan
		changed.Department = "civil_affairs"
		if err := e.SetGrant(changed); err != nil {
			t.Fatalf("SetGrant: %v", err)
		}
		if e.MayCompleteTask("gongan", "identification", "county_decision", "public_security", village11) {
			t.Error("after the change: old department's task allowed; want denied")
		}
		if !e.MayCompleteTask("gongan", "identification", "county_decision", "civil_affairs", village11) {
			t.Error("after the change: new department's task denied; want allowed")
		}
	})
	t.Run("LiaisonBecomesCountyCadre", func(t *testing.T) {
		e := newFixture(t, gongan)
		if err := e.SetGrant(Grant{Username: "gongan", Role: County, Locality: county}); err != nil {
			t.Fatalf("SetGrant: %v", err)
		}
		if rows := rowsOf(e.Policy(), "g2"); len(rows) != 0 {
			t.Errorf("department rows left after leaving the liaison role: %v", rows)
		}
	})
	t.Run("RemovedGrantAllowsNothing", func(t *testing.T) {
		e := newFixture(t, guanli)
		if err := e.RemoveGrant("guanli"); err != nil {
			t.Fatalf("RemoveGrant: %v", err)
		}
		if e.MayAdminister("guanli") || e.MaySee("guanli", village11) {
			t.Error("after RemoveGrant: guanli still administers or sees; want nothing")
		}
	})
	t.Run("InvalidGrantKeepsTheOldOne", func(t *testing.T) {
		e := newFixture(t, cun)
		err := e.SetGrant(Grant{Username: "cun", Role: Village, Locality: county})
		var invalid *InvalidError
		if !errors.As(err, &invalid) {
			t.Fatalf("SetGrant of a village cadre on a county = %v; want an *InvalidError", err)
		}
		if !e.MaySee("cun", village11) {
			t.Error("a refused grant removed the old one; want the old grant kept")
		}
	})
}

func TestGrantValidation(t *testing.T) {
	tests := []struct {
		name  string
		grant Grant
	}{
		{"EmptyUsername", Grant{Role: Village, Locality: village11}},
		{"PaddedUsername", Grant{Username: " cun", Role: Village, Locality: village11}},
		{"UnknownRole", Grant{Username: "a", Role: "mayor", Locality: county}},
		{"MalformedLocality", Grant{Username: "a", Role: County, Locality: "510100"}},
		{"VillageRoleOnTownship", Grant{Username: "a", Role: Village, Locality: township1}},
		{"TownshipRoleOnVillage", Grant{Username: "a", Role: Township, Locality: village11}},
		{"CountyRoleOnProvince", Grant{Username: "a", Role: County, Locality: province}},
		{"LiaisonOnTownship", Grant{Username: "a", Role: Liaison, Locality: township1, Department: "tax"}},
		{"LiaisonWithoutDepartment", Grant{Username: "a", Role: Liaison, Locality: county}},
		{"LiaisonWithMalformedDepartment", Grant{Username: "a", Role: Liaison, Locality: county, Department: "tax,*"}},
		{"DepartmentForNonLiaison", Grant{Username: "a", Role: County, Locality: county, Department: "tax"}},
		{"AdminOnVillage", Grant{Username: "a", Role: Admin, Locality: village11}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var invalid *InvalidError
			if _, err := New([]Grant{tt.grant}); !errors.As(err, &invalid) {
				t.Errorf("New(%+v) error = %v; want an *InvalidError", tt.grant, err)
			}
			e := newFixture(t)
			if err := e.SetGrant(tt.grant); !errors.As(err, &invalid) {
				t.Errorf("SetGrant(%+v) error = %v; want an *InvalidError", tt.grant, err)
			}
		})
	}
	t.Run("UserGrantedTwice", func(t *testing.T) {
		var invalid *InvalidError
		if _, err := New([]Grant{cun, {Username: "cun", Role: Village, Locality: village12}}); !errors.As(err, &invalid) {
			t.Errorf("New with cun twice: error = %v; want an *InvalidError", err)
		}
	})
}

func TestSetWorkflowRules(t *testing.T) {
	t.Run("NewVersionReplacesRows", func(t *testing.T) {
		e := newFixture(t, cun, xian)
		// Version 2 drops the county's reject and adds a filing step.
		v2 := []Rule{
			{Village, "", TriggerStart},
			{County, "county_decision", "approve"},
			{County, "filing", "file"},
		}
		if err := e.SetWorkflowRules("identification", v2); err != nil {
			t.Fatalf("SetWorkflowRules: %v", err)
		}
		checks := []struct {
			name  string
			user  string
			state string
			trig  string
			want  bool
		}{
			{"DroppedTriggerDenied", "xian", "county_decision", "reject", false},
			{"DroppedStateDenied", "cun", "application", "submit", false},
			{"KeptTriggerAllowed", "xian", "county_decision", "approve", true},
			{"AddedStateAllowed", "xian", "filing", "file", true},
		}
		for _, c := range checks {
			if got := e.MayFire(c.user, "identification", c.state, c.trig, village11); got != c.want {
				t.Errorf("%s: MayFire(%s, %s, %s) = %v; want %v", c.name, c.user, c.state, c.trig, got, c.want)
			}
		}
	})
	t.Run("OtherWorkflowsUntouched", func(t *testing.T) {
		e := newFixture(t, cun)
		if err := e.SetWorkflowRules("elimination", []Rule{{Village, "", TriggerStart}}); err != nil {
			t.Fatalf("SetWorkflowRules: %v", err)
		}
		if err := e.SetWorkflowRules("elimination", nil); err != nil {
			t.Fatalf("withdraw elimination: %v", err)
		}
		if e.MayFire("cun", "elimination", "", TriggerStart, village11) {
			t.Error("withdrawn workflow may still be started; want denied")
		}
		if !e.MayFire("cun", "identification", "", TriggerStart, village11) {
			t.Error("withdrawing elimination removed identification's rows; want them kept")
		}
	})
	t.Run("EmbeddedRowsSurvive", func(t *testing.T) {
		e := newFixture(t, guanli)
		before := rowsOf(e.Policy(), "p")
		if err := e.SetWorkflowRules("identification", nil); err != nil {
			t.Fatalf("SetWorkflowRules: %v", err)
		}
		after := rowsOf(e.Policy(), "p")
		if want := len(before) - len(identificationRules()); len(after) != want {
			t.Errorf("after withdrawing identification: %d p rows; want %d (the embedded ones): %v", len(after), want, after)
		}
		if !e.MayAdminister("guanli") {
			t.Error("withdrawing a workflow removed the embedded admin row")
		}
	})
	t.Run("DuplicateRulesCollapse", func(t *testing.T) {
		e := newFixture(t)
		rules := append(identificationRules(), identificationRules()...)
		if err := e.SetWorkflowRules("identification", rules); err != nil {
			t.Fatalf("SetWorkflowRules with duplicates: %v", err)
		}
		if err := e.SetWorkflowRules("identification", nil); err != nil {
			t.Fatalf("withdraw: %v", err)
		}
		for _, row := range rowsOf(e.Policy(), "p") {
			if strings.HasPrefix(row[2], "identification") {
				t.Errorf("row %v left after withdrawing a workflow set with duplicate rules", row)
			}
		}
	})
}

func TestRuleValidation(t *testing.T) {
	tests := []struct {
		name     string
		workflow string
		rule     Rule
	}{
		{"UnknownRole", "identification", Rule{"mayor", "county_decision", "approve"}},
		{"LiaisonFiresTrigger", "identification", Rule{Liaison, "county_decision", "approve"}},
		{"LiaisonStartsCase", "identification", Rule{Liaison, "", TriggerStart}},
		{"CountyCompletesTask", "identification", Rule{County, "county_decision", TriggerCompleteTask}},
		{"TriggerWithoutState", "identification", Rule{County, "", "approve"}},
		{"WildcardState", "identification", Rule{County, "*", "approve"}},
		{"SlashInState", "identification", Rule{County, "a/b", "approve"}},
		{"EmptyTrigger", "identification", Rule{County, "county_decision", ""}},
		{"SlashInWorkflow", "identification/x", Rule{County, "county_decision", "approve"}},
		{"EmptyWorkflow", "", Rule{County, "county_decision", "approve"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newFixture(t, xian)
			before := e.Policy()
			rules := []Rule{{County, "filing", "file"}, tt.rule}
			var invalid *InvalidError
			if err := e.SetWorkflowRules(tt.workflow, rules); !errors.As(err, &invalid) {
				t.Fatalf("SetWorkflowRules(%q, %+v) error = %v; want an *InvalidError", tt.workflow, tt.rule, err)
			}
			if after := e.Policy(); !slices.EqualFunc(before, after, slices.Equal) {
				t.Errorf("a refused rule set changed the policy:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	e := newFixture(t, cun, gongan)
	got := e.Policy()
	for _, want := range [][]string{
		{"p", "admin", "definitions", "administer"},
		{"p", "village", "households", "view"},
		{"p", "county", "identification/county_decision", "approve"},
		{"p", "village", "identification", "start"},
		{"p", "liaison", "identification/county_decision", "complete_task"},
		{"g", "cun", "village", "510100/001/001/*"},
		{"g", "gongan", "liaison", "510100/*"},
		{"g2", "gongan", "public_security"},
	} {
		if !slices.ContainsFunc(got, func(r []string) bool { return slices.Equal(r, want) }) {
			t.Errorf("Policy() lacks %v; got %v", want, got)
		}
	}
	if !slices.IsSortedFunc(got, slices.Compare) {
		t.Errorf("Policy() is not sorted: %v", got)
	}
	t.Run("AdapterKeptInStep", func(t *testing.T) {
		if err := e.SetGrant(Grant{Username: "cun", Role: Village, Locality: village12}); err != nil {
			t.Fatalf("SetGrant: %v", err)
		}
		if err := e.SetWorkflowRules("identification", identificationRules()[:3]); err != nil {
			t.Fatalf("SetWorkflowRules: %v", err)
		}
		stored := slices.Clone(e.casbin.GetAdapter().(*memoryAdapter).rows)
		slices.SortFunc(stored, slices.Compare)
		if held := e.Policy(); !slices.EqualFunc(stored, held, slices.Equal) {
			t.Errorf("adapter rows differ from the enforcer's:\nadapter  %v\nenforcer %v", stored, held)
		}
	})
}

func TestEmbeddedPolicyIsChecked(t *testing.T) {
	tests := []struct{ name, text string }{
		{"GroupingRow", "g, alice, county, 510100/*\n"},
		{"UnknownRole", "p, mayor, households, view\n"},
		{"MissingAction", "p, county, households\n"},
		{"EmptyObject", "p, county, , view\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var invalid *InvalidError
			if _, err := parsePolicy("# comment\n" + tt.text); !errors.As(err, &invalid) || !strings.Contains(err.Error(), "第 2 行") {
				t.Errorf("parsePolicy(%q) error = %v; want an *InvalidError naming line 2", tt.text, err)
			}
		})
	}
}

func rowsOf(policy [][]string, ptype string) [][]string {
	var out [][]string
	for _, r := range policy {
		if r[0] == ptype {
			out = append(out, r)
		}
	}
	return out
}

// FuzzParsePolicy feeds arbitrary text to the policy reader, which will
// later read rows an administrator edits: it must not panic, and every row
// it accepts must be a well-formed "p, role, object, action".
func FuzzParsePolicy(f *testing.F) {
	f.Add(policyText)
	f.Add("p, county, identification/county_decision, approve\n")
	f.Add("p, \"county\", \"a,b\", view\n# c\n\np,admin,definitions,administer")
	f.Add("g, alice, county, 510100/*\n")
	f.Add("p, county, \"unterminated\n")
	f.Fuzz(func(t *testing.T, text string) {
		rows, err := parsePolicy(text)
		if err != nil {
			return
		}
		for _, r := range rows {
			if len(r) != 4 || r[0] != "p" || !knownRole(r[1]) || r[2] == "" || r[3] == "" {
				t.Fatalf("parsePolicy(%q) accepted row %q", text, r)
			}
		}
	})
}
