package store_test

import (
	"fmt"
	"testing"

	"jianfu/ent"
	"jianfu/ent/task"
	"jianfu/workflows"
)

// Households, cases and form data of the built-in identification workflow
// (识别纳入), in the shapes of cmd/jianfu/e2e_identification_test.go.

// The demo villages and who works them.
const (
	taoyuan  = "510100001001" // 桃园村, 东山镇: village11, town1
	liuwan   = "510100001002" // 柳湾村, 东山镇: village12, town1
	qingsong = "510100002001" // 青松村, 西河乡: village21, town2
)

var townshipDepartments = []string{"education", "housing", "water", "health"}

// cadreOf is the demo village cadre of a village; townshipOf the demo
// township cadre above it.
func cadreOf(village string) string {
	return map[string]string{taoyuan: "village11", liuwan: "village12", qingsong: "village21"}[village]
}

func townshipOf(village string) string {
	return map[string]string{"510100001": "town1", "510100002": "town2"}[village[:9]]
}

// testID returns a valid 18-digit 身份证号 for a made-up person. The
// Beijing prefix 110105 keeps it apart from every demo number (510100…);
// distinct seq below 1000 give distinct numbers.
func testID(year, seq int) string {
	return withCheck(fmt.Sprintf("110105%04d0307%03d", year, seq%1000))
}

// withCheck appends the GB 11643 check character to 17 digits.
func withCheck(body string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return body + string("10X98765432"[sum%11])
}

// wrongCheck returns a valid 身份证号 with another check character.
func wrongCheck(id string) string {
	if id[17] == '1' {
		return id[:17] + "2"
	}
	return id[:17] + "1"
}

// newHousehold registers a household as its village's cadre. The head's
// name uses the compound surname 欧阳, which no demo household has, so
// searches find only what the test registered.
func (f *fixture) newHousehold(t testing.TB, village string) workflows.Household {
	t.Helper()
	f.seq++
	seq := f.seq
	h := workflows.Household{
		HeadName: fmt.Sprintf("欧阳%s", givenName(seq)), IDNumber: testID(1970, seq), Locality: village,
		Members: []workflows.Member{{Name: "欧阳小" + givenName(seq+1), IDNumber: testID(2010, seq), Relation: "之女"}},
	}
	out, err := f.svc.CreateHousehold(f.ctx, f.user(t, cadreOf(village)), h)
	if err != nil {
		t.Fatalf("register household %s in %s: %v", h.HeadName, village, err)
	}
	return out
}

// givenName is a two-character given name, distinct for seq below 100.
func givenName(seq int) string {
	first, second := []rune("春秋建玉长海德桂志晓"), []rune("生月华兰青燕明香远东")
	return string(first[seq%10]) + string(second[seq/10%10])
}

// newCase registers a household and starts an identification case for it.
func (f *fixture) newCase(t testing.TB, village string) workflows.Case {
	t.Helper()
	h := f.newHousehold(t, village)
	c, err := f.svc.StartCase(f.ctx, f.user(t, cadreOf(village)), "identification", h.ID)
	if err != nil {
		t.Fatalf("start identification for %s: %v", h.HeadName, err)
	}
	return c
}

// fire fires a trigger on the case's current version and fails the test on
// any error.
func (f *fixture) fire(t testing.TB, actor string, c workflows.Case, trigger string, data map[string]any) workflows.Case {
	t.Helper()
	out, err := f.svc.Fire(f.ctx, f.user(t, actor), c.ID, trigger, data, c.Version)
	if err != nil {
		t.Fatalf("%s fires %s on case %d in %s: %v", actor, trigger, c.ID, c.State, err)
	}
	read, err := f.svc.Case(f.ctx, f.user(t, actor), c.ID)
	if err != nil {
		t.Fatalf("read case %d after %s: %v", c.ID, trigger, err)
	}
	if out.CaseID != c.ID || out.From != c.State || out.To != read.State || out.Version != read.Version ||
		out.Final != read.Final {
		t.Fatalf("%s on case %d answered %+v, but the case reads back in %s v%d final=%v",
			trigger, c.ID, out, read.State, read.Version, read.Final)
	}
	return read
}

// moveTo drives a case along the happy path of the identification until it
// is in state to: each step by the role that acts there, the notice's hold
// waited out on the clock, department checks completed by their liaisons.
func (f *fixture) moveTo(t testing.TB, c workflows.Case, to string) workflows.Case {
	t.Helper()
	county := f.user(t, "county1")
	h, err := f.svc.Household(f.ctx, county, c.HouseholdID)
	if err != nil {
		t.Fatalf("load household of case %d: %v", c.ID, err)
	}
	cadre, town := cadreOf(h.Locality), townshipOf(h.Locality)
	for c.State != to {
		switch c.State {
		case "application":
			c = f.fire(t, cadre, c, "submit", applicationData(h))
		case "verification":
			c = f.fire(t, cadre, c, "confirm", verificationData(h))
		case "deliberation":
			c = f.fire(t, cadre, c, "pass", deliberationData(10, 8, 6))
		case "notice":
			f.waitOutNotice(c, 5)
			c = f.fire(t, cadre, c, "no_objection", noticeData())
		case "township_review":
			f.completeChecks(t, c, departmentCheckData)
			c = f.fire(t, town, c, "approve", reviewData())
		case "county_decision":
			f.completeChecks(t, c, assetComparisonData)
			c = f.fire(t, "county1", c, "approve", decisionData())
		default:
			t.Fatalf("case %d is in %s: cannot move it on to %s", c.ID, c.State, to)
		}
	}
	return c
}

