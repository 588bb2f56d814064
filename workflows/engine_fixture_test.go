package workflows

import (
	"slices"
	"strings"
	"testing"
	"time"

	"jianfu/forms"
)

// Fixtures for engine tests: the real built-in forms, the built-in
// identification workflow compiled against them, an Authorizer derived from
// the workflow's own policy rows, and valid submissions of every form.

// formVersion is the version every test form is published as; a Transition
// must carry it.
const formVersion = 3

// household is the 12-digit code of the test household's village.
const household = "510100001001"

func builtinForms(t testing.TB) testCatalog {
	t.Helper()
	cat := testCatalog{}
	for name, src := range forms.Builtin() {
		f, err := forms.Parse(name, src)
		if err != nil {
			t.Fatalf("parse built-in form %s: %v", name, err)
		}
		f.Version = formVersion
		cat[f.ID] = f
	}
	return cat
}

// formSource serves the catalog's forms as the newest published versions.
type formSource testCatalog

func (s formSource) Form(id string) (*forms.Definition, error) {
	if f, ok := s[id]; ok {
		return f, nil
	}
	return nil, Errorf(NotFound, "表单 %s 不存在", id)
}

// FormFor serves the base form everywhere: the catalog has no variants.
func (s formSource) FormFor(id, _ string) (*forms.Definition, error) { return s.Form(id) }

// fakeAuth grants what one definition's Rules grant, to users of the
// household's village, township or county; superuser may fire anything.
type fakeAuth struct {
	users     map[string]User
	rules     map[Rule]bool
	superuser string
}

func newFakeAuth(d *Definition) *fakeAuth {
	a := &fakeAuth{users: map[string]User{}, rules: map[Rule]bool{}, superuser: "admin"}
	for _, r := range d.Rules() {
		a.rules[r] = true
	}
	for _, u := range []User{
		{Username: "cun", Role: "village", Locality: household},
		{Username: "other_cun", Role: "village", Locality: "510100001002"},
		{Username: "xiang", Role: "township", Locality: "510100001000"},
		{Username: "xian", Role: "county", Locality: "510100000000"},
		{Username: "gongan", Role: RoleLiaison, Locality: "510100000000", Department: "public_security"},
		{Username: "jiaoyu", Role: RoleLiaison, Locality: "510100000000", Department: "education"},
		{Username: "admin", Role: "admin", Locality: "510100000000"},
	} {
		a.users[u.Username] = u
	}
	return a
}

// within reports whether locality lies in the user's area: a village
// cadre's village, a township's 9-digit prefix, a county's 6-digit prefix.
func (a *fakeAuth) within(u User, locality string) bool {
	n := 6
	switch u.Role {
	case "village":
		n = 12
	case "township":
		n = 9
	}
	return strings.HasPrefix(locality, u.Locality[:n])
}

func (a *fakeAuth) MayFire(username, workflow, state, trigger, locality string) bool {
	u, ok := a.users[username]
	if !ok {
		return false
	}
	if username == a.superuser {
		return true
	}
	return a.rules[Rule{Role: u.Role, State: state, Trigger: trigger}] && a.within(u, locality)
}

func (a *fakeAuth) MayCompleteTask(username, workflow, state, department, locality string) bool {
	u, ok := a.users[username]
	return ok && u.Role == RoleLiaison && u.Department == department &&
		a.rules[Rule{Role: RoleLiaison, State: state, Trigger: TriggerCompleteTask}] && a.within(u, locality)
}

func (a *fakeAuth) MayImportList(username, workflow, department, locality string) bool {
	u, ok := a.users[username]
	return ok && u.Role == RoleLiaison && u.Department == department &&
		a.rules[Rule{Role: RoleLiaison, State: "", Trigger: TriggerImportList}] && a.within(u, locality)
}

// identification returns the compiled built-in workflow and an engine on
// the built-in calendar.
func identification(t testing.TB) (*Definition, *Engine) {
	t.Helper()
	cat := builtinForms(t)
	d := parseBuiltin(t, "identification.yaml")
	if err := d.Compile(cat); err != nil {
		t.Fatalf("compile identification: %v", err)
	}
	return d, &Engine{Auth: newFakeAuth(d), Forms: formSource(cat), Calendar: BuiltinCalendar()}
}

