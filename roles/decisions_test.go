package roles

import "testing"

// TestCachedDecisionsKeepQuestionsApart asks a question after another that
// shares its strings has filled the decision cache: the answer must be the
// one an enforcer with an empty cache gives, whichever method asked first.
func TestCachedDecisionsKeepQuestionsApart(t *testing.T) {
	const countyPath = "510100/" // guanli's own domain, as MayAdminister asks it
	tests := []struct {
		name string
		warm func(e *Enforcer) bool // asked first; must be allowed
		ask  func(e *Enforcer) bool
		want bool
	}{
		{"AdministerThenFireOnItsDomain",
			func(e *Enforcer) bool { return e.MayAdminister("guanli") },
			func(e *Enforcer) bool {
				return e.MayFire("guanli", objectDefinitions, "", actionAdminister, countyPath)
			},
			false},
		{"CompleteTaskThenFireCompleteTask",
			func(e *Enforcer) bool {
				return e.MayCompleteTask("gongan", "identification", "county_decision", "public_security", village11)
			},
			func(e *Enforcer) bool {
				return e.MayFire("gongan", "identification", "county_decision", TriggerCompleteTask, village11)
			},
			false},
		{"SeeThenFireElsewhere",
			func(e *Enforcer) bool { return e.MaySee("cun", village11) },
			func(e *Enforcer) bool { return e.MaySee("cun", village12) },
			false},
		{"FireThenSameTriggerInOtherState",
			func(e *Enforcer) bool { return e.MayFire("cun", "identification", "application", "submit", village11) },
			func(e *Enforcer) bool { return e.MayFire("cun", "identification", "verification", "submit", village11) },
			false},
		{"FireThenMalformedLocality",
			func(e *Enforcer) bool { return e.MayFire("cun", "identification", "application", "submit", village11) },
			func(e *Enforcer) bool {
				return e.MayFire("cun", "identification", "application", "submit", "510100/001/001/")
			},
			false},
		{"CompleteTaskThenOtherDepartment",
			func(e *Enforcer) bool {
				return e.MayCompleteTask("gongan", "identification", "county_decision", "public_security", village11)
			},
			func(e *Enforcer) bool {
				return e.MayCompleteTask("gongan", "identification", "county_decision", "civil_affairs", village11)
			},
			false},
		{"FireThenSameQuestion",
			func(e *Enforcer) bool {
				return e.MayFire("zhen", "identification", "township_review", "approve", village12)
			},
			func(e *Enforcer) bool {
				return e.MayFire("zhen", "identification", "township_review", "approve", village12)
			},
			true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if fresh := tt.ask(newFixture(t, cun, zhen, gongan, guanli)); fresh != tt.want {
				t.Fatalf("with an empty cache: %v, want %v", fresh, tt.want)
			}
			e := newFixture(t, cun, zhen, gongan, guanli)
			if !tt.warm(e) {
				t.Fatal("the warming question was denied; want allowed")
			}
			for i := range 2 { // the second answer comes from the cache
				if got := tt.ask(e); got != tt.want {
					t.Errorf("ask #%d after warming: %v, want %v", i+1, got, tt.want)
				}
			}
		})
	}
}

// FuzzCachedDecisionsMatchCasbin asks the same questions of an enforcer
// whose cache fills up across inputs and of one without a cache: any
// difference is a cached answer given to the wrong question.
func FuzzCachedDecisionsMatchCasbin(f *testing.F) {
	grants := []Grant{cun, zhen, xian, gongan, guanli, sheng}
	cached := newFixture(f, grants...)
	uncached, err := newEnforcer(grants, 0)
	if err != nil {
		f.Fatalf("newEnforcer: %v", err)
	}
	if err := uncached.SetWorkflowRules("identification", identificationRules()); err != nil {
		f.Fatalf("SetWorkflowRules: %v", err)
	}
	f.Add(uint8(0), "cun", "identification", "application", "submit", village11)
	f.Add(uint8(0), "guanli", objectDefinitions, "", actionAdminister, "510100/")
	f.Add(uint8(1), "gongan", "identification", "county_decision", "public_security", village12)
	f.Add(uint8(2), "zhen", "", "", "", village12)
	f.Add(uint8(3), "sheng", "", "", "", "")
	f.Fuzz(func(t *testing.T, kind uint8, user, workflow, state, what, locality string) {
		ask := func(e *Enforcer) bool {
			switch kind % 4 {
			case 0:
				return e.MayFire(user, workflow, state, what, locality)
			case 1:
				return e.MayCompleteTask(user, workflow, state, what, locality)
			case 2:
				return e.MaySee(user, locality)
			default:
				return e.MayAdminister(user)
			}
		}
		want := ask(uncached)
		for i := range 2 {
			if got := ask(cached); got != want {
				t.Fatalf("question %d %q %q %q %q %q, ask #%d: cached %v, uncached %v",
					kind%4, user, workflow, state, what, locality, i+1, got, want)
			}
		}
	})
}

// TestDecisionsSharingAHash stores the answer to one question under the hash
// of another, as when the two hash alike: the other must not be answered
// from it, and its own answer then takes the entry.
func TestDecisionsSharingAHash(t *testing.T) {
	d := newDecisions(maxDecisions)
	asked := question{kind: askFire, sub: "cun", where: village11, workflow: "identification", state: "application", act: "submit"}
	kept := asked
	kept.act = "reject"
	d.m[d.key(&asked)] = decision{q: kept, allowed: true}
	if allowed, ok := d.get(asked); ok {
		t.Fatalf("get(asked) = %v from the entry of another question, want no answer", allowed)
	}
	d.put(asked, false)
	if allowed, ok := d.get(asked); !ok || allowed {
		t.Errorf("get(asked) after put(false) = %v, %v; want false, true", allowed, ok)
	}
}
