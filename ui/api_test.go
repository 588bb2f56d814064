package ui

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// apiScenario is one row of the API table: a request and what must and
// must not come back.
type apiScenario struct {
	name        string
	method      string
	url         string
	token       string
	body        string
	fakeClock   bool
	status      int
	contains    []string
	notContains []string
}

func runAPIScenarios(t *testing.T, scenarios []apiScenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var opts []serverOption
			if sc.fakeClock {
				opts = append(opts, withFakeClock())
			}
			ts := newTestServer(t, opts...)
			rec := ts.api(sc.method, sc.url, sc.token, sc.body)
			body := rec.Body.String()
			if rec.Code != sc.status {
				t.Fatalf("%s %s: expected status %d, got %d: %s", sc.method, sc.url, sc.status, rec.Code, body)
			}
			for _, want := range sc.contains {
				if !strings.Contains(body, want) {
					t.Errorf("expected body to contain %q, got %s", want, body)
				}
			}
			for _, bad := range sc.notContains {
				if strings.Contains(body, bad) {
					t.Errorf("expected body not to contain %q, got %s", bad, body)
				}
			}
			if strings.HasPrefix(sc.url, "/api/") && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("expected a JSON body, got %s", body)
			}
		})
	}
}

func TestAPIAuth(t *testing.T) {
	runAPIScenarios(t, []apiScenario{
		{name: "LoginReturnsToken", method: "POST", url: "/api/v1/login", body: `{"username":"cun","password":"pw"}`,
			status: 200, contains: []string{`"token":"tok-cun"`}},
		{name: "WrongPasswordIs401", method: "POST", url: "/api/v1/login", body: `{"username":"cun","password":"nope"}`,
			status: 401, contains: []string{`"error":"用户名或密码错误"`}, notContains: []string{"token"}},
		{name: "UnknownFieldIs400", method: "POST", url: "/api/v1/login", body: `{"username":"cun","password":"pw","admin":true}`,
			status: 400, contains: []string{`"error"`}},
		{name: "MalformedJSONIs400", method: "POST", url: "/api/v1/login", body: `{"username":`,
			status: 400, contains: []string{`"error"`}},
		{name: "TrailingDataIs400", method: "POST", url: "/api/v1/login", body: `{"username":"cun","password":"pw"} {}`,
			status: 400},
		{name: "EmptyBodyIs400", method: "POST", url: "/api/v1/login", status: 400},
		{name: "OversizedBodyIs413", method: "POST", url: "/api/v1/login",
			body:   `{"username":"` + strings.Repeat("a", maxBody) + `","password":"pw"}`,
			status: 413, contains: []string{"过大"}},
		{name: "NoTokenIs401", method: "GET", url: "/api/v1/me",
			status: 401, contains: []string{`"error":"请先登录"`}},
		{name: "UnknownTokenIs401", method: "GET", url: "/api/v1/me", token: "forged",
			status: 401, contains: []string{`"error":"登录已失效，请重新登录"`}},
		{name: "MeDescribesCaller", method: "GET", url: "/api/v1/me", token: "tok-gongan",
			status: 200, contains: []string{`"username":"gongan"`, `"role":"liaison"`, `"department":"public_security"`, `"locality":"510104000000"`}},
		{name: "HealthzIsOK", method: "GET", url: "/healthz", status: 200, contains: []string{"ok"}},
		{name: "UnknownAPIRouteIs404", method: "GET", url: "/api/v1/nothing", token: "tok-cun",
			status: 404, contains: []string{`"error"`}},
	})
}

