package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"jianfu/forms"
	"jianfu/workflows"
)

func TestCheckReportsLineNumberedProblems(t *testing.T) {
	file := filepath.Join("testdata", "check", "broken_workflow.yaml")
	var stdout, stderr bytes.Buffer
	code := check([]string{file}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit code %d, want 1; stdout %q stderr %q", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, tc := range []struct{ name, want string }{
		{"UnknownState", file + ":13: states.application.on.submit.to:"},
		{"UnknownRole", file + ":16: states.verification.role:"},
		{"ExpressionDoesNotCompile", file + ":21: states.verification.on.confirm.when:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("no line starting %q in:\n%s", tc.want, out)
			}
		})
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, file+":") {
			t.Errorf("line %q is not FILE:LINE: path: message", line)
		}
	}
}

// Every built-in definition passes the linter, checked the way an
// administrator would: `jianfu check` on the files.
func TestCheckAcceptsEveryBuiltin(t *testing.T) {
	dir := t.TempDir()
	var files []string
	calendar := map[string][]byte{"calendar.yaml": workflows.BuiltinCalendarSource()}
	for _, set := range []map[string][]byte{forms.Builtin(), workflows.Builtin(), calendar} {
		for name, src := range set {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, src, 0o600); err != nil {
				t.Fatal(err)
			}
			files = append(files, path)
		}
	}
	sort.Strings(files)
	if len(files) < 11 {
		t.Fatalf("only %d built-in definitions; expected the ten forms and the identification workflow", len(files))
	}
	var stdout, stderr bytes.Buffer
	if code := check(files, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d on the built-ins:\n%s%s", code, stdout.String(), stderr.String())
	}
}

func TestCheckReportsABrokenCalendar(t *testing.T) {
	file := filepath.Join(t.TempDir(), "calendar.yaml")
	if err := os.WriteFile(file, []byte("holidays:\n  - 2026-02-30\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := check([]string{file}, &stdout, &stderr); code != 1 || !strings.HasPrefix(stdout.String(), file+":") {
		t.Fatalf("exit %d, output %q; want 1 and a FILE:LINE line", code, stdout.String())
	}
}
