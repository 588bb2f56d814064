package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"jianfu/workflows"
)

func TestPageAuthentication(t *testing.T) {
	t.Run("AnonymousIsSentToLoginAndBack", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("GET", "/cases/1", "", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fcases%2F1" {
			t.Fatalf("expected 303 to /login?next=%%2Fcases%%2F1, got %d %q", rec.Code, rec.Header().Get("Location"))
		}
	})
	t.Run("ExpiredSessionIsClearedAndSentToLogin", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("GET", "/tasks", "", nil, &http.Cookie{Name: sessionCookie, Value: "expired"})
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Fatalf("expected 303 to /login, got %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if c := cookie(rec, sessionCookie); c == nil || c.MaxAge >= 0 {
			t.Errorf("expected the session cookie to be deleted, got %v", c)
		}
	})
	t.Run("LoginSetsSessionCookie", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/login", "", url.Values{"username": {"cun"}, "password": {"pw"}, "next": {"/cases/1"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/1" {
			t.Fatalf("expected 303 to /cases/1, got %d %q", rec.Code, rec.Header().Get("Location"))
		}
		c := cookie(rec, sessionCookie)
		if c == nil || c.Value != "tok-cun" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
			t.Errorf("expected an HttpOnly SameSite=Lax session cookie holding tok-cun, got %+v", c)
		}
	})
	t.Run("LoginNeverRedirectsOffSite", func(t *testing.T) {
		ts := newTestServer(t)
		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			rec := ts.browse("POST", "/login", "", url.Values{"username": {"cun"}, "password": {"pw"}, "next": {next}})
			if got := rec.Header().Get("Location"); got != "/" {
				t.Errorf("next=%q: expected redirect to / (home), got %q", next, got)
			}
		}
	})
	t.Run("WrongPasswordShowsMessage", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/login", "", url.Values{"username": {"cun"}, "password": {"bad"}})
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "用户名或密码错误") {
			t.Fatalf("expected 401 with 用户名或密码错误, got %d: %s", rec.Code, rec.Body)
		}
		if !strings.Contains(rec.Body.String(), `value="cun"`) {
			t.Errorf("expected the username to be kept, got %s", rec.Body)
		}
		if cookie(rec, sessionCookie) != nil {
			t.Errorf("expected no session cookie after a failed login")
		}
	})
	t.Run("LogoutEndsSession", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/logout", "cun", url.Values{})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
			t.Fatalf("expected 303 to /login, got %d %q", rec.Code, rec.Header().Get("Location"))
		}
		if c := cookie(rec, sessionCookie); c == nil || c.MaxAge >= 0 {
			t.Errorf("expected the session cookie to be deleted, got %v", c)
		}
		if again := ts.browse("GET", "/tasks", "cun", nil); again.Code != http.StatusSeeOther {
			t.Errorf("expected the old token to be refused after logout, got %d", again.Code)
		}
	})
	t.Run("RootGoesToTasks", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("GET", "/", "cun", nil)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/tasks" {
			t.Fatalf("expected 303 to /tasks, got %d %q", rec.Code, rec.Header().Get("Location"))
		}
	})
}

