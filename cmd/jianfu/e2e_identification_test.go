package main

import (
	"maps"
	"slices"
	"testing"
)

// Form data of each step, as a cadre would submit it.
const (
	headID   = "11010519491231002X" // valid GB 11643 checksum
	memberID = "110105201003070017"
	badID    = "110105194912310021" // wrong check digit
)

func applicationData() map[string]any {
	return map[string]any{
		"head_name": "王建国", "head_id": headID, "phone": "13800138000",
		"members": []any{
			map[string]any{"name": "王建国", "id_card": headID, "relation": "户主"},
			map[string]any{"name": "王小丽", "id_card": memberID, "relation": "之女"},
		},
		"reason": "2026年8月户主突发脑梗住院，自付医疗费用较大，家庭收入锐减。", "channel": "书面",
		"risks": []any{"因病"}, "promise": true, "authorize": []any{"assets", "economy"},
		"signed": true, "filled_by": "张明", "date": "2026-09-28",
	}
}

func verificationData() map[string]any {
	return map[string]any{
		"township": "东山镇", "village": "桃园村", "head_name": "王建国", "head_id": headID,
		"household_type": "一般农户",
		"members": []any{
			map[string]any{"name": "王建国", "id_card": headID, "relation": "户主", "gender": "男", "age": 76, "health": "患有大病", "labour": "丧失"},
			map[string]any{"name": "王小丽", "id_card": memberID, "relation": "之女", "gender": "女", "age": 16, "health": "健康", "labour": "无", "school": "高中"},
		},
		"wage": 3000, "business": "1000.50", "property": 0, "transfer": 2400, "production_cost": 200, "medical_selfpay": 1500,
		"housing_grade": "B", "water_quality": "ok", "water_quantity": "ok", "water_access": "ok", "water_supply": "ok",
		"risks": []any{"因病"}, "category": "突发严重困难户",
		"checker1": "张明", "checker2": "李华", "head_signed": true, "visit_date": "2026-09-28",
	}
}

func deliberationData(invited, attended, yes int) map[string]any {
	return map[string]any{
		"meeting_type": "村民代表会议", "date": "2026-09-29", "place": "村委会",
		"invited": invited, "attended": attended, "yes": yes, "no": 0, "abstain": 0,
		"outcome": "通过", "recorder": "张明",
	}
}

func noticeData() map[string]any {
	return map[string]any{"level": "village", "start": "2026-09-29", "days": 5, "working_days": true,
		"place": "桃园村村务公开栏", "objections": false}
}

func departmentCheckData(dept string) map[string]any {
	return map[string]any{"department": dept, "result": "无异常", "checked_by": "联络员", "date": "2026-10-12"}
}

func assetComparisonData(dept string) map[string]any {
	return map[string]any{"department": dept, "overall": "符合", "date": "2026-10-13",
		"items": []any{map[string]any{"member": "王建国", "item": "车辆", "result": "无"}}}
}