func TestAPIHouseholds(t *testing.T) {
	runAPIScenarios(t, []apiScenario{
		{name: "ListIsMaskedAndScopedToLocality", method: "GET", url: "/api/v1/households", token: "tok-cun",
			status: 200, contains: []string{`"head_name":"张三"`, `"id_number_masked":"110***********002X"`},
			notContains: []string{fakeHeadID, "李四"}},
		{name: "SearchByName", method: "GET", url: "/api/v1/households?q=%E6%9D%8E", token: "tok-admin",
			status: 200, contains: []string{"李四"}, notContains: []string{"张三", fakeOtherID}},
		{name: "SearchWithoutMatchGivesEmptyList", method: "GET", url: "/api/v1/households?q=nobody", token: "tok-cun",
			status: 200, contains: []string{`{"items":[],"total":0,`}},
		{name: "CreateAnswersMaskedMembers", method: "POST", url: "/api/v1/households", token: "tok-cun",
			body:   `{"head_name":"王五","id_number":"` + fakeSpouseID + `","locality":"510104001001","members":[{"name":"王五","id_number":"` + fakeSpouseID + `","relation":"户主"}]}`,
			status: 201, contains: []string{`"id":101`, `"id_number_masked":"110***********0027"`, `"relation":"户主"`},
			notContains: []string{fakeSpouseID}},
		{name: "CreateInvalidIs422WithFields", method: "POST", url: "/api/v1/households", token: "tok-cun",
			body:   `{"head_name":"","id_number":"123","locality":"510104001001","members":[]}`,
			status: 422, contains: []string{`"error":"填写有误"`, `{"field":"head_name","message":"请填写户主姓名"}`, `"field":"id_number"`}},
		{name: "CreateByTownshipInItsVillage", method: "POST", url: "/api/v1/households", token: "tok-xiang",
			body: `{"head_name":"王五","id_number":"` + fakeSpouseID + `","locality":"510104001001"}`, status: 201},
		{name: "CreateByLiaisonIsForbidden", method: "POST", url: "/api/v1/households", token: "tok-gongan",
			body: `{"head_name":"王五","id_number":"` + fakeSpouseID + `","locality":"510104001001"}`, status: 403},
		{name: "CreateUnknownMemberFieldIs400", method: "POST", url: "/api/v1/households", token: "tok-cun",
			body: `{"head_name":"王五","members":[{"name":"x","salary":1}]}`, status: 400},
	})
}

