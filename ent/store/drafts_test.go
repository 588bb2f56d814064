package store_test

import (
	"testing"

	"jianfu/ent/storetest"
	"jianfu/workflows"
)

// TestDraftsAreTheNewestSubmission checks that a case sent back to
// verification offers, as the draft of the 入户核实表, the newest of the
// forms filled there, not an older one.
func TestDraftsAreTheNewestSubmission(t *testing.T) {
	for _, tdb := range storetest.TestDatabases(t) {
		db := openDB(t, tdb)
		t.Run(tdb.Name, func(t *testing.T) {
			f := newFixture(t, db, seedCounty)
			cadre := cadreOf(taoyuan)
			c := f.moveTo(t, f.newCase(t, taoyuan), "verification")
			h, err := f.svc.Household(f.ctx, f.user(t, cadre), c.HouseholdID)
			if err != nil {
				t.Fatalf("load household %d: %v", c.HouseholdID, err)
			}
			for round, wage := range []int{3000, 4200, 5100} {
				data := verificationData(h)
				data["wage"] = wage
				c = f.fire(t, cadre, c, "confirm", data)
				c = f.fire(t, cadre, c, "pass", deliberationData(10, 8, 6))
				c = f.fire(t, cadre, c, "objection", sendBackData())
				if c.State != "verification" {
					t.Fatalf("round %d: an objection left the case in %s, want verification", round, c.State)
				}
				draft := c.Drafts["household_verification"]
				if draft == nil {
					t.Fatalf("round %d: no draft of household_verification; drafts %v", round, c.Drafts)
				}
				// Money is stored in fen.
				if w, _ := draft["wage"].(float64); int(w) != wage*100 {
					t.Errorf("round %d: draft wage = %v fen, want %d (the newest submission)", round, draft["wage"], wage*100)
				}
			}
		})
	}
}

func (f *fixture) read(t *testing.T, actor string, id int) workflows.Case {
	t.Helper()
	c, err := f.svc.Case(f.ctx, f.user(t, actor), id)
	if err != nil {
		t.Fatalf("read case %d: %v", id, err)
	}
	return c
}