// waitOutNotice moves the clock to the end of a notice of days working days
// that began when c entered its state (never backwards).
func (f *fixture) waitOutNotice(c workflows.Case, days int) {
	end := workflows.BuiltinCalendar().HoldEnd(c.EnteredAt, days)
	if end.After(f.clock.Now()) {
		f.clock.Set(end)
	}
}

// openDepartmentTasks returns the case's open department tasks, by id.
func (f *fixture) openDepartmentTasks(t testing.TB, caseID int) []*ent.Task {
	t.Helper()
	rows, err := f.db.Client.Task.Query().Where(task.CaseID(caseID), task.Status(workflows.TaskOpen),
		task.DepartmentNEQ("")).Order(ent.Asc(task.FieldID)).All(f.ctx)
	if err != nil {
		t.Fatalf("department tasks of case %d: %v", caseID, err)
	}
	return rows
}

// completeChecks completes every open department task of the case as the
// department's liaison, with data(department).
func (f *fixture) completeChecks(t testing.TB, c workflows.Case, data func(string) map[string]any) {
	t.Helper()
	for _, row := range f.openDepartmentTasks(t, c.ID) {
		f.completeTask(t, row.ID, row.Department, data)
	}
}

func (f *fixture) completeTask(t testing.TB, id int, department string, data func(string) map[string]any) {
	t.Helper()
	if _, err := f.svc.CompleteTask(f.ctx, f.liaison(t, department), id, data(department)); err != nil {
		t.Fatalf("the %s liaison completes task %d: %v", department, id, err)
	}
}

// roleTask returns the id of the open task of the role acting on the case.
func (f *fixture) roleTask(t testing.TB, c workflows.Case) int {
	t.Helper()
	for _, row := range f.caseTasks(t, c.ID) {
		if row.Status == workflows.TaskOpen && row.Department == "" {
			return row.ID
		}
	}
	t.Fatalf("case %d in %s has no open role task", c.ID, c.State)
	return 0
}

// caseTasks returns every task of a case, open or not, by id.
func (f *fixture) caseTasks(t testing.TB, caseID int) []*ent.Task {
	t.Helper()
	rows, err := f.db.Client.Task.Query().Where(task.CaseID(caseID)).Order(ent.Asc(task.FieldID)).All(f.ctx)
	if err != nil {
		t.Fatalf("tasks of case %d: %v", caseID, err)
	}
	return rows
}

// Form data of each step, as a cadre would submit it.

func applicationData(h workflows.Household) map[string]any {
	return map[string]any{
		"head_name": h.HeadName, "head_id": h.IDNumber, "phone": "13800138000",
		"members": []any{
			map[string]any{"name": h.HeadName, "id_card": h.IDNumber, "relation": "户主"},
			map[string]any{"name": h.Members[0].Name, "id_card": h.Members[0].IDNumber, "relation": "之女"},
		},
		"reason": "2026年2月户主突发脑梗住院，自付医疗费用较大，家庭收入锐减。", "channel": "书面",
		"risks": []any{"因病"}, "promise": true, "authorize": []any{"assets", "economy"},
		"signed": true, "filled_by": "张明", "date": "2026-03-02",
	}
}

func verificationData(h workflows.Household) map[string]any {
	return map[string]any{
		"township": localityName(h.Locality[:9] + "000"), "village": localityName(h.Locality),
		"head_name": h.HeadName, "head_id": h.IDNumber,
		"household_type": "一般农户",
		"members": []any{
			map[string]any{"name": h.HeadName, "id_card": h.IDNumber, "relation": "户主", "gender": "男", "age": 56, "health": "患有大病", "labour": "丧失"},
			map[string]any{"name": h.Members[0].Name, "id_card": h.Members[0].IDNumber, "relation": "之女", "gender": "女", "age": 16, "health": "健康", "labour": "无", "school": "高中"},
		},
		"wage": 3000, "business": "1000.50", "property": 0, "transfer": 2400, "production_cost": 200, "medical_selfpay": 1500,
		"housing_grade": "B", "water_quality": "ok", "water_quantity": "ok", "water_access": "ok", "water_supply": "ok",
		"risks": []any{"因病"}, "category": "突发严重困难户",
		"checker1": "张明", "checker2": "李华", "head_signed": true, "visit_date": "2026-03-02",
	}
}

func deliberationData(invited, attended, yes int) map[string]any {
	return map[string]any{
		"meeting_type": "村民代表会议", "date": "2026-03-03", "place": "村委会",
		"invited": invited, "attended": attended, "yes": yes, "no": 0, "abstain": 0,
		"outcome": "通过", "recorder": "张明",
	}
}

func noticeData() map[string]any {
	return map[string]any{"level": "village", "start": "2026-03-03", "days": 5, "working_days": true,
		"place": "村务公开栏", "objections": false}
}

func sendBackData() map[string]any {
	return map[string]any{"reason": "家庭成员收入情况与核实表不符，请重新入户核实。"}
}

func reviewData() map[string]any {
	return map[string]any{"opinion": "同意", "reviewer": "李干事", "date": "2026-03-12"}
}

func decisionData() map[string]any {
	return map[string]any{"decision": "纳入", "category": "突发严重困难户", "approval_no": "示乡振〔2026〕12号", "date": "2026-03-14"}
}

func departmentCheckData(dept string) map[string]any {
	return map[string]any{"department": dept, "result": "无异常", "checked_by": "联络员", "date": "2026-03-12"}
}

func assetComparisonData(dept string) map[string]any {
	return map[string]any{"department": dept, "overall": "符合", "date": "2026-03-13",
		"items": []any{map[string]any{"member": "欧阳春生", "item": "车辆", "result": "无"}}}
}