func TestAPICases(t *testing.T) {
	runAPIScenarios(t, []apiScenario{
		{name: "StartCase", method: "POST", url: "/api/v1/cases", token: "tok-cun",
			body:   `{"workflow":"identification","household_id":1}`,
			status: 201, contains: []string{`"id":101`, `"state":"application"`, `"version":1`, `"actions":["submit"]`}},
		{name: "StartCaseOutsideLocalityIsForbidden", method: "POST", url: "/api/v1/cases", token: "tok-cun",
			body: `{"workflow":"identification","household_id":2}`, status: 403, contains: []string{`"error":"无权为该农户发起识别纳入"`}},
		{name: "StartUnknownWorkflowIs404", method: "POST", url: "/api/v1/cases", token: "tok-cun",
			body: `{"workflow":"nope","household_id":1}`, status: 404},
		{name: "ShowCaseListsActionsAndForms", method: "GET", url: "/api/v1/cases/1", token: "tok-cun",
			status: 200, contains: []string{
				`"workflow":"identification"`, `"workflow_version":2`, `"state":"application"`, `"state_title":"农户申请"`,
				`"household_id":1`, `"locality":"510104001001"`, `"version":3`, `"final":false`,
				`"actions":["submit"]`, `"action_forms":{"submit":"application"}`,
				`"history":[{"at":"2026-10-09T10:30:00+08:00","actor":"cun","role":"village","trigger":"start","from":"","to":"application",` +
					`"actor_name":"王村干","trigger_title":"发起","from_title":"","to_title":"农户申请"}]`,
				`"tasks":[{"id":5,"case_id":1`, `"due":"2026-10-10T23:59:59+08:00"`, `"classification":""`,
				`"recurring":false,"escalated_to":"township"`,
			}, notContains: []string{"drafts", fakeHeadID}},
		{name: "ShowCaseGivesClassificationAndTaskFlags", method: "GET", url: "/api/v1/cases/2", token: "tok-cun",
			status: 200, contains: []string{
				`"classification":"黄"`, `"id":9`, `"recurring":true,"escalated_to":""`,
				`"trigger":"submit","from":"application","to":"verification","actor_name":"王村干","trigger_title":"提交申请","from_title":"农户申请","to_title":"入户核实"`,
			}},
		{name: "OtherRoleSeesNoActions", method: "GET", url: "/api/v1/cases/1", token: "tok-xiang",
			status: 200, contains: []string{`"actions":[]`, `"action_forms":{}`}},
		{name: "MissingCaseIs404", method: "GET", url: "/api/v1/cases/404", token: "tok-cun",
			status: 404, contains: []string{`"error":"案件不存在"`}},
		{name: "NonNumericIDIs400", method: "GET", url: "/api/v1/cases/abc", token: "tok-cun", status: 400},
		{name: "InternalErrorIsGeneric", method: "GET", url: "/api/v1/cases/999", token: "tok-cun",
			status: 500, contains: []string{`"error":"系统内部错误，请稍后重试"`}, notContains: []string{"SECRET", "exploded"}},
		{name: "FireMovesTheCase", method: "POST", url: "/api/v1/cases/1/fire", token: "tok-cun",
			body:   `{"trigger":"submit","version":3,"data":{"head_name":"张三","head_id":"` + fakeHeadID + `","members":[{"name":"张三"}],"promise":true}}`,
			status: 200, contains: []string{`"state":"verification"`, `"version":4`, `"actions":["confirm"]`,
				`"trigger":"submit","from":"application","to":"verification","actor_name":"王村干","trigger_title":"提交申请","from_title":"农户申请","to_title":"入户核实"`}},
		{name: "StaleVersionIs409", method: "POST", url: "/api/v1/cases/1/fire", token: "tok-cun",
			body:   `{"trigger":"submit","version":2,"data":{"head_name":"张三"}}`,
			status: 409, contains: []string{`"error":"案件已被他人更新，请刷新后重试"`}},
		{name: "WrongRoleIs403", method: "POST", url: "/api/v1/cases/1/fire", token: "tok-xiang",
			body: `{"trigger":"submit","version":3,"data":{}}`, status: 403, contains: []string{"无权在此环节执行该操作"}},
		{name: "InvalidDataIs422WithFieldErrors", method: "POST", url: "/api/v1/cases/1/fire", token: "tok-cun",
			body:   `{"trigger":"submit","version":3,"data":{"head_id":"123","members":[{"name":""}]}}`,
			status: 422, contains: []string{
				`"error":"填写有误，请修改后重新提交"`,
				`{"field":"head_name","message":"请填写户主姓名"}`,
				`{"field":"head_id","message":"身份证号应为18位"}`,
				`{"field":"members[0].name","message":"请填写姓名"}`,
			}},
		{name: "MissingVersionIs400", method: "POST", url: "/api/v1/cases/1/fire", token: "tok-cun",
			body: `{"trigger":"submit","data":{}}`, status: 400},
		{name: "UnknownTopLevelFieldIs400", method: "POST", url: "/api/v1/cases/1/fire", token: "tok-cun",
			body: `{"trigger":"submit","version":3,"data":{},"force":true}`, status: 400},
	})
}

