package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"jianfu/workflows"
)

// badDefinition has two problems: a field without a type (line 4) and a
// select whose choices are missing (line 5).
const badDefinition = "id: check\ntitle: 部门核查\nfields:\n  - {name: result, label: 核查结果}\n  - {name: finding, type: select, label: 核查发现}\n"

// An administrator lists the definitions, reads one with its form's
// preview, and publishes: problems come back on their lines with the
// text kept; a good text is published and shown. Nobody else gets the
// pages.
func TestDefinitionPages(t *testing.T) {
	ts := newTestServer(t)
	mustContain := func(t *testing.T, body string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("expected %q in the page, got %s", w, body)
			}
		}
	}
	t.Run("List", func(t *testing.T) {
		rec := ts.browse("GET", "/definitions", "admin", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		mustContain(t, rec.Body.String(), `<a href="/definitions" aria-current="page">定义</a>`, "<h2>表单</h2>", "申请及承诺授权书",
			`href="/definitions/form/application"`, "<h2>流程</h2>", "监测对象识别纳入", "第2版")
	})
	t.Run("CalendarDue", func(t *testing.T) {
		// The fake's calendar has 2026 only, and its clock reads October.
		body := ts.browse("GET", "/definitions", "admin", nil).Body.String()
		mustContain(t, body, "节假日历还没有2027年的安排", `href="/definitions/calendar/calendar"`)
		ts.svc.now = fakeTime("2026-09-30T09:00:00+08:00")
		defer func() { ts.svc.now = fakeTime("2026-10-12T09:00:00+08:00") }()
		if body := ts.browse("GET", "/definitions", "admin", nil).Body.String(); strings.Contains(body, "节假日历还没有") {
			t.Error("in September the page already asks for next year's calendar")
		}
	})
	t.Run("AdminHome", func(t *testing.T) {
		if got := ts.browse("GET", "/", "admin", nil).Header().Get("Location"); got != "/definitions" {
			t.Errorf("an administrator's home redirects to %q, want /definitions", got)
		}
		if got := ts.browse("GET", "/", "cun", nil).Header().Get("Location"); got != "/tasks" {
			t.Errorf("a cadre's home redirects to %q, want /tasks", got)
		}
	})
	t.Run("OthersRefused", func(t *testing.T) {
		for _, path := range []string{"/definitions", "/definitions/form/application", "/definitions/new"} {
			if rec := ts.browse("GET", path, "xian", nil); rec.Code != http.StatusForbidden {
				t.Errorf("GET %s as a county cadre: %d, want 403", path, rec.Code)
			}
		}
		if rec := ts.browse("POST", "/definitions/new", "xian", url.Values{"source": {checkYAML}}); rec.Code != http.StatusForbidden {
			t.Errorf("publishing as a county cadre: %d, want 403", rec.Code)
		}
		if body := ts.browse("GET", "/tasks", "xian", nil).Body.String(); strings.Contains(body, `href="/definitions"`) {
			t.Error("the navigation offers 定义 to a county cadre")
		}
	})
	t.Run("Show", func(t *testing.T) {
		body := ts.browse("GET", "/definitions/form/application", "admin", nil).Body.String()
		mustContain(t, body, `<li id="L1"><code>id: application</code>`, `<fieldset class="form preview" disabled>`,
			`name="head_name"`, `href="/definitions/new?id=application&amp;kind=form&amp;version=1"`, "第1版（共1版）")
		if rec := ts.browse("GET", "/definitions/form/application?version=9", "admin", nil); rec.Code != http.StatusNotFound {
			t.Errorf("a version that does not exist: %d, want 404", rec.Code)
		}
	})
	t.Run("EditStartsFromNewest", func(t *testing.T) {
		body := ts.browse("GET", "/definitions/new?kind=form&id=application", "admin", nil).Body.String()
		mustContain(t, body, "<h1>修改「申请及承诺授权书」（基于第1版）</h1>", ">id: application\ntitle: 申请及承诺授权书",
			`href="/definitions/form/application?version=1"`, `name="base_id" value="application"`, `name="base_newest" value="1"`)
	})
	t.Run("ProblemsOnTheirLines", func(t *testing.T) {
		rec := ts.browse("POST", "/definitions/new", "admin", url.Values{"source": {badDefinition}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", rec.Code, rec.Body)
		}
		body := rec.Body.String()
		mustContain(t, body, "发布未成功", `<a href="#L4">第4行 · fields[0]`, `<li id="L4" class="bad">`,
			`>id: check`+"\n"+`title: 部门核查`)
		if strings.Contains(body, `<li id="L1" class="bad">`) {
			t.Error("line 1 is marked, but has no problem")
		}
	})
	t.Run("EmptyRefused", func(t *testing.T) {
		rec := ts.browse("POST", "/definitions/new", "admin", url.Values{"source": {"  \n"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "请填写定义原文") {
			t.Errorf("an empty text: %d, want 422 saying what to do: %s", rec.Code, rec.Body)
		}
	})
	t.Run("Published", func(t *testing.T) {
		rec := ts.browse("POST", "/definitions/new", "admin", url.Values{"source": {checkYAML}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/definitions/form/check?version=2" {
			t.Fatalf("publishing: %d to %q, want 303 to the new version", rec.Code, rec.Header().Get("Location"))
		}
		body := ts.browse("GET", "/definitions/form/check?version=2", "admin", nil, rec.Result().Cookies()...).Body.String()
		mustContain(t, body, "定义已发布", "部门核查", "第2版（共1版）", `name="result"`)
		rec = ts.browse("POST", "/definitions/new", "admin", url.Values{"source": {checkYAML}})
		flash := ts.browse("GET", rec.Header().Get("Location"), "admin", nil, rec.Result().Cookies()...).Body.String()
		mustContain(t, flash, "内容与现有的版本相同，未生成新版本")
	})
}

// 检查并预览 lints without publishing: a good text shows its form as
// cadres would see it, a bad one its problems on their lines.
func TestDefinitionCheck(t *testing.T) {
	ts := newTestServer(t)
	before := len(ts.svc.defs)
	rec := ts.browse("POST", "/definitions/new", "admin", url.Values{"source": {checkYAML}, "check": {"1"}})
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	for _, want := range []string{"检查通过：表单「部门核查」（check），尚未发布。", `<fieldset class="form preview" disabled>`,
		`name="result"`, ">id: check\ntitle: 部门核查"} {
		if !strings.Contains(body, want) {
			t.Errorf("expected %q in the checked page, got %s", want, body)
		}
	}
	if len(ts.svc.defs) != before {
		t.Error("检查并预览 published the definition")
	}
	rec = ts.browse("POST", "/definitions/new", "admin", url.Values{"source": {badDefinition}, "check": {"1"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `<li id="L4" class="bad">`) {
		t.Errorf("a bad text checked: %d, want 422 with line 4 marked: %s", rec.Code, rec.Body)
	}
}

func TestLineDiff(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string // kind:old:new:text per line of every hunk
	}{
		{"Same", "a\nb\n", "a\nb\n", nil},
		{"Changed", "a\nb\nc\n", "a\nB\nc\n", []string{"same:1:1:a", "del:2:0:b", "ins:0:2:B", "same:3:3:c"}},
		{"Added", "a\n", "a\nb\n", []string{"same:1:1:a", "ins:0:2:b"}},
		{"LineEndsDoNotCount", "a\r\nb\r\n", "a\nB\n", []string{"same:1:1:a", "del:2:0:b", "ins:0:2:B"}},
		{"NoFinalNewline", "a", "a\nb", []string{"del:1:0:a", "ins:0:1:a", "ins:0:2:b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hunks, err := lineDiff(tt.old, tt.new)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hunks {
				for _, l := range h.Lines {
					got = append(got, l.Kind+":"+strconv.Itoa(l.Old)+":"+strconv.Itoa(l.New)+":"+l.Text)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("lines = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDefinitionDiffPage(t *testing.T) {
	ts := newTestServer(t)
	show := ts.browse("GET", "/definitions/workflow/identification", "admin", nil).Body.String()
	if !strings.Contains(show, `href="/definitions/workflow/identification/diff?from=1&amp;to=2"`) {
		t.Errorf("version 2's page has no link to compare with version 1: %s", show)
	}
	rec := ts.browse("GET", "/definitions/workflow/identification/diff?from=1&to=2", "admin", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	for _, want := range []string{"第1版 → 第2版：新增 2 行，删去 1 行", `<tr class="del">`, "notice_days: 5",
		`<tr class="ins">`, "income_line: 6000", "返回第2版"} {
		if !strings.Contains(body, want) {
			t.Errorf("expected %q in the diff, got %s", want, body)
		}
	}
	old := ts.browse("GET", "/definitions/workflow/identification?version=1", "admin", nil).Body.String()
	for _, want := range []string{"这是旧版本，现行为第2版。", `href="/definitions/workflow/identification?version=2"`,
		`href="/definitions/workflow/identification/diff?from=1&amp;to=2">与现行版本比较</a>`, "以第1版为底稿修改"} {
		if !strings.Contains(old, want) {
			t.Errorf("expected %q on version 1's page, got %s", want, old)
		}
	}
	edit := ts.browse("GET", "/definitions/new?kind=workflow&id=identification&version=1", "admin", nil).Body.String()
	if !strings.Contains(edit, "您正以第1版为底稿修改，现行为第2版：发布后，第2版以来的修改将不再保留。") {
		t.Errorf("editing from version 1 does not warn that version 2's changes go: %s", edit)
	}
	if rec := ts.browse("GET", "/definitions/workflow/identification/diff?from=2&to=2", "admin", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("comparing a version with itself: %d, want 400", rec.Code)
	}
	if rec := ts.browse("GET", "/definitions/workflow/identification/diff", "xian", nil); rec.Code != http.StatusForbidden {
		t.Errorf("a county cadre: %d, want 403", rec.Code)
	}
}

// A workflow's page lists its steps: who acts, in what time, which
// departments check, where each action leads.
func TestDefinitionWorkflowSteps(t *testing.T) {
	ts := newTestServer(t)
	body := ts.browse("GET", "/definitions/workflow/identification", "admin", nil).Body.String()
	for _, want := range []string{"<h2>流程步骤</h2>", `<span class="step-title">乡镇审核</span>`,
		"乡镇办理 · 限10个工作日 · 公示期5个工作日，期满方可办理 · 部门核查：教育、住建，限7个工作日", "<li>退回 → 农户申请</li>",
		"办结：纳入，转入「monitoring」", `<a href="/definitions/form/application">申请及承诺授权书</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("expected %q on the workflow's page, got %s", want, body)
		}
	}
}

// An edit is refused when its text names another definition, or when a
// newer version appeared while it was open; a file that is not UTF-8 text
// is refused and the box keeps its text.
func TestDefinitionEditGuards(t *testing.T) {
	ts := newTestServer(t)
	base := url.Values{"base_kind": {"form"}, "base_id": {"application"}, "base_title": {"申请及承诺授权书"},
		"base_version": {"1"}, "base_newest": {"1"}}
	with := func(v url.Values, kv ...string) url.Values {
		out := url.Values{}
		for k, vs := range v {
			out[k] = vs
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	before := len(ts.svc.defs)
	rec := ts.browse("POST", "/definitions/new", "admin", with(base, "source", checkYAML))
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "原文的编号（id）已从「application」改为「check」") {
		t.Errorf("an edit whose id changed: %d, want 409 saying so: %s", rec.Code, rec.Body)
	}
	if len(ts.svc.defs) != before {
		t.Error("the edit with another id was published")
	}
	ts.svc.defs = append(ts.svc.defs, workflows.DefinitionInfo{Kind: "form", ID: "application", Version: 2, Title: "申请及承诺授权书",
		Published: true, CreatedAt: ts.svc.now})
	rec = ts.browse("POST", "/definitions/new", "admin", with(base, "source", applicationYAML))
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "在您修改期间已发布了第2版") {
		t.Errorf("an edit overtaken by version 2: %d, want 409 saying so: %s", rec.Code, rec.Body)
	}
	for _, f := range []struct {
		name, want string
		content    []byte
	}{
		{"gbk.yaml", "不是 UTF-8 编码", []byte("id: x\ntitle: \xc8\xeb\xbb\xa7\n")},
		{"photo.png", "不是文本文件", pngBytes},
	} {
		rec := ts.postMultipart(t, "/definitions/new", "admin", url.Values{"source": {"id: kept\n"}},
			upload{field: "file", name: f.name, contentType: "application/octet-stream", content: f.content})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, f.want) || !strings.Contains(body, ">id: kept\n</textarea>") {
			t.Errorf("uploading %s: %d, want 422 saying %q with the box kept: %s", f.name, rec.Code, f.want, body)
		}
	}
}
