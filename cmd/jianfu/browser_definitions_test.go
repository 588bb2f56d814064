package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jianfu/ent/storetest"
)

// An administrator on a phone opens 入户核实表's definition, edits it into
// a broken text, finds the problem linked to its line with the text kept,
// corrects it and publishes version 2.
func TestBrowserAdminPublishesDefinition(t *testing.T) {
	chromium := findChromium(t)
	e := startE2E(t, storetest.TestDatabases(t)[0].DSN)
	p := openPhone(t, chromium)
	const (
		showPath = "/definitions/form/household_verification"
		check    = `.form-actions button[name="check"]`
		publish  = `.form-actions button[type="submit"]:not([name])`
	)

	p.follow(t, "OpenLogin", 200, "/login", chromedp.Navigate(e.srv.URL+"/login"))
	p.do(t, "TypeCredentials",
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), "demo"),
	)
	p.follow(t, "SignIn", 200, "/definitions", chromedp.Tap(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	p.follow(t, "OpenDefinition", 200, showPath, chromedp.Tap(chromedp.CSS(`a.card-link[href="`+showPath+`"]`)))
	if got := p.text(t, "main h1"); got != "入户核实表" {
		t.Errorf("the definition page is headed %q, want 入户核实表", got)
	}
	if got := p.text(t, ".preview"); !strings.Contains(got, "家庭成员") {
		t.Errorf("the form preview reads %q, want the form's fields", got)
	}
	p.screenshot(t, "definition-show")

	p.follow(t, "Edit", 200, "/definitions/new", chromedp.Tap(chromedp.CSS(`a.button[href^="/definitions/new?"]`)))
	original := p.value(t, "f-source")
	const good = "{name: head_name, type: text,"
	if !strings.Contains(original, good) {
		t.Fatalf("the text box does not hold the definition's text:\n%.500s", original)
	}
	line := strings.Count(original[:strings.Index(original, good)], "\n") + 1
	broken := strings.Replace(original, good, "{name: head_name, type: txt,", 1)
	p.do(t, "Break", chromedp.SetValue(chromedp.ID("f-source"), broken))
	p.follow(t, "PublishBroken", 422, "/definitions/new", chromedp.Tap(chromedp.CSS(publish)))
	t.Run("ProblemOnItsLine", func(t *testing.T) {
		link := p.text(t, ".error-summary li a")
		if want := "第" + strconv.Itoa(line) + "行"; !strings.HasPrefix(link, want) || !strings.Contains(link, "txt") {
			t.Errorf("the summary reads %q, want it to start with %s and name the unknown type", link, want)
		}
		if got := p.text(t, "#L"+strconv.Itoa(line)+".bad"); !strings.Contains(got, "type: txt") {
			t.Errorf("the marked line reads %q, want the broken line", got)
		}
		if got := p.value(t, "f-source"); got != broken {
			t.Error("the text box lost the administrator's text")
		}
	})
	p.screenshot(t, "definition-problems")
	// The summary's link brings the marked line on screen.
	p.do(t, "TapProblem", chromedp.Tap(chromedp.CSS(".error-summary li a")),
		chromedp.Poll[chromedp.Void](`location.hash === "#L`+strconv.Itoa(line)+`" || undefined`,
			chromedp.WithPollingTimeout(5*time.Second)))
	p.screenshot(t, "definition-problem-line")

	fixed := strings.Replace(original, "title: 入户核实表", "title: 入户核实表（信息采集）", 1)
	p.do(t, "Fix", chromedp.SetValue(chromedp.ID("f-source"), fixed))
	p.follow(t, "Check", 200, "/definitions/new", chromedp.Tap(chromedp.CSS(check)))
	if got := p.text(t, "main .notice"); !strings.Contains(got, "检查通过") {
		t.Errorf("the check says %q, want 检查通过", got)
	}
	if got := p.text(t, ".preview"); !strings.Contains(got, "家庭成员") {
		t.Errorf("the preview reads %q, want the form's fields", got)
	}
	p.follow(t, "Publish", 200, showPath, chromedp.Tap(chromedp.CSS(publish)))
	if got := p.text(t, ".flash"); got != "定义已发布" {
		t.Errorf("the flash reads %q, want 定义已发布", got)
	}
	if got := p.text(t, "main h1"); got != "入户核实表（信息采集）" {
		t.Errorf("the published version is headed %q, want the new title", got)
	}
	if got := p.text(t, "main dl.facts"); !strings.Contains(got, "第2版（共2版）") {
		t.Errorf("the facts read %q, want 第2版（共2版）", got)
	}
	p.follow(t, "Compare", 200, showPath+"/diff", chromedp.Tap(chromedp.CSS(`a[href^="`+showPath+`/diff"]`)))
	if got := p.text(t, ".diff tr.ins"); !strings.Contains(got, "title: 入户核实表（信息采集）") {
		t.Errorf("the added line reads %q, want the new title", got)
	}
	p.screenshot(t, "definition-diff")
}