func TestAPITasks(t *testing.T) {
	runAPIScenarios(t, []apiScenario{
		{name: "VillageInbox", method: "GET", url: "/api/v1/tasks", token: "tok-cun",
			status: 200, contains: []string{`"id":5`, `"case_id":1`, `"role":"village"`, `"form":"application"`, `"status":"open"`, `"due":"2026-10-10T23:59:59+08:00"`},
			notContains: []string{`"id":7`}},
		{name: "LiaisonSeesOnlyDepartmentTasks", method: "GET", url: "/api/v1/tasks", token: "tok-gongan",
			status: 200, contains: []string{`"id":7`, `"department":"public_security"`, `"form":"check"`},
			notContains: []string{`"id":5`, `"id":8`}},
		{name: "InboxIsPaged", method: "GET", url: "/api/v1/tasks?per_page=1", token: "tok-cun",
			status: 200, contains: []string{`"id":5`, `"total":2`, `"page":1`, `"per_page":1`, `"next_page":2`},
			notContains: []string{`"id":9`}},
		{name: "LastPageHasNoNext", method: "GET", url: "/api/v1/tasks?page=2&per_page=1", token: "tok-cun",
			status: 200, contains: []string{`"id":9`, `"total":2`, `"page":2`}, notContains: []string{`"id":5`, "next_page"}},
		{name: "PageBeyondTheEndIsEmpty", method: "GET", url: "/api/v1/tasks?page=9", token: "tok-cun",
			status: 200, contains: []string{`"items":[]`, `"total":2`, `"page":9`, `"per_page":50`}},
		{name: "PageSizeIsCapped", method: "GET", url: "/api/v1/tasks?per_page=100000", token: "tok-cun",
			status: 200, contains: []string{`"per_page":200`}},
		{name: "NonNumericPageIs400", method: "GET", url: "/api/v1/tasks?page=abc", token: "tok-cun",
			status: 400, contains: []string{"页码须为正整数"}},
		{name: "ZeroPageSizeIs400", method: "GET", url: "/api/v1/tasks?per_page=0", token: "tok-cun",
			status: 400, contains: []string{"每页条数须为 1 到 200 之间的整数"}},
		{name: "RecurringTaskIsFlagged", method: "GET", url: "/api/v1/tasks", token: "tok-cun",
			status: 200, contains: []string{`"id":9`, `"form":"visit"`, `"recurring":true`}},
		{name: "CompleteRecurringTaskChecksGroupFields", method: "POST", url: "/api/v1/tasks/9/complete", token: "tok-cun",
			body: `{"data":{}}`, status: 422, contains: []string{`{"field":"note","message":"请填写走访记录"}`}},
		{name: "EscalatedTaskReachesTheLevelAbove", method: "GET", url: "/api/v1/tasks", token: "tok-xiang",
			status: 200, contains: []string{`"id":5`, `"escalated_to":"township"`}, notContains: []string{`"id":9`}},
		{name: "CompleteRecurringTask", method: "POST", url: "/api/v1/tasks/9/complete", token: "tok-cun",
			body: `{"data":{"income_changed":true,"note":"家中收入有变化","house_photo":{"id":"` + strings.Repeat("a", 64) + `","name":"house.jpg","type":"image/jpeg","size":100,"sha256":"` + strings.Repeat("a", 64) + `"}}}`, status: 200, contains: []string{`"status":"done"`, `"recurring":true`}},
		{name: "CompleteTask", method: "POST", url: "/api/v1/tasks/7/complete", token: "tok-gongan",
			body: `{"data":{"result":"无异常"}}`, status: 200, contains: []string{`"status":"done"`, `"completed_by":"孙警官"`}},
		{name: "CompleteDoneTaskIs409", method: "POST", url: "/api/v1/tasks/8/complete", token: "tok-gongan",
			body: `{"data":{"result":"无异常"}}`, status: 409, contains: []string{"该任务已办结"}},
		{name: "CompleteOthersTaskIs403", method: "POST", url: "/api/v1/tasks/7/complete", token: "tok-cun",
			body: `{"data":{"result":"无异常"}}`, status: 403},
		{name: "CompleteInvalidIs422", method: "POST", url: "/api/v1/tasks/7/complete", token: "tok-gongan",
			body: `{"data":{}}`, status: 422, contains: []string{`{"field":"result","message":"请填写核查结果"}`}},
	})
}

