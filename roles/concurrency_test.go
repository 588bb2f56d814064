package roles

import (
	"sync"
	"testing"
)

// TestConcurrentDecisionsDuringGrantChanges runs askers against a writer
// that keeps moving one cadre between two villages until the askers are
// done. Users whose grants do not change must get the same answers
// throughout, and once the writer stops the moved cadre's answers must
// match the last grant: a decision cached from an older policy shows here.
func TestConcurrentDecisionsDuringGrantChanges(t *testing.T) {
	e := newFixture(t, cun, zhen, xian, gongan)
	mover := Grant{Username: "mover", Role: Village, Locality: village11}
	if err := e.SetGrant(mover); err != nil {
		t.Fatalf("SetGrant: %v", err)
	}
	const askers, asks = 8, 500
	stable := []struct {
		user, state, trigger, locality string
		want                           bool
	}{
		{"cun", "application", "submit", village11, true},
		{"cun", "application", "submit", village12, false},
		{"zhen", "township_review", "approve", village12, true},
		{"xian", "county_decision", "approve", village21, true},
		{"gongan", "county_decision", "approve", village11, false},
	}
	var askersDone, writerDone sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan string, askers+1)
	for i := range askers {
		askersDone.Go(func() {
			for n := range asks {
				s := stable[(i+n)%len(stable)]
				if got := e.MayFire(s.user, "identification", s.state, s.trigger, s.locality); got != s.want {
					errs <- s.user + " " + s.state + "/" + s.trigger + " at " + s.locality + " flipped during grant changes"
					return
				}
				// The mover's answers may be either; asking fills the
				// cache that every move must empty.
				e.MayFire("mover", "identification", "application", "submit", village11)
				e.MaySee("mover", village12)
			}
		})
	}
	last := mover
	writerDone.Go(func() {
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			m := mover
			if n%2 == 0 {
				m.Locality = village12
			}
			if err := e.SetGrant(m); err != nil {
				errs <- "SetGrant: " + err.Error()
				return
			}
			last = m
		}
	})
	askersDone.Wait()
	close(stop)
	writerDone.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	inVillage11 := last.Locality == village11
	if e.MayFire("mover", "identification", "application", "submit", village11) != inVillage11 ||
		e.MaySee("mover", village12) == inVillage11 {
		t.Errorf("after the last move to %s: answers reflect the other village (stale decision)", last.Locality)
	}
}
