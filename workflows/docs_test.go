package workflows

import (
	"os"
	"regexp"
	"testing"
)

// TestDocExamples checks every yaml example of docs/workflows.md: it must be
// a complete definition that compiles against the built-in forms, and a case
// must start on it.
func TestDocExamples(t *testing.T) {
	page, err := os.ReadFile("../docs/workflows.md")
	if err != nil {
		t.Fatalf("read the language reference: %v", err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(page, -1)
	if len(blocks) < 10 {
		t.Fatalf("docs/workflows.md has %d yaml examples, want one per construct (at least 10)", len(blocks))
	}
	cat := builtinForms(t)
	ids := map[string]bool{}
	for _, m := range blocks {
		d, err := Parse("workflows.md", m[1])
		if err != nil {
			t.Errorf("example does not parse:\n%v\n%s", err, m[1])
			continue
		}
		t.Run(d.ID, func(t *testing.T) {
			if ids[d.ID] {
				t.Errorf("two examples with id %s", d.ID)
			}
			ids[d.ID] = true
			if err := d.Compile(cat); err != nil {
				t.Fatalf("example does not compile:\n%v", err)
			}
			e := &Engine{Auth: newFakeAuth(d), Forms: formSource(cat), Calendar: BuiltinCalendar()}
			if _, err := e.Start(t.Context(), d, User{Username: "admin"}, household, at(t, "2026-03-02 09:00")); err != nil {
				t.Errorf("Start: %v", err)
			}
		})
	}
}
