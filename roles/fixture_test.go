package roles

import "testing"

// The fixture: county 510100 with townships 001 (villages 001, 002) and 002
// (village 001); a neighbouring county 510104; and identification rules as
// the five-step workflow generates them.
const (
	county       = "510100000000"
	township1    = "510100001000"
	village11    = "510100001001"
	village12    = "510100001002"
	township2    = "510100002000"
	village21    = "510100002001"
	otherCounty  = "510104000000"
	otherVillage = "510104001001"
	province     = "510000000000"
)

var (
	cun      = Grant{Username: "cun", Role: Village, Locality: village11}
	zhen     = Grant{Username: "zhen", Role: Township, Locality: township1}
	xian     = Grant{Username: "xian", Role: County, Locality: county}
	gongan   = Grant{Username: "gongan", Role: Liaison, Locality: county, Department: "public_security"}
	minzheng = Grant{Username: "minzheng", Role: Liaison, Locality: otherCounty, Department: "civil_affairs"}
	guanli   = Grant{Username: "guanli", Role: Admin, Locality: county}
	sheng    = Grant{Username: "sheng", Role: Admin, Locality: province}
	nobody   = Grant{Username: "nobody"}
)

func identificationRules() []Rule {
	return []Rule{
		{Village, "", TriggerStart},
		{Village, "application", "submit"},
		{Village, "verification", "confirm"},
		{Village, "verification", "reject"},
		{Township, "township_review", "approve"},
		{Township, "township_review", "return"},
		{Liaison, "township_review", TriggerCompleteTask},
		{County, "county_decision", "approve"},
		{County, "county_decision", "reject"},
		{Liaison, "county_decision", TriggerCompleteTask},
	}
}

// newFixture builds an enforcer with grants and the identification rules.
func newFixture(t testing.TB, grants ...Grant) *Enforcer {
	t.Helper()
	e, err := New(grants)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := e.SetWorkflowRules("identification", identificationRules()); err != nil {
		t.Fatalf("SetWorkflowRules: %v", err)
	}
	return e
}
