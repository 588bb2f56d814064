package roles

import "slices"

// Roles of the platform. A user holds exactly one, on one locality.
const (
	Village  = "village"  // 村: 村两委, 驻村工作队, 防贫监测员 — their village
	Township = "township" // 乡镇: 工作专班, 信息员 — their township's villages
	County   = "county"   // 县: 乡村振兴局 — the whole county
	Liaison  = "liaison"  // 县直部门联络员: their department's tasks in their county
	Admin    = "admin"    // 管理员: definitions; sees their county (or province)
)

// Names returns the role names, from the village up.
func Names() []string { return []string{Village, Township, County, Liaison, Admin} }

func knownRole(name string) bool { return slices.Contains(Names(), name) }

// Reserved triggers, spelled as package workflows spells them: a Rule with
// state "" and TriggerStart lets a role start a case; TriggerCompleteTask
// lets liaisons complete the department tasks of a state; TriggerImportList
// (state "", liaisons only) lets them start cases from their department's
// screening list.
const (
	TriggerStart        = "start"
	TriggerCompleteTask = "complete_task"
	TriggerImportList   = "import_list"
)

// Objects and actions of the rows in policy.csv.
const (
	objectHouseholds  = "households"
	actionView        = "view"
	objectDefinitions = "definitions"
	actionAdminister  = "administer"
)

// validName reports whether s may name a workflow, state, trigger or
// department: a lower-case ASCII identifier of at most 64 bytes, the rule
// package workflows applies. It keeps "/", "*" and "," out of policy rows,
// so no name can pose as another object or as a wildcard.
func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