func TestAPIDefinitions(t *testing.T) {
	runAPIScenarios(t, []apiScenario{
		{name: "ListDefinitions", method: "GET", url: "/api/v1/definitions", token: "tok-admin",
			status: 200, contains: []string{`{"kind":"form","id":"application","version":1,"title":"申请及承诺授权书","published":true`, `"id":"identification","version":2`}},
		{name: "PublishAsAdmin", method: "POST", url: "/api/v1/definitions", token: "tok-admin", body: checkYAML,
			status: 201, contains: []string{`{"kind":"form","id":"check","version":2}`}},
		{name: "PublishProblemsAre422WithLines", method: "POST", url: "/api/v1/definitions", token: "tok-admin",
			body:   "id: broken\ntitle: 坏表单\nfields:\n  - {name: a, type: nosuchtype, label: A}\n",
			status: 422, contains: []string{`"errors":[{`, `"line":4`, `"path":"fields[0].type"`}},
		{name: "PublishAsVillageIsForbidden", method: "POST", url: "/api/v1/definitions", token: "tok-cun", body: checkYAML,
			status: 403},
		{name: "PublishEmptyIs400", method: "POST", url: "/api/v1/definitions", token: "tok-admin", status: 400},
		{name: "CheckStoresNothing", method: "POST", url: "/api/v1/definitions/check", token: "tok-admin", body: checkYAML,
			status: 200, contains: []string{`{"kind":"form","id":"check","title":"部门核查"}`}},
		{name: "CheckProblemsAre422WithLines", method: "POST", url: "/api/v1/definitions/check", token: "tok-admin",
			body:   "id: broken\ntitle: 坏表单\nfields:\n  - {name: a, type: nosuchtype, label: A}\n",
			status: 422, contains: []string{`"line":4`, `"path":"fields[0].type"`}},
		{name: "CheckAsVillageIsForbidden", method: "POST", url: "/api/v1/definitions/check", token: "tok-cun", body: checkYAML,
			status: 403},
		{name: "ShowNewest", method: "GET", url: "/api/v1/definitions/workflow/identification", token: "tok-admin",
			status: 200, contains: []string{`"id":"identification","version":2`, `"created_by":"admin"`, `"source":"id: identification\ntitle: 监测对象识别纳入\nparams:\n  notice_days: 7`}},
		{name: "ShowVersion", method: "GET", url: "/api/v1/definitions/workflow/identification?version=1", token: "tok-admin",
			status: 200, contains: []string{`"version":1`, `notice_days: 5`}},
		{name: "ShowUnknownVersionIs404", method: "GET", url: "/api/v1/definitions/workflow/identification?version=9", token: "tok-admin", status: 404},
		{name: "ShowAsVillageIsForbidden", method: "GET", url: "/api/v1/definitions/form/application", token: "tok-cun", status: 403},
	})
}

func TestAPIClock(t *testing.T) {
	runAPIScenarios(t, []apiScenario{
		{name: "DisabledWithoutFakeClock", method: "POST", url: "/api/v1/admin/clock", token: "tok-admin",
			body: `{"now":"2026-10-20T09:00:00+08:00"}`, status: 404},
		{name: "AdminMovesTheClock", method: "POST", url: "/api/v1/admin/clock", token: "tok-admin", fakeClock: true,
			body: `{"now":"2026-10-20T09:00:00+08:00"}`, status: 200, contains: []string{`{"now":"2026-10-20T09:00:00+08:00"}`}},
		{name: "NonAdminIsForbidden", method: "POST", url: "/api/v1/admin/clock", token: "tok-cun", fakeClock: true,
			body: `{"now":"2026-10-20T09:00:00+08:00"}`, status: 403},
		{name: "BadTimeIs422", method: "POST", url: "/api/v1/admin/clock", token: "tok-admin", fakeClock: true,
			body: `{"now":"next tuesday"}`, status: 422, contains: []string{`"field":"now"`}},
	})
}

