package roles

import (
	"fmt"
	"testing"
)

// benchCounty is a county of realistic size: 20 townships of 15 villages,
// one cadre per village and township, five county cadres, fifteen liaisons,
// an administrator, and three workflows' rows.
func benchCounty(b *testing.B, cacheSize int) *Enforcer {
	b.Helper()
	var grants []Grant
	for t := 1; t <= 20; t++ {
		grants = append(grants, Grant{Username: fmt.Sprintf("zhen%d", t), Role: Township,
			Locality: fmt.Sprintf("510100%03d000", t)})
		for v := 1; v <= 15; v++ {
			grants = append(grants, Grant{Username: fmt.Sprintf("cun%d_%d", t, v), Role: Village,
				Locality: fmt.Sprintf("510100%03d%03d", t, v)})
		}
	}
	for i := range 5 {
		grants = append(grants, Grant{Username: fmt.Sprintf("xian%d", i), Role: County, Locality: county})
	}
	for i := range 15 {
		grants = append(grants, Grant{Username: fmt.Sprintf("bumen%d", i), Role: Liaison, Locality: county,
			Department: fmt.Sprintf("dept%d", i)})
	}
	grants = append(grants, guanli)
	e, err := newEnforcer(grants, cacheSize)
	if err != nil {
		b.Fatalf("newEnforcer: %v", err)
	}
	for _, wf := range []string{"identification", "elimination", "monitoring"} {
		if err := e.SetWorkflowRules(wf, identificationRules()); err != nil {
			b.Fatalf("SetWorkflowRules: %v", err)
		}
	}
	return e
}

func BenchmarkMayFire(b *testing.B) {
	for _, c := range []struct {
		name      string
		cacheSize int
	}{{"Cached", maxDecisions}, {"Uncached", 0}} {
		e := benchCounty(b, c.cacheSize)
		b.Run("Grant/"+c.name, func(b *testing.B) {
			for b.Loop() {
				if !e.MayFire("zhen7", "identification", "township_review", "approve", "510100007011") {
					b.Fatal("township cadre denied in its own village")
				}
			}
		})
		b.Run("Denial/"+c.name, func(b *testing.B) {
			for b.Loop() {
				if e.MayFire("cun7_11", "identification", "county_decision", "approve", "510100008011") {
					b.Fatal("village cadre allowed a county decision in another township")
				}
			}
		})
	}
}
