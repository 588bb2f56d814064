package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jianfu/ent/storetest"
	"jianfu/forms/sheets"
)

// listImportTimeout bounds the wait for a small list's import to finish.
const listImportTimeout = 20 * time.Second

// The medical-insurance liaison on a phone uploads a month's list of three
// rows: a 桃园村 household with no open case, one in the middle of 识别纳入
// and a wrong 身份证号. The import page reloads itself until it says 已完成,
// with one task started, one row recorded on the open case and one error;
// the village cadre finds the new 村级入户核实 in the inbox and the warning
// in the other case's history.
func TestBrowserListImportOnPhone(t *testing.T) {
	chromium := findChromium(t)
	e := startE2E(t, storetest.TestDatabases(t)[0].DSN)
	head, id, _ := householdToFlag(t, e, "village11", false)
	busyHead, busyID, busyCase := householdToFlag(t, e, "village11", true)
	before := openTaskCount(t, e, "village11")
	list := writeList(t, [][]string{{head, id, "18000"}, {busyHead, busyID, "26000"}, {"赵六", badID, ""}})

	p := openPhone(t, chromium)
	p.follow(t, "OpenLists", 200, "/login", chromedp.Navigate(e.srv.URL+"/lists"))
	p.do(t, "TypeCredentials",
		chromedp.SendKeys(chromedp.ID("username"), "liaison-yibao"),
		chromedp.SendKeys(chromedp.ID("password"), "demo"),
	)
	p.follow(t, "SignIn", 200, "/lists", chromedp.Tap(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if got := p.text(t, ".list h2"); got != "医保大额医疗费用预警" {
		t.Fatalf("the first list on 预警名单 is %q, want 医保大额医疗费用预警", got)
	}
	p.screenshot(t, "lists")

	p.do(t, "ChooseList",
		chromedp.SetValue(chromedp.ID("list-0-period"), "2026-11"),
		chromedp.SetUploadFiles(chromedp.ID("list-0-file"), []string{list}),
	)
	importPath := p.followPrefix(t, "Upload", "/lists/imports/",
		chromedp.Tap(chromedp.CSS(`form[action="/lists/department_warning"] button.primary`)))
	p.waitForStatus(t, "已完成")

	t.Run("Counts", func(t *testing.T) {
		for sel, want := range map[string]string{"#count-started": "1", "#count-duplicates": "0", "#count-open": "1", "#count-problems": "1"} {
			if got := p.text(t, sel); got != want {
				t.Errorf("%s on %s reads %q, want %q", sel, importPath, got, want)
			}
		}
		if got := p.text(t, ".progress label"); got != "已处理 3 / 共 3 行" {
			t.Errorf("the progress reads %q, want 已处理 3 / 共 3 行", got)
		}
		if got := p.text(t, `a[href$="/problems.xlsx"]`); got != "下载问题行（.xlsx）" {
			t.Errorf("the problem sheet link reads %q", got)
		}
	})
	t.Run("NoFullIDNumberShown", func(t *testing.T) {
		if m := fullID.FindString(p.text(t, "main")); m != "" {
			t.Errorf("the import page shows the full 身份证号 %s", m)
		}
	})
	p.screenshot(t, "list-import")

	t.Run("VillageCadreHasTheCheck", func(t *testing.T) {
		if after := openTaskCount(t, e, "village11"); after != before+1 {
			t.Errorf("village11 has %d open tasks after the import, want %d + 1", after, before)
		}
		tasks := e.must(t, 200, "village11", "GET", "/api/v1/tasks?per_page=200", nil)
		items, _ := tasks["items"].([]any)
		found := false
		for _, it := range items {
			task, _ := it.(map[string]any)
			if str(task["workflow"]) == "department_warning" && str(task["household"]) == head {
				found = true
			}
		}
		if !found {
			t.Errorf("no department_warning task for %s in village11's inbox: %v", head, items)
		}
	})
	t.Run("WarningOnTheOpenCase", func(t *testing.T) {
		c := e.must(t, 200, "village11", "GET", "/api/v1/cases/"+strconv.Itoa(busyCase), nil)
		history, _ := c["history"].([]any)
		if len(history) == 0 {
			t.Fatalf("case %d has no history: %v", busyCase, c)
		}
		last, _ := history[len(history)-1].(map[string]any)
		if str(last["trigger"]) != "list_warning" || str(last["trigger_title"]) != "部门预警（医保大额医疗费用预警）" ||
			!strings.Contains(str(last["reason"]), "第3行") {
			t.Errorf("case %d's history ends with %v; want the 医保 warning of line 3", busyCase, last)
		}
		// Its open task says so in the cadre's inbox (the badge 部门预警).
		tasks := e.must(t, 200, "village11", "GET", "/api/v1/tasks?per_page=200", nil)
		items, _ := tasks["items"].([]any)
		var warned []any
		for _, it := range items {
			task, _ := it.(map[string]any)
			if num(task["case_id"]) == busyCase {
				warned = append(warned, task["warnings"])
			}
		}
		if len(warned) == 0 || warned[0] != float64(1) {
			t.Errorf("warnings of case %d's tasks in village11's inbox = %v; want 1", busyCase, warned)
		}
	})
	t.Run("VillageCadreSeesTheBadge", func(t *testing.T) {
		p.follow(t, "SignOut", 200, "/login", chromedp.Tap(chromedp.CSS(`form.logout button`)))
		p.do(t, "TypeVillageCredentials",
			chromedp.SendKeys(chromedp.ID("username"), "village11"),
			chromedp.SendKeys(chromedp.ID("password"), "demo"),
		)
		p.follow(t, "SignInVillage", 200, "/tasks", chromedp.Tap(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
		casePath := "/cases/" + strconv.Itoa(busyCase)
		p.follow(t, "OpenBusyCase", 200, casePath, chromedp.Navigate(e.srv.URL+casePath))
		if got := p.text(t, ".badge.warning"); got != "部门预警" {
			t.Errorf("the open task on %s shows the badge %q, want 部门预警", casePath, got)
		}
		p.screenshot(t, "case-warning")
	})
	t.Run("NoFullIDNumberLogged", func(t *testing.T) {
		logs := e.logs.String()
		if !strings.Contains(logs, "/lists/:workflow") {
			t.Fatalf("the request log does not name the upload route; this check would prove nothing:\n%.2000s", logs)
		}
		for _, n := range []string{id, busyID, badID} {
			if strings.Contains(logs, n) {
				t.Errorf("the log contains the full 身份证号 %s", n)
			}
		}
	})
}

// householdToFlag returns the head's name and full 身份证号 of the first
// household the cadre sees with (busy) or without an open case, read
// through the service as the department's own registry would have it, and
// that open case.
func householdToFlag(t *testing.T, e *e2e, cadre string, busy bool) (string, string, int) {
	t.Helper()
	ctx := t.Context()
	u, err := e.app.Service.UserByToken(ctx, e.login(t, cadre))
	if err != nil {
		t.Fatalf("user %s: %v", cadre, err)
	}
	hs, err := e.app.Service.Households(ctx, u, "", 50)
	if err != nil {
		t.Fatalf("households of %s: %v", cadre, err)
	}
	for _, found := range hs {
		cases, err := e.app.Service.Cases(ctx, u, found.ID)
		if err != nil {
			t.Fatalf("cases of household %d: %v", found.ID, err)
		}
		open := 0
		for _, c := range cases {
			if !c.Final {
				open = c.ID
			}
		}
		if busy != (open != 0) {
			continue
		}
		h, err := e.app.Service.Household(ctx, u, found.ID)
		if err != nil || h.IDNumber == "" {
			t.Fatalf("household %d: no 身份证号 (err %v)", found.ID, err)
		}
		e.idNums = append(e.idNums, h.IDNumber)
		return h.HeadName, h.IDNumber, open
	}
	t.Fatalf("%s sees no household with open cases = %v among %d", cadre, busy, len(hs))
	return "", "", 0
}

func openTaskCount(t *testing.T, e *e2e, user string) int {
	t.Helper()
	return num(e.must(t, 200, user, "GET", "/api/v1/tasks?per_page=1", nil)["total"])
}

// writeList writes the rows (姓名, 身份证号, 自付医疗费用) as an .xlsx under the
// test's temporary directory and returns its path.
func writeList(t *testing.T, rows [][]string) string {
	t.Helper()
	var buf bytes.Buffer
	i := 0
	next := func() ([]string, bool) {
		if i == len(rows) {
			return nil, false
		}
		i++
		return rows[i-1], true
	}
	if err := sheets.WriteSheet(&buf, "名单", []string{"姓名", "身份证号", "自付医疗费用"}, next); err != nil {
		t.Fatalf("write list: %v", err)
	}
	path := filepath.Join(t.TempDir(), "医保预警-2026年11月.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatalf("write list: %v", err)
	}
	return path
}

// followPrefix is follow for a page whose path is known only by its start
// (the new import's); it returns the path.
func (p *phone) followPrefix(t *testing.T, name, prefix string, actions ...chromedp.Action[chromedp.Void]) string {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil || resp == nil {
		t.Fatalf("%s: no page loaded (%v)", name, err)
	}
	u, err := url.Parse(resp.URL)
	if err != nil || resp.Status != 200 || !strings.HasPrefix(u.Path, prefix) {
		t.Fatalf("%s: landed on %s with status %d, want %s… with 200", name, resp.URL, resp.Status, prefix)
	}
	return u.Path
}

// waitForStatus waits until the import page, which reloads itself every
// few seconds while the import runs, shows status want.
func (p *phone) waitForStatus(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(listImportTimeout)
	last := ""
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		// A read may meet the page between two loads: try again.
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("import-status")))
		cancel()
		if err == nil {
			last = strings.TrimSpace(s)
			if last == want {
				return
			}
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("the import page still says %q after %s, want %q", last, listImportTimeout, want)
}
