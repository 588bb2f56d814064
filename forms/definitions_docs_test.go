package forms

import (
	"bytes"
	"os"
	"regexp"
	"testing"
	"time"
)

// TestDefinitionsDocFormOverlays resolves every form overlay example of
// docs/definitions.md (a yaml block extending a built-in form) against that
// built-in, and checks that the county example does what the page says.
func TestDefinitionsDocFormOverlays(t *testing.T) {
	page, err := os.ReadFile("../docs/definitions.md")
	if err != nil {
		t.Fatalf("read docs/definitions.md: %v", err)
	}
	builtins := map[string][]byte{}
	for name, src := range Builtin() {
		d, err := Parse(name, src)
		if err != nil {
			t.Fatalf("built-in %s: %v", name, err)
		}
		builtins[d.ID] = src
	}
	checks := map[string]func(t *testing.T, d *Definition){
		"household_verification_510100": func(t *testing.T, d *Definition) {
			if f := d.Field("phone"); f == nil || !f.Required {
				t.Errorf("phone = %+v, want required", f)
			}
			if names := flatNames(d.Flat(nil)); indexOf(names, "doctor") != indexOf(names, "phone")+1 {
				t.Errorf("fields %v, want doctor right after phone", names)
			}
			if d.Field("members.disability_card") == nil || d.Field("address") != nil {
				t.Errorf("want members.disability_card added and address removed")
			}
			if got := d.Field("members.assistance").Choices; len(got) != 4 {
				t.Errorf("assistance has %d choices, want the county's 4", len(got))
			}
			if got := d.ParamsFor(time.Date(2025, 5, 1, 0, 0, 0, 0, beijing))["income_line"]; got != 7000 {
				t.Errorf("income_line in 2025 = %v, want 7000", got)
			}
		},
	}
	extends := regexp.MustCompile(`(?m)^extends: (\w+)`)
	found := 0
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(page, -1) {
		base := extends.FindSubmatch(m[1])
		if base == nil || builtins[string(base[1])] == nil || bytes.Contains(m[1], []byte("\nstates:")) {
			continue // not a form overlay
		}
		found++
		d, err := ResolveOverlay("definitions.md", m[1], string(base[1])+"@1", builtins[string(base[1])])
		if err != nil {
			t.Errorf("example does not resolve:\n%v\n%s", err, m[1])
			continue
		}
		t.Run(d.ID, func(t *testing.T) {
			check, ok := checks[d.ID]
			if !ok {
				t.Fatalf("no check for the example %s: say what it must do", d.ID)
			}
			check(t, d)
		})
	}
	if found < len(checks) {
		t.Errorf("docs/definitions.md has %d form overlay examples, want %d", found, len(checks))
	}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -2
}