func TestTaskListPage(t *testing.T) {
	ts := newTestServer(t)
	t.Run("RoleTaskLinksToCase", func(t *testing.T) {
		body := ts.browse("GET", "/tasks", "cun", nil).Body.String()
		for _, want := range []string{`href="/cases/1"`, "张三", "农户申请", "2026-10-10", "已超期"} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q in the inbox, got %s", want, body)
			}
		}
	})
	t.Run("LongInboxIsPaged", func(t *testing.T) {
		ts := newTestServer(t)
		for id := 100; id < 100+workflows.DefaultPageSize+10; id++ {
			ts.svc.tasks[id] = &workflows.Task{ID: id, CaseID: 1, Workflow: "identification", State: "application",
				StateTitle: "农户申请", Role: "village", Locality: cunVillage, Form: "application",
				Status: workflows.TaskOpen, Household: fmt.Sprintf("农户%d", id)}
			ts.svc.nextID = max(ts.svc.nextID, id)
		}
		first := ts.browse("GET", "/tasks", "cun", nil).Body.String()
		for _, want := range []string{"共 62 项", "第 1 / 2 页", `href="/tasks?page=2"`, "下一页"} {
			if !strings.Contains(first, want) {
				t.Errorf("expected %q on the first page of 62 tasks, got %s", want, first)
			}
		}
		if strings.Contains(first, "上一页") || strings.Contains(first, "农户159") {
			t.Errorf("the first page links back or shows a task of page 2: %s", first)
		}
		second := ts.browse("GET", "/tasks?page=2", "cun", nil).Body.String()
		for _, want := range []string{"第 2 / 2 页", `href="/tasks"`, "上一页", "农户159"} {
			if !strings.Contains(second, want) {
				t.Errorf("expected %q on the second page, got %s", want, second)
			}
		}
		if strings.Contains(second, "下一页") {
			t.Errorf("the last page links to a next one: %s", second)
		}
		if rec := ts.browse("GET", "/tasks?page=x", "cun", nil); rec.Code != http.StatusBadRequest {
			t.Errorf("GET /tasks?page=x = %d, want 400", rec.Code)
		}
		// An old link past the end says so and leads back, not 暂无待办事项
		// under 共 62 项.
		beyond := ts.browse("GET", "/tasks?page=9", "cun", nil).Body.String()
		if !strings.Contains(beyond, `没有这一页。<a href="/tasks">回到第一页</a>`) || strings.Contains(beyond, "暂无待办事项") {
			t.Errorf("page 9 of 2: %s", beyond)
		}
	})
	t.Run("CardSaysProcedureAndVillage", func(t *testing.T) {
		// A village cadre's inbox is all one village: the procedure alone.
		if body := ts.browse("GET", "/tasks", "cun", nil).Body.String(); !strings.Contains(body, `<span class="card-line secondary">监测对象识别纳入</span>`) {
			t.Errorf("expected the procedure on the village cadre's card, got %s", body)
		}
		// The township the task was escalated to mixes villages.
		if body := ts.browse("GET", "/tasks", "xiang", nil).Body.String(); !strings.Contains(body, "监测对象识别纳入 · 桃园村") {
			t.Errorf("expected the procedure and the village on the township's card, got %s", body)
		}
	})
	t.Run("DepartmentTaskLinksToTaskForm", func(t *testing.T) {
		body := ts.browse("GET", "/tasks", "gongan", nil).Body.String()
		if !strings.Contains(body, `href="/tasks/7"`) || !strings.Contains(body, "部门：公安") {
			t.Errorf("expected a link to /tasks/7 naming 公安, got %s", body)
		}
		if strings.Contains(body, "已超期") {
			t.Errorf("expected no overdue badge for a task due 2026-10-20, got %s", body)
		}
	})
}