func runIdentification(t *testing.T, e *e2e) {
	e.idNums = append(e.idNums, headID, memberID)
	// Moving the clock days ahead ends every session (they last 12 hours),
	// as it would for real users; everyone signs in again.
	clock := func(t *testing.T, now string) {
		t.Helper()
		clear(e.tokens)
		e.must(t, 200, "admin", "POST", "/api/v1/admin/clock", map[string]string{"now": now})
	}
	clock(t, "2026-09-28T09:00:00+08:00") // a Monday

	// Registering the household: refused with a specific field error, or
	// outside the cadre's village; then accepted.
	household := map[string]any{"head_name": "王建国", "id_number": headID, "locality": "510100001001",
		"members": []any{map[string]any{"name": "王小丽", "id_number": memberID, "relation": "之女"}}}
	bad := maps.Clone(household)
	bad["id_number"] = badID
	out := e.must(t, 422, "village11", "POST", "/api/v1/households", bad)
	assertFieldError(t, out, "id_number")
	elsewhere := maps.Clone(household)
	elsewhere["locality"] = "510100001002"
	e.must(t, 403, "village11", "POST", "/api/v1/households", elsewhere)
	h := e.must(t, 201, "village11", "POST", "/api/v1/households", household)
	if str(h["id_number_masked"]) != "110***********002X" {
		t.Errorf("id_number_masked = %q, want 110***********002X", h["id_number_masked"])
	}
	hid := num(h["id"])
	e.must(t, 200, "village11", "GET", "/api/v1/households", nil)

	e.must(t, 403, "village12", "POST", "/api/v1/cases", map[string]any{"workflow": "identification", "household_id": hid})
	c := e.must(t, 201, "village11", "POST", "/api/v1/cases", map[string]any{"workflow": "identification", "household_id": hid})
	id := num(c["id"])
	casePath := fmtPath("/api/v1/cases/%d", id)
	fire := func(t *testing.T, user string, want int, trigger string, data map[string]any, version int) map[string]any {
		t.Helper()
		return e.must(t, want, user, "POST", casePath+"/fire", map[string]any{"trigger": trigger, "data": data, "version": version})
	}
	// unchanged asserts a refusal left the case exactly as it was.
	unchanged := func(t *testing.T, state string, version int) {
		t.Helper()
		got := e.must(t, 200, "county1", "GET", casePath, nil)
		if str(got["state"]) != state || num(got["version"]) != version {
			t.Fatalf("after a refusal the case is %s v%d, want %s v%d", got["state"], num(got["version"]), state, version)
		}
	}
	v := num(c["version"])
	assertState(t, c, "application")
	if !slices.Contains(actions(c), "submit") {
		t.Errorf("village11 may submit the application, actions = %v", actions(c))
	}

	// Step 1, 农户申请.
	t.Run("NeighbouringVillageRefused", func(t *testing.T) {
		fire(t, "village12", 403, "submit", applicationData(), v)
		e.must(t, 403, "village12", "GET", casePath, nil)
		unchanged(t, "application", v)
	})
	t.Run("OtherTownshipRefused", func(t *testing.T) {
		e.must(t, 403, "town2", "GET", casePath, nil)
		fire(t, "town2", 403, "submit", applicationData(), v)
		unchanged(t, "application", v)
	})
	t.Run("MissingRequiredField", func(t *testing.T) {
		d := applicationData()
		delete(d, "reason")
		assertFieldError(t, fire(t, "village11", 422, "submit", d, v), "reason")
		unchanged(t, "application", v)
	})
	t.Run("InvalidIDNumber", func(t *testing.T) {
		d := applicationData()
		d["members"].([]any)[1].(map[string]any)["id_card"] = badID
		assertFieldError(t, fire(t, "village11", 422, "submit", d, v), "members[1].id_card")
		unchanged(t, "application", v)
	})
	t.Run("StaleVersion", func(t *testing.T) {
		fire(t, "village11", 409, "submit", applicationData(), v-1)
		unchanged(t, "application", v)
	})
	c = fire(t, "village11", 200, "submit", applicationData(), v)
	assertState(t, c, "verification")

	// Step 2, 入户核实.
	c = fire(t, "village11", 200, "confirm", verificationData(), num(c["version"]))
	assertState(t, c, "deliberation")

	// Step 3, 村级评议 and 公示.
	clock(t, "2026-09-29T10:00:00+08:00")
	t.Run("QuorumNotReached", func(t *testing.T) {
		v := num(c["version"])
		fire(t, "village11", 422, "pass", deliberationData(10, 6, 6), v) // 6 of 10 attended: below two thirds
		fire(t, "village11", 422, "pass", deliberationData(9, 8, 4), v)  // 4 of 8: no majority
		unchanged(t, "deliberation", v)
	})
	c = fire(t, "village11", 200, "pass", deliberationData(10, 8, 6), num(c["version"]))
	assertState(t, c, "notice")
	t.Run("NoticeHoldNotOver", func(t *testing.T) {
		v := num(c["version"])
		clock(t, "2026-09-30T10:00:00+08:00")
		fire(t, "village11", 409, "no_objection", noticeData(), v)
		// Five working days from Tue 29 Sep run 29, 30 Sep, 8, 9 Oct and
		// the make-up working day Sat 10 Oct (国庆节 1–7 Oct off).
		clock(t, "2026-10-10T17:00:00+08:00")
		fire(t, "village11", 409, "no_objection", noticeData(), v)
		unchanged(t, "notice", v)
	})
	clock(t, "2026-10-11T08:30:00+08:00")
	c = fire(t, "village11", 200, "no_objection", noticeData(), num(c["version"]))
	assertState(t, c, "township_review")

	// Step 4, 乡镇联合审核 with the department checks.
	township := []string{"education", "housing", "water", "health"}
	liaison := map[string]string{
		"education": "liaison-jiaoyu", "housing": "liaison-zhujian", "water": "liaison-shuili", "health": "liaison-weijian",
		"public_security": "liaison-gongan", "civil_affairs": "liaison-minzheng", "finance": "liaison-caizheng",
		"natural_resources": "liaison-ziranziyuan", "market_regulation": "liaison-shichang", "tax": "liaison-shuiwu",
	}
	reviewData := map[string]any{"opinion": "同意", "reviewer": "李干事", "date": "2026-10-12"}
	t.Run("ApproveBeforeDepartmentsDone", func(t *testing.T) {
		v := num(c["version"])
		fire(t, "town1", 409, "approve", reviewData, v)
		fire(t, "town2", 403, "approve", reviewData, v)
		unchanged(t, "township_review", v)
	})
	t.Run("LiaisonOfAnotherDepartment", func(t *testing.T) {
		task := e.taskOf(t, "liaison-jiaoyu", id, "education")
		e.must(t, 403, "liaison-gongan", "POST", fmtPath("/api/v1/tasks/%d/complete", task), map[string]any{"data": departmentCheckData("education")})
		if e.hasTask(t, "liaison-gongan", id) {
			t.Error("liaison-gongan sees a task of the township review, which has no 公安 check")
		}
	})
	for _, d := range township {
		task := e.taskOf(t, liaison[d], id, d)
		e.must(t, 200, liaison[d], "POST", fmtPath("/api/v1/tasks/%d/complete", task), map[string]any{"data": departmentCheckData(d)})
		e.must(t, 409, liaison[d], "POST", fmtPath("/api/v1/tasks/%d/complete", task), map[string]any{"data": departmentCheckData(d)})
	}
	c = fire(t, "town1", 200, "approve", reviewData, num(c["version"]))
	assertState(t, c, "county_decision")

	// Step 5, 县级审定 after 比对 with six departments.
	decision := map[string]any{"decision": "纳入", "category": "突发严重困难户", "approval_no": "示乡振〔2026〕12号", "date": "2026-10-14"}
	county := []string{"public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax"}
	for i, d := range county {
		if i == len(county)-1 {
			t.Run("ApproveWithOneComparisonMissing", func(t *testing.T) {
				fire(t, "county1", 409, "approve", decision, num(c["version"]))
				unchanged(t, "county_decision", num(c["version"]))
			})
		}
		task := e.taskOf(t, liaison[d], id, d)
		e.must(t, 200, liaison[d], "POST", fmtPath("/api/v1/tasks/%d/complete", task), map[string]any{"data": assetComparisonData(d)})
	}
	c = fire(t, "county1", 200, "approve", decision, num(c["version"]))
	assertState(t, c, "included")
	if c["final"] != true {
		t.Errorf("an included case is final, got final=%v", c["final"])
	}
	assertHistory(t, c, []string{"application", "verification", "deliberation", "notice", "township_review", "county_decision", "included"})
	if e.hasTask(t, "county1", id) || e.hasTask(t, "village11", id) {
		t.Error("a closed case still has open tasks in an inbox")
	}
}

