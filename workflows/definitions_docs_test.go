package workflows

import (
	"bytes"
	"os"
	"regexp"
	"testing"
)

// TestDefinitionsDocExamples resolves every workflow overlay example of
// docs/definitions.md against the built-in identification and compiles it,
// and parses every calendar example.
func TestDefinitionsDocExamples(t *testing.T) {
	page, err := os.ReadFile("../docs/definitions.md")
	if err != nil {
		t.Fatalf("read docs/definitions.md: %v", err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(page, -1)
	if len(blocks) < 3 {
		t.Fatalf("docs/definitions.md has %d yaml examples, want one per construct (at least 3)", len(blocks))
	}
	base := Builtin()["identification.yaml"]
	cat := builtinForms(t)
	for i, m := range blocks {
		if SourceKind(m[1]) == KindCalendar {
			if _, err := ParseCalendar(m[1]); err != nil {
				t.Errorf("calendar example %d does not parse: %v", i, err)
			}
			continue
		}
		if !bytes.Contains(m[1], []byte("\nextends: identification")) {
			continue // a form overlay: forms/definitions_docs_test.go checks it
		}
		d, err := ResolveOverlay("definitions.md", m[1], "identification@1", base)
		if err != nil {
			t.Errorf("example %d does not resolve:\n%v\n%s", i, err, m[1])
			continue
		}
		t.Run(d.ID, func(t *testing.T) {
			if err := d.Compile(cat); err != nil {
				t.Fatalf("example does not compile:\n%v", err)
			}
		})
	}
}