func TestHouseholdPages(t *testing.T) {
	ts := newTestServer(t)
	t.Run("ListShowsMaskedID", func(t *testing.T) {
		body := ts.browse("GET", "/households", "cun", nil).Body.String()
		if !strings.Contains(body, "110***********002X") || strings.Contains(body, fakeHeadID) {
			t.Errorf("expected the masked ID only, got %s", body)
		}
	})
	t.Run("SearchWithoutMatchSaysSo", func(t *testing.T) {
		body := ts.browse("GET", "/households?q=%E6%97%A0%E6%AD%A4%E4%BA%BA", "cun", nil).Body.String()
		if !strings.Contains(body, "没有找到符合条件的农户") {
			t.Errorf("expected the no-match message, got %s", body)
		}
	})
	t.Run("OwnScreenShowsFullIDs", func(t *testing.T) {
		body := ts.browse("GET", "/households/1", "cun", nil).Body.String()
		// Its 识别纳入 is open: the page links it instead of offering a second.
		for _, want := range []string{fakeHeadID, fakeSpouseID, "李梅", `该户已有办理中的「监测对象识别纳入」：<a href="/cases/1">查看办理情况</a>`} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q on the household screen, got %s", want, body)
			}
		}
		if strings.Contains(body, "发起识别纳入") {
			t.Errorf("a household with an open 识别纳入 offers to start another: %s", body)
		}
	})
	t.Run("StartOfferedOnlyToWhoMayStart", func(t *testing.T) {
		ts := newTestServer(t)
		h, err := ts.svc.CreateHousehold(context.Background(), ts.svc.users["cun"],
			workflows.Household{HeadName: "赵六", IDNumber: fakeSpouseID, Locality: cunVillage})
		if err != nil {
			t.Fatal(err)
		}
		path := "/households/" + strconv.Itoa(h.ID)
		if body := ts.browse("GET", path, "cun", nil).Body.String(); !strings.Contains(body, `action="`+path+`/cases"`) ||
			!strings.Contains(body, "发起识别纳入") {
			t.Errorf("expected the village cadre to be offered the start, got %s", body)
		}
		// The county sees the household but does not start 识别纳入.
		if body := ts.browse("GET", path, "xian", nil).Body.String(); strings.Contains(body, "发起识别纳入") {
			t.Errorf("expected no start for the county, got %s", body)
		}
	})
	t.Run("OtherVillageIsForbidden", func(t *testing.T) {
		rec := ts.browse("GET", "/households/2", "cun", nil)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "无权查看该农户") {
			t.Errorf("expected 403 with the service's message, got %d: %s", rec.Code, rec.Body)
		}
		if strings.Contains(rec.Body.String(), fakeOtherID) {
			t.Errorf("expected no ID number on a refusal")
		}
	})
	t.Run("StartCaseRedirectsToCase", func(t *testing.T) {
		rec := ts.browse("POST", "/households/1/cases", "cun", url.Values{"workflow": {"identification"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/101" {
			t.Fatalf("expected 303 to /cases/101, got %d %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		flash := cookie(rec, flashCookie)
		page := ts.browse("GET", "/cases/101", "cun", nil, flash).Body.String()
		if !strings.Contains(page, "案件已发起") || !strings.Contains(page, "农户申请") {
			t.Errorf("expected the new case with its flash, got %s", page)
		}
	})
	t.Run("StartCaseRefusedLinksBack", func(t *testing.T) {
		rec := ts.browse("POST", "/households/1/cases", "xiang", url.Values{"workflow": {"identification"}})
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `href="/households/1"`) {
			t.Errorf("expected 403 linking back to the household, got %d: %s", rec.Code, rec.Body)
		}
	})
}

func TestCasePage(t *testing.T) {
	ts := newTestServer(t)
	t.Run("ShowsStateHistoryAndButtons", func(t *testing.T) {
		body := ts.browse("GET", "/cases/1", "cun", nil).Body.String()
		for _, want := range []string{"农户申请", "监测对象识别纳入", `href="/households/1"`, `href="/cases/1/fire/submit"`, "提交申请", "2026-10-09 10:30", "王村干（村级）"} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q on the case page, got %s", want, body)
			}
		}
	})
	t.Run("SendBackIsASecondaryButton", func(t *testing.T) {
		body := ts.browse("GET", "/cases/2", "xiang", nil).Body.String()
		for _, want := range []string{
			`<a class="button primary" href="/cases/2/fire/approve">`,
			`<a class="button secondary" href="/cases/2/fire/return">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %s on the township's case page, got %s", want, body)
			}
		}
	})
	t.Run("NoButtonsForOtherRoles", func(t *testing.T) {
		// The village's overdue task was escalated to the township: it has
		// no button here, and is told why it sees the case.
		body := ts.browse("GET", "/cases/1", "xiang", nil).Body.String()
		if strings.Contains(body, "/fire/") ||
			!strings.Contains(body, "村级的「农户申请」已超期（期限 2026-10-10），提级至乡镇督办：请督促村级尽快办理") {
			t.Errorf("expected no action buttons and the escalation explained for the township, got %s", body)
		}
		if body := ts.browse("GET", "/cases/2", "xiang", nil).Body.String(); strings.Contains(body, "提级至") {
			t.Errorf("a case with nothing escalated explains an escalation: %s", body)
		}
	})
	t.Run("MissingCaseIs404Page", func(t *testing.T) {
		rec := ts.browse("GET", "/cases/404", "cun", nil)
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "案件不存在") {
			t.Errorf("expected a 404 page, got %d: %s", rec.Code, rec.Body)
		}
	})
	t.Run("InternalErrorIsGenericAndLogged", func(t *testing.T) {
		rec := ts.browse("GET", "/cases/999", "cun", nil)
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "SECRET") {
			t.Errorf("expected a generic 500 page, got %d: %s", rec.Code, rec.Body)
		}
		if !strings.Contains(ts.logs.String(), "SECRET-DETAIL") {
			t.Errorf("expected the real error in the log, got %s", ts.logs)
		}
	})
}

func TestCaseFirePage(t *testing.T) {
	valid := url.Values{
		"version":             {"3"},
		"head_name":           {"张三"},
		"head_id":             {fakeHeadID},
		"_rows.members":       {"1"},
		"members[0].name":     {"张三"},
		"members[0].relation": {"户主"},
		"risks":               {"因病", "因残"},
		"promise":             {"true"},
	}
	t.Run("FormHasVersionAndFields", func(t *testing.T) {
		ts := newTestServer(t)
		body := ts.browse("GET", "/cases/1/fire/submit", "cun", nil).Body.String()
		for _, want := range []string{
			`<input type="hidden" name="version" value="3">`, `name="head_name"`, `name="members[0].name"`,
			`type="tel"`, `type="date"`, `inputmode="decimal"`, `maxlength="18"`, `type="checkbox" id="f-risks-0" name="risks" value="因病"`,
			`name="_add" value="members"`, "申请及承诺授权书",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q in the form, got %s", want, body)
			}
		}
		if strings.Contains(body, `name="members[1].name"`) {
			t.Errorf("expected a repeat with min 1 to start with one row")
		}
	})
	t.Run("ValidPostFiresAndRedirectsWithFlash", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/cases/1/fire/submit", "cun", valid)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cases/1" {
			t.Fatalf("expected 303 to /cases/1, got %d %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		calls := ts.svc.firedCalls()
		if len(calls) != 1 || calls[0].Version != 3 || calls[0].Trigger != "submit" {
			t.Fatalf("expected one Fire(submit, version 3), got %+v", calls)
		}
		if calls[0].Data["head_name"] != "张三" {
			t.Errorf("expected decoded data with head_name 张三, got %v", calls[0].Data)
		}
		for _, k := range []string{"version", "_rows.members", "_rows"} {
			if _, ok := calls[0].Data[k]; ok {
				t.Errorf("expected the page's own control %q not to reach the service, got %v", k, calls[0].Data)
			}
		}
		page := ts.browse("GET", "/cases/1", "cun", nil, cookie(rec, flashCookie)).Body.String()
		if !strings.Contains(page, `class="flash"`) || !strings.Contains(page, "已提交") || !strings.Contains(page, "入户核实") {
			t.Errorf("expected the case in 入户核实 with the flash 已提交, got %s", page)
		}
	})
	t.Run("InvalidPostKeepsValuesAndShowsErrors", func(t *testing.T) {
		ts := newTestServer(t)
		post := url.Values{"version": {"3"}, "head_id": {"12345"}, "_rows.members": {"2"}, "members[0].name": {"张三"}, "members[1].name": {""}, "reason": {"因病住院"}}
		rec := ts.browse("POST", "/cases/1/fire/submit", "cun", post)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("expected 422, got %d: %s", rec.Code, body)
		}
		for _, want := range []string{
			`class="error-summary"`, `href="#f-head_name"`, "户主姓名：请填写户主姓名",
			`id="f-head_id-error"`, "身份证号应为18位", `value="12345"`, `aria-describedby="f-head_id-hint f-head_id-error"`,
			`aria-invalid="true"`, `id="f-members-1-name-error"`, "家庭成员 第2行 · 姓名：请填写姓名", "因病住院",
			`value="3"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q in the failed form, got %s", want, body)
			}
		}
		if len(ts.svc.firedCalls()) != 0 {
			t.Errorf("expected the refused submission to change nothing")
		}
	})
	t.Run("AddRowRedrawsWithoutSubmitting", func(t *testing.T) {
		ts := newTestServer(t)
		post := url.Values{"version": {"3"}, "head_name": {"张三"}, "_rows.members": {"1"}, "members[0].name": {"张三"}, "_add": {"members"}}
		rec := ts.browse("POST", "/cases/1/fire/submit", "cun", post)
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, `name="members[1].name"`) || !strings.Contains(body, `value="张三"`) {
			t.Fatalf("expected 200 with a second row and the values kept, got %d: %s", rec.Code, body)
		}
		if strings.Contains(body, "error-summary") || len(ts.svc.firedCalls()) != 0 {
			t.Errorf("expected no validation and no Fire on add-row")
		}
	})
	t.Run("RemoveRowMovesLaterRowsUp", func(t *testing.T) {
		ts := newTestServer(t)
		post := url.Values{"version": {"3"}, "_rows.members": {"3"}, "members[0].name": {"甲"}, "members[1].name": {"乙"}, "members[2].name": {"丙"}, "_remove": {"members[1]"}}
		body := ts.browse("POST", "/cases/1/fire/submit", "cun", post).Body.String()
		if strings.Contains(body, "乙") || strings.Contains(body, `name="members[2].name"`) {
			t.Errorf("expected row 乙 gone and two rows left, got %s", body)
		}
		if !strings.Contains(body, `name="members[1].name" type="text" value="丙"`) {
			t.Errorf("expected 丙 to move up to row 1, got %s", body)
		}
	})
	t.Run("StalePageIsConflictLinkingBack", func(t *testing.T) {
		ts := newTestServer(t)
		stale := url.Values{}
		for k, v := range valid {
			stale[k] = v
		}
		stale.Set("version", "2")
		rec := ts.browse("POST", "/cases/1/fire/submit", "cun", stale)
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "案件已被他人更新") || !strings.Contains(rec.Body.String(), `href="/cases/1"`) {
			t.Errorf("expected 409 with the service's message and a link to the case, got %d: %s", rec.Code, rec.Body)
		}
	})
	t.Run("ActionNotOfferedIsRefused", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("GET", "/cases/1/fire/submit", "xiang", nil)
		if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), msgActionGone) {
			t.Errorf("expected 409 explaining the action is not available, got %d: %s", rec.Code, rec.Body)
		}
	})
	t.Run("MissingVersionIsBadRequest", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/cases/1/fire/submit", "cun", url.Values{"head_name": {"张三"}})
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), msgStaleForm) {
			t.Errorf("expected 400 asking to reopen the page, got %d: %s", rec.Code, rec.Body)
		}
	})
	t.Run("ActionWithoutFormAsksConfirmation", func(t *testing.T) {
		ts := newTestServer(t)
		if rec := ts.browse("POST", "/cases/1/fire/submit", "cun", valid); rec.Code != http.StatusSeeOther {
			t.Fatalf("setup: expected the submit to pass, got %d: %s", rec.Code, rec.Body)
		}
		body := ts.browse("GET", "/cases/1/fire/confirm", "cun", nil).Body.String()
		if !strings.Contains(body, "确认办理「核实通过」") || !strings.Contains(body, `name="version" value="4"`) {
			t.Errorf("expected a confirmation form at version 4, got %s", body)
		}
		rec := ts.browse("POST", "/cases/1/fire/confirm", "cun", url.Values{"version": {"4"}})
		if rec.Code != http.StatusSeeOther {
			t.Errorf("expected the confirmation to fire, got %d: %s", rec.Code, rec.Body)
		}
	})
}