// taskOf finds the open task of a department for a case in a liaison's inbox.
func (e *e2e) taskOf(t *testing.T, user string, caseID int, dept string) int {
	t.Helper()
	out := e.must(t, 200, user, "GET", "/api/v1/tasks", nil)
	for _, it := range out["items"].([]any) {
		m := it.(map[string]any)
		if num(m["case_id"]) == caseID && str(m["department"]) == dept && str(m["status"]) == "open" {
			return num(m["id"])
		}
	}
	t.Fatalf("%s has no open %s task for case %d: %v", user, dept, caseID, out)
	return 0
}

func (e *e2e) hasTask(t *testing.T, user string, caseID int) bool {
	t.Helper()
	out := e.must(t, 200, user, "GET", "/api/v1/tasks", nil)
	for _, it := range out["items"].([]any) {
		if num(it.(map[string]any)["case_id"]) == caseID {
			return true
		}
	}
	return false
}

func assertState(t *testing.T, c map[string]any, want string) {
	t.Helper()
	if got := str(c["state"]); got != want {
		t.Fatalf("case state = %q, want %q (case %v)", got, want, c)
	}
}

func assertFieldError(t *testing.T, out map[string]any, field string) {
	t.Helper()
	errs, _ := out["errors"].([]any)
	for _, e := range errs {
		m := e.(map[string]any)
		if str(m["field"]) == field && str(m["message"]) != "" {
			return
		}
	}
	t.Errorf("no error for field %q in %v", field, out)
}

func assertHistory(t *testing.T, c map[string]any, states []string) {
	t.Helper()
	var path []string
	for _, h := range c["history"].([]any) {
		m := h.(map[string]any)
		if to := str(m["to"]); to != "" && (len(path) == 0 || path[len(path)-1] != to) {
			path = append(path, to)
		}
		if str(m["actor"]) == "" || str(m["at"]) == "" {
			t.Errorf("history entry without actor or time: %v", m)
		}
	}
	if !slices.Equal(path, states) {
		t.Errorf("history went through %v, want %v", path, states)
	}
}

func actions(c map[string]any) []string {
	var out []string
	for _, a := range c["actions"].([]any) {
		out = append(out, str(a))
	}
	return out
}
