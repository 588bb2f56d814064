package ui

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAPILists(t *testing.T) {
	runAPIScenarios(t, []apiScenario{
		{name: "LiaisonGetsListWithColumns", method: "GET", url: "/api/v1/lists", token: "tok-yibao", status: 200,
			contains: []string{`"workflow":"department_warning"`, `"department":"medical_insurance"`, `"department_title":"医保"`,
				`"title":"医保大额医疗费用预警"`, `{"name":"id_number","label":"身份证号","required":true}`,
				`{"name":"hospital","label":"就诊医疗机构","required":false}`}},
		{name: "OthersGetNone", method: "GET", url: "/api/v1/lists", token: "tok-cun", status: 200, contains: []string{`{"items":[]}`}},
		{name: "ListsNeedToken", method: "GET", url: "/api/v1/lists", status: 401},
		{name: "ImportWithProgress", method: "GET", url: "/api/v1/list-imports/60", token: "tok-yibao", status: 200,
			contains: []string{`"id":60`, `"status":"done"`, `"total":12`, `"processed":12`, `"started":8`, `"duplicates":1`,
				`"open_cases":1`, `"problems":2`, `"percent":100`, `"finished_at":"2026-10-08T10:01:00+08:00"`}},
		{name: "CountySeesImport", method: "GET", url: "/api/v1/list-imports/60", token: "tok-xian", status: 200},
		{name: "AnotherDepartmentsImportIs403", method: "GET", url: "/api/v1/list-imports/60", token: "tok-gongan", status: 403,
			notContains: []string{`"started"`}},
		{name: "UnknownImportIs404", method: "GET", url: "/api/v1/list-imports/999", token: "tok-yibao", status: 404},
		{name: "NonNumericImportIs400", method: "GET", url: "/api/v1/list-imports/x", token: "tok-yibao", status: 400},
	})
}

func TestAPIListUpload(t *testing.T) {
	list := xlsxOf(t, listHeader, goodRow, badRow)
	scenarios := []struct {
		name        string
		token       string
		contentType string // "" for the multipart post
		post        listPost
		status      int
		contains    []string
	}{
		{name: "AcceptedIs202", token: "tok-yibao", post: listPost{period: "2026-10", fileName: "名单.xlsx", content: list},
			status: 202, contains: []string{`"id":101`, `"status":"running"`, `"period":"2026-10"`, `"file_name":"名单.xlsx"`}},
		{name: "BadPeriodIs422", token: "tok-yibao", post: listPost{period: "10/2026", fileName: "名单.xlsx", content: list},
			status: 422, contains: []string{`"field":"period"`, "请填写名单所属年月"}},
		{name: "MissingFileIs422", token: "tok-yibao", post: listPost{period: "2026-10"},
			status: 422, contains: []string{`"field":"file"`}},
		{name: "NotAListIs422", token: "tok-yibao", post: listPost{period: "2026-10", fileName: "名单.xlsx", content: []byte("PK\x03\x04broken")},
			status: 422, contains: []string{`"field":"file"`}},
		{name: "VillageCadreIs403", token: "tok-cun", post: listPost{period: "2026-10", fileName: "名单.xlsx", content: list},
			status: 403},
		{name: "JSONBodyIs400", token: "tok-yibao", contentType: "application/json", status: 400},
		{name: "NoTokenIs401", post: listPost{period: "2026-10", fileName: "名单.xlsx", content: list}, status: 401},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ct, body := sc.post.encode(t)
			if sc.contentType != "" {
				ct, body = sc.contentType, `{"period":"2026-10"}`
			}
			var auth []string
			if sc.token != "" {
				auth = append(auth, "Bearer "+sc.token)
			}
			rec := ts.raw("POST", "/api/v1/lists/department_warning/imports", "", ct, body, auth...)
			if rec.Code != sc.status {
				t.Fatalf("expected %d, got %d: %s", sc.status, rec.Code, rec.Body)
			}
			containsAll(t, "the answer", rec.Body.String(), sc.contains...)
			if !json.Valid(rec.Body.Bytes()) {
				t.Errorf("expected a JSON body, got %s", rec.Body)
			}
		})
	}
	t.Run("ProgressAfterAcceptance", func(t *testing.T) {
		ts := newTestServer(t)
		ct, body := listPost{period: "2026-10", fileName: "名单.xlsx", content: list}.encode(t)
		rec := ts.raw("POST", "/api/v1/lists/department_warning/imports", "", ct, body, "Bearer tok-yibao")
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusAccepted || loc != "/api/v1/list-imports/101" {
			t.Fatalf("expected 202 with Location /api/v1/list-imports/101, got %d %q", rec.Code, loc)
		}
		ts.wait()
		got := ts.api("GET", loc, "tok-yibao", "").Body.String()
		containsAll(t, "the finished import", got, `"status":"done"`, `"total":2`, `"processed":2`, `"started":1`, `"problems":1`, `"percent":100`)
		if strings.Contains(got, fakeHeadID) {
			t.Errorf("the import carries a full 身份证号: %s", got)
		}
	})
}

func TestAPIListProblemsSheet(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.api("GET", "/api/v1/list-imports/60/problems.xlsx", "tok-yibao", "")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != xlsxType {
		t.Fatalf("expected the sheet, got %d %q: %.300s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	_, rows := readSheet(t, rec.Body.Bytes())
	if len(rows) != 4 || !strings.HasPrefix(rows[2].Cells[len(rows[2].Cells)-1], skipPrefix) {
		t.Errorf("expected the 4 problem rows of import 60, the third a skip; got %v", rows)
	}
	for _, sc := range []struct {
		name, token string
		status      int
	}{{"AnotherRoleIs403", "tok-cun", http.StatusForbidden}, {"UnknownImportIs404", "tok-yibao", http.StatusNotFound}} {
		t.Run(sc.name, func(t *testing.T) {
			target := "/api/v1/list-imports/60/problems.xlsx"
			if sc.status == http.StatusNotFound {
				target = "/api/v1/list-imports/999/problems.xlsx"
			}
			rec := ts.api("GET", target, sc.token, "")
			if rec.Code != sc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Errorf("expected %d as JSON, got %d %q: %.200s", sc.status, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		})
	}
}