func TestTaskFormPage(t *testing.T) {
	t.Run("LiaisonCompletesTask", func(t *testing.T) {
		ts := newTestServer(t)
		body := ts.browse("GET", "/tasks/7", "gongan", nil).Body.String()
		if !strings.Contains(body, "部门核查") || !strings.Contains(body, `name="result"`) || strings.Contains(body, `name="version"`) {
			t.Fatalf("expected the department check form without a version, got %s", body)
		}
		rec := ts.browse("POST", "/tasks/7", "gongan", url.Values{"result": {"无异常"}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/tasks" {
			t.Fatalf("expected 303 to /tasks, got %d: %s", rec.Code, rec.Body)
		}
		if len(ts.svc.completed) != 1 || ts.svc.completed[0]["result"] != "无异常" {
			t.Errorf("expected CompleteTask with result 无异常, got %v", ts.svc.completed)
		}
	})
	t.Run("InvalidTaskKeepsValues", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/tasks/7", "gongan", url.Values{"finding": {"车辆一辆"}})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "请填写核查结果") || !strings.Contains(body, "车辆一辆") {
			t.Errorf("expected 422 with the error and the finding kept, got %d: %s", rec.Code, body)
		}
	})
	t.Run("DoneTaskShowsNoForm", func(t *testing.T) {
		ts := newTestServer(t)
		body := ts.browse("GET", "/tasks/8", "gongan", nil).Body.String()
		if !strings.Contains(body, msgTaskClosed) || strings.Contains(body, "<form class=\"form\"") || !strings.Contains(body, "孙警官") {
			t.Errorf("expected a closed task without form, got %s", body)
		}
	})
	t.Run("OtherDepartmentIsForbidden", func(t *testing.T) {
		ts := newTestServer(t)
		if rec := ts.browse("GET", "/tasks/7", "cun", nil); rec.Code != http.StatusForbidden {
			t.Errorf("expected 403, got %d", rec.Code)
		}
	})
}

