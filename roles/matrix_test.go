package roles

import (
	"fmt"
	"testing"
)

// ask is one question put to the Enforcer.
type ask struct {
	what                                           string // fire, task, see, administer
	workflow, state, trigger, department, locality string
}

func fire(state, trigger, locality string) ask {
	return ask{what: "fire", workflow: "identification", state: state, trigger: trigger, locality: locality}
}

func task(state, department, locality string) ask {
	return ask{what: "task", workflow: "identification", state: state, department: department, locality: locality}
}

func see(locality string) ask { return ask{what: "see", locality: locality} }

func administer() ask { return ask{what: "administer"} }

func (a ask) of(e *Enforcer, user string) bool {
	switch a.what {
	case "fire":
		return e.MayFire(user, a.workflow, a.state, a.trigger, a.locality)
	case "task":
		return e.MayCompleteTask(user, a.workflow, a.state, a.department, a.locality)
	case "see":
		return e.MaySee(user, a.locality)
	case "administer":
		return e.MayAdminister(user)
	}
	panic("unknown question " + a.what)
}

func (a ask) String() string {
	return fmt.Sprintf("%s(%s/%s %s%s @%s)", a.what, a.workflow, a.state, a.trigger, a.department, a.locality)
}

func TestPermissionMatrix(t *testing.T) {
	tests := []struct {
		name string
		user Grant
		ask  ask
		want bool
	}{
		{"VillageStartsInOwnVillage", cun, fire("", TriggerStart, village11), true},
		{"VillageSubmitsInOwnVillage", cun, fire("application", "submit", village11), true},
		{"VillageNotInNeighbouringVillage", cun, fire("application", "submit", village12), false},
		{"VillageNotInOtherTownship", cun, fire("application", "submit", village21), false},
		{"VillageNotInOtherCounty", cun, fire("application", "submit", otherVillage), false},
		{"VillageNotAtTownshipStep", cun, fire("township_review", "approve", village11), false},
		{"VillageNotAtCountyStep", cun, fire("county_decision", "approve", village11), false},
		{"VillageSeesOwnVillage", cun, see(village11), true},
		{"VillageDoesNotSeeNeighbour", cun, see(village12), false},
		{"VillageDoesNotSeeItsTownship", cun, see(township1), false},
		{"VillageDoesNotAdminister", cun, administer(), false},

		{"TownshipApprovesItsVillage", zhen, fire("township_review", "approve", village11), true},
		{"TownshipApprovesItsOtherVillage", zhen, fire("township_review", "return", village12), true},
		{"TownshipNotInOtherTownship", zhen, fire("township_review", "approve", village21), false},
		{"TownshipNotAtVillageStep", zhen, fire("application", "submit", village11), false},
		{"TownshipDoesNotStartCases", zhen, fire("", TriggerStart, village11), false},
		{"TownshipNotAtCountyStep", zhen, fire("county_decision", "approve", village11), false},
		{"TownshipSeesItself", zhen, see(township1), true},
		{"TownshipSeesItsVillages", zhen, see(village12), true},
		{"TownshipDoesNotSeeOtherTownship", zhen, see(village21), false},
		{"TownshipDoesNotSeeCounty", zhen, see(county), false},

		{"CountyDecidesInWholeCounty", xian, fire("county_decision", "approve", village21), true},
		{"CountyRejectsInWholeCounty", xian, fire("county_decision", "reject", village11), true},
		{"CountyNotInOtherCounty", xian, fire("county_decision", "approve", otherVillage), false},
		{"CountyNotAtTownshipStep", xian, fire("township_review", "approve", village11), false},
		{"CountyUnknownTrigger", xian, fire("county_decision", "publish", village11), false},
		{"CountyUnknownWorkflow", xian, ask{what: "fire", workflow: "exit", state: "county_decision", trigger: "approve", locality: village11}, false},
		{"CountySeesCounty", xian, see(county), true},
		{"CountyDoesNotSeeOtherCounty", xian, see(otherVillage), false},
		{"CountyDoesNotCompleteTasks", xian, task("county_decision", "public_security", village11), false},

		{"LiaisonCompletesOwnDepartment", gongan, task("county_decision", "public_security", village21), true},
		{"LiaisonCompletesAtTownshipReview", gongan, task("township_review", "public_security", village11), true},
		{"LiaisonNotOtherDepartment", gongan, task("county_decision", "civil_affairs", village11), false},
		{"LiaisonNotOtherCounty", gongan, task("county_decision", "public_security", otherVillage), false},
		{"LiaisonNotInStateWithoutTasks", gongan, task("verification", "public_security", village11), false},
		{"LiaisonOfOtherCountyNotHere", minzheng, task("county_decision", "civil_affairs", village11), false},
		{"LiaisonOfOtherCountyAtHome", minzheng, task("county_decision", "civil_affairs", otherVillage), true},
		{"LiaisonNeverFires", gongan, fire("county_decision", "approve", village11), false},
		{"LiaisonNeverStarts", gongan, fire("", TriggerStart, village11), false},
		{"LiaisonCannotFireCompleteTask", gongan, fire("county_decision", TriggerCompleteTask, village11), false},
		{"LiaisonSeesCounty", gongan, see(village12), true},
		{"LiaisonDoesNotSeeOtherCounty", gongan, see(otherVillage), false},
		{"LiaisonDoesNotAdminister", gongan, administer(), false},

		{"AdminAdministers", guanli, administer(), true},
		{"AdminSeesCounty", guanli, see(village21), true},
		{"AdminDoesNotSeeOtherCounty", guanli, see(otherVillage), false},
		{"AdminDoesNotFire", guanli, fire("county_decision", "approve", village11), false},
		{"AdminDoesNotStart", guanli, fire("", TriggerStart, village11), false},
		{"ProvinceAdminAdministers", sheng, administer(), true},
		{"ProvinceAdminSeesEveryCounty", sheng, see(otherVillage), true},
		{"ProvinceAdminSeesProvince", sheng, see(province), true},
		{"CountyAdminDoesNotSeeProvince", guanli, see(province), false},

		{"UnknownUserDoesNotFire", nobody, fire("", TriggerStart, village11), false},
		{"UnknownUserDoesNotSee", nobody, see(village11), false},
		{"UnknownUserDoesNotAdminister", nobody, administer(), false},
		{"EmptyUsernameDoesNotSee", Grant{}, see(village11), false},

		{"MalformedLocalityRefused", xian, fire("county_decision", "approve", "5101"), false},
		{"WildcardStateRefused", xian, fire("*", "approve", village11), false},
		{"SlashInWorkflowRefused", cun, ask{what: "fire", workflow: "identification/application", trigger: "submit", locality: village11}, false},
		{"TaskWithoutDepartmentRefused", gongan, task("county_decision", "", village11), false},
	}
	var grants []Grant
	seen := map[string]bool{}
	for _, tt := range tests {
		if tt.user.Role != "" && !seen[tt.user.Username] {
			seen[tt.user.Username] = true
			grants = append(grants, tt.user)
		}
	}
	e := newFixture(t, grants...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Twice: the second answer comes from the decision cache.
			for round := range 2 {
				if got := tt.ask.of(e, tt.user.Username); got != tt.want {
					t.Fatalf("round %d: %s for %s (%s at %s) = %v; want %v",
						round, tt.ask, tt.user.Username, tt.user.Role, tt.user.Locality, got, tt.want)
				}
			}
		})
	}
}