// TestClockReachesService checks that the clock route calls SetClock
// with the parsed time, not just answers.
func TestClockReachesService(t *testing.T) {
	ts := newTestServer(t, withFakeClock())
	rec := ts.api("POST", "/api/v1/admin/clock", "tok-admin", `{"now":"2026-11-02T08:00:00+08:00"}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("expected 200, got %d: %s", rec.Code, rec.Body)
	}
	if len(ts.svc.clock) != 1 || !ts.svc.clock[0].Equal(fakeTime("2026-11-02T08:00:00+08:00")) {
		t.Errorf("expected SetClock(2026-11-02T08:00:00+08:00) once, got %v", ts.svc.clock)
	}
}

// TestAPIFirePassesRequestThrough checks that the service gets the
// trigger, version and data the client sent.
func TestAPIFirePassesRequestThrough(t *testing.T) {
	ts := newTestServer(t)
	body := `{"trigger":"submit","version":3,"data":{"head_name":"张三","head_id":"` + fakeHeadID + `","members":[{"name":"张三"}],"promise":true,"income":1234.5}}`
	if rec := ts.api("POST", "/api/v1/cases/1/fire", "tok-cun", body); rec.Code != http.StatusOK {
		t.Fatalf("expected 200, got %d: %s", rec.Code, rec.Body)
	}
	calls := ts.svc.firedCalls()
	if len(calls) != 1 {
		t.Fatalf("expected one Fire call, got %d", len(calls))
	}
	c := calls[0]
	if c.CaseID != 1 || c.Trigger != "submit" || c.Version != 3 {
		t.Errorf("expected Fire(case 1, submit, version 3), got %+v", c)
	}
	if c.Data["head_name"] != "张三" || c.Data["income"] != 1234.5 || c.Data["promise"] != true {
		t.Errorf("expected the data as sent, got %v", c.Data)
	}
}

// fullID matches an unmasked 18-character 身份证号.
var fullID = regexp.MustCompile(`\d{17}[\dXx]`)

// TestListsNeverShowFullIDNumber walks every list the API and the pages
// offer and looks for an unmasked 身份证号.
func TestListsNeverShowFullIDNumber(t *testing.T) {
	ts := newTestServer(t)
	create := `{"head_name":"王五","id_number":"` + fakeSpouseID + `","locality":"510104001001","members":[{"name":"王五","id_number":"` + fakeSpouseID + `","relation":"户主"}]}`
	responses := map[string]string{
		"APIHouseholds":       ts.api("GET", "/api/v1/households", "tok-admin", "").Body.String(),
		"APIHouseholdSearch":  ts.api("GET", "/api/v1/households?q=1234", "tok-admin", "").Body.String(),
		"APIHouseholdCreate":  ts.api("POST", "/api/v1/households", "tok-cun", create).Body.String(),
		"APITasks":            ts.api("GET", "/api/v1/tasks", "tok-cun", "").Body.String(),
		"APICase":             ts.api("GET", "/api/v1/cases/1", "tok-cun", "").Body.String(),
		"PageHouseholds":      ts.browse("GET", "/households", "admin", nil).Body.String(),
		"PageHouseholdSearch": ts.browse("GET", "/households?q=002X", "cun", nil).Body.String(),
		"PageTasks":           ts.browse("GET", "/tasks", "cun", nil).Body.String(),
		"PageCase":            ts.browse("GET", "/cases/1", "cun", nil).Body.String(),
	}
	for name, body := range responses {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(body, "张三") && !strings.Contains(body, "王五") && !strings.Contains(body, "李四") {
				t.Fatalf("expected the response to name a household, got %s", body)
			}
			if m := fullID.FindString(body); m != "" {
				t.Errorf("expected no full 身份证号, found %s in %s", m, body)
			}
		})
	}
}

// TestRFC3339InChinaTime: the API writes every time in China time, as
// its documentation shows them, whatever zone the store read it in.
func TestRFC3339InChinaTime(t *testing.T) {
	for _, tt := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 3, 6, 15, 59, 59, 0, time.UTC), "2026-03-06T23:59:59+08:00"},
		{time.Date(2026, 3, 6, 23, 59, 59, 0, time.FixedZone("CST", 8*3600)), "2026-03-06T23:59:59+08:00"},
		{time.Date(2026, 3, 6, 10, 0, 0, 0, time.FixedZone("MST", -7*3600)), "2026-03-07T01:00:00+08:00"},
		{time.Time{}, ""},
	} {
		if got := rfc3339(tt.in); got != tt.want {
			t.Errorf("rfc3339(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