// after returns the snapshot of the case once tr is stored at now: the new
// state, entered now, with the new department tasks open.
func after(s Snapshot, tr *Transition, now time.Time) Snapshot {
	next := Snapshot{Definition: s.Definition, State: tr.To, EnteredAt: now, Locality: s.Locality, Params: s.Params}
	for _, nt := range tr.NewTasks {
		if nt.Department != "" {
			next.Tasks = append(next.Tasks, TaskState{Department: nt.Department})
		}
	}
	return next
}

// withDone returns s with the tasks of the given departments done (all
// when none are given).
func withDone(s Snapshot, departments ...string) Snapshot {
	tasks := make([]TaskState, len(s.Tasks))
	for i, t := range s.Tasks {
		tasks[i] = TaskState{Department: t.Department, Done: len(departments) == 0 || slices.Contains(departments, t.Department)}
	}
	s.Tasks = tasks
	return s
}

// Valid submissions of each built-in form; each call returns a new map the
// test may change.

func applicationData() map[string]any {
	return map[string]any{
		"head_name": "张大山", "head_id": "510100198001010019", "phone": "13800138000",
		"members": []any{
			map[string]any{"name": "张大山", "id_card": "510100198001010019", "relation": "户主"},
			map[string]any{"name": "李秀英", "id_card": "510100198202020029", "relation": "配偶"},
		},
		"reason": "妻子患大病，自付医疗费用较高", "channel": "书面", "risks": []any{"因病"},
		"promise": true, "authorize": []any{"assets", "economy"}, "signed": true,
		"filled_by": "王村干", "date": "2026-09-21",
	}
}

func verificationData() map[string]any {
	member := func(name, id, relation string, age int) map[string]any {
		return map[string]any{"name": name, "id_card": id, "relation": relation, "gender": "男",
			"age": age, "health": "健康", "labour": "普通", "work_months": 6}
	}
	return map[string]any{
		"township": "城关镇", "village": "新华村", "head_name": "张大山", "head_id": "510100198001010019",
		"household_type": "一般农户",
		"members": []any{
			member("张大山", "510100198001010019", "户主", 46),
			member("张小明", "510100201003030034", "之子", 16),
		},
		"wage": "9000", "business": "1000", "property": 0, "transfer": "600", "production_cost": 500,
		"medical_selfpay": 2000, "housing_grade": "B",
		"water_quality": "ok", "water_quantity": "ok", "water_access": "ok", "water_supply": "ok",
		"risks": []any{"因病"}, "checker1": "王村干", "checker2": "李驻村", "visit_date": "2026-09-23",
	}
}

func deliberationData(invited, attended, yes int) map[string]any {
	return map[string]any{
		"meeting_type": "村民代表会议", "date": "2026-09-28", "invited": invited, "attended": attended,
		"yes": yes, "no": 0, "abstain": 0, "outcome": "通过", "recorder": "王村干",
	}
}

func noticeData() map[string]any {
	return map[string]any{"level": "village", "start": "2026-09-29", "days": 5, "working_days": true,
		"place": "村务公开栏", "objections": false}
}

func sendBackData() map[string]any {
	return map[string]any{"reason": "群众反映家中新购车辆，需重新核实"}
}

func explanationData() map[string]any {
	return map[string]any{"reason": "家庭人均纯收入高于监测范围", "told_household": true, "date": "2026-09-24"}
}

func townshipReviewData() map[string]any {
	return map[string]any{"opinion": "同意", "reviewer": "赵乡干", "date": "2026-10-14"}
}

func assetComparisonData(department string) map[string]any {
	return map[string]any{
		"department": department,
		"items":      []any{map[string]any{"member": "张大山", "item": "车辆", "result": "无"}},
		"overall":    "符合", "date": "2026-10-20",
	}
}

func countyDecisionData(decision string) map[string]any {
	return map[string]any{"decision": decision, "category": "突发严重困难户", "date": "2026-10-22"}
}
