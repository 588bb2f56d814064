package store_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"jianfu/ent/storetest"
	"jianfu/workflows"
)

// TestFireReturnsTheCaseAsRead checks that the case Fire returns, built from
// what its transaction wrote, is the case Case reads back afterwards: same
// state, version, tasks, actions, drafts and history, as the API would
// serialize them.
func TestFireReturnsTheCaseAsRead(t *testing.T) {
	for _, tdb := range storetest.TestDatabases(t) {
		db := openDB(t, tdb)
		t.Run(tdb.Name, func(t *testing.T) {
			f := newFixture(t, db, seedCounty)
			c := f.newCase(t, taoyuan)
			// Each step leaves the case where Fire's answer has another
			// shape: a role task only, a department fan-out, a final
			// state. by is who fires into the state: Fire answers them.
			for _, step := range []struct{ to, by string }{
				{"verification", cadreOf(taoyuan)}, {"deliberation", cadreOf(taoyuan)},
				{"notice", cadreOf(taoyuan)}, {"township_review", cadreOf(taoyuan)},
				{"county_decision", townshipOf(taoyuan)}, {"included", "county1"},
			} {
				t.Run("Into_"+step.to, func(t *testing.T) {
					c = f.moveTo(t, c, step.to)
					read, err := f.svc.Case(f.ctx, f.user(t, step.by), c.ID)
					if err != nil {
						t.Fatalf("read case %d back: %v", c.ID, err)
					}
					if d := lineDiff(apiJSON(t, c), apiJSON(t, read)); d != "" {
						t.Errorf("Fire returned a case other than the one read back (-fired +read):\n%s", d)
					}
				})
			}
		})
	}
}

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
				for _, got := range []workflows.Case{c, f.read(t, cadre, c.ID)} {
					draft := got.Drafts["household_verification"]
					if draft == nil {
						t.Fatalf("round %d: no draft of household_verification; drafts %v", round, got.Drafts)
					}
					// Money is stored in fen.
					if w, _ := draft["wage"].(float64); int(w) != wage*100 {
						t.Errorf("round %d: draft wage = %v fen, want %d (the newest submission)", round, draft["wage"], wage*100)
					}
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

// apiJSON is v as the JSON API writes it, times in UTC, so that a location
// or a monotonic reading does not count as a difference.
func apiJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	return string(raw)
}

// lineDiff lists the lines where got and want differ, "" when they are
// equal.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d:\n-%s\n+%s\n", i+1, gl, wl)
		}
	}
	return b.String()
}