func TestRequestLog(t *testing.T) {
	ts := newTestServer(t)
	ts.browse("GET", "/households?q="+fakeHeadID, "cun", nil)
	ts.api("POST", "/api/v1/households", "tok-cun", `{"head_name":"王五","id_number":"`+fakeSpouseID+`","locality":"510104001001"}`)
	ts.browse("GET", "/cases/1", "cun", nil)
	lines := strings.Split(strings.TrimSpace(ts.logs.String()), "\n")
	t.Run("OneLinePerRequest", func(t *testing.T) {
		if len(lines) != 3 {
			t.Fatalf("expected 3 log lines, got %d: %q", len(lines), lines)
		}
	})
	t.Run("RoutePatternStatusAndUser", func(t *testing.T) {
		for i, want := range []string{"route=/households status=200 ", "route=/api/v1/households status=201 ", "route=/cases/:id status=200 "} {
			if !strings.Contains(lines[i], want) || !strings.Contains(lines[i], "user=cun") || !strings.Contains(lines[i], "duration=") {
				t.Errorf("expected line %d to contain %q, user=cun and duration, got %q", i, want, lines[i])
			}
		}
	})
	t.Run("NoQueryOrBodyInLog", func(t *testing.T) {
		log := ts.logs.String()
		if strings.Contains(log, fakeHeadID) || strings.Contains(log, fakeSpouseID) || strings.Contains(log, "q=") {
			t.Errorf("expected no query string or body in the log, got %s", log)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.browse("GET", "/login", "", nil)
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "no-store",
		"X-Frame-Options":        "DENY",
	} {
		if got := rec.Header().Get(header); got != want {
			t.Errorf("expected %s: %s, got %q", header, want, got)
		}
	}
	css := ts.browse("GET", "/static/style.css", "", nil)
	if css.Code != http.StatusOK || !strings.Contains(css.Body.String(), ".field-error") {
		t.Errorf("expected the embedded stylesheet, got %d", css.Code)
	}
}
