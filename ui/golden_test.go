package ui

import (
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestGoldenPages pins the HTML of the main pages. Run with -update after
// an intended change and review the diff.
func TestGoldenPages(t *testing.T) {
	invalid := url.Values{
		"version":         {"3"},
		"head_id":         {"12345"},
		"phone":           {"13800138000"},
		"_rows.members":   {"2"},
		"members[0].name": {"张三"},
		"members[1].name": {""},
		"risks":           {"因学"},
		"channel":         {"APP"},
	}
	pages := []struct {
		name   string
		method string
		url    string
		user   string
		form   url.Values
		status int
	}{
		{name: "login", method: "GET", url: "/login", status: 200},
		{name: "task_list", method: "GET", url: "/tasks", user: "cun", status: 200},
		{name: "form_errors", method: "POST", url: "/cases/1/fire/submit", user: "cun", form: invalid, status: 422},
		{name: "case", method: "GET", url: "/cases/1", user: "cun", status: 200},
		{name: "household", method: "GET", url: "/households/1", user: "cun", status: 200},
		{name: "case_monitoring", method: "GET", url: "/cases/2", user: "cun", status: 200},
		{name: "task_visit", method: "GET", url: "/tasks/9", user: "cun", status: 200},
		{name: "household_new", method: "GET", url: "/households/new", user: "xiang", status: 200},
		{name: "lists", method: "GET", url: "/lists", user: "yibao", status: 200},
		{name: "list_import", method: "GET", url: "/lists/imports/60", user: "yibao", status: 200},
		{name: "definitions", method: "GET", url: "/definitions", user: "admin", status: 200},
		{name: "definition_show", method: "GET", url: "/definitions/form/application", user: "admin", status: 200},
		{name: "definition_problems", method: "POST", url: "/definitions/new", user: "admin", form: url.Values{"source": {badDefinition}}, status: 422},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			ts := newTestServer(t, withAttachments(t, nil))
			rec := ts.browse(p.method, p.url, p.user, p.form)
			if rec.Code != p.status {
				t.Fatalf("expected status %d, got %d: %s", p.status, rec.Code, rec.Body)
			}
			compareGolden(t, p.name, rec.Body.String())
		})
	}
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	// One element per line keeps golden diffs readable.
	got = strings.ReplaceAll(got, "><", ">\n<") + "\n"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (run go test -update to create it): %v", path, err)
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\nexpected %q\ngot      %q\n(run go test -update if the change is intended)", path, i+1, w, g)
		}
	}
}
