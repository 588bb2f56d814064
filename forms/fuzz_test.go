package forms

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, src := range Builtin() {
		f.Add(src)
	}
	f.Add([]byte(sampleYAML))
	f.Add([]byte(parseExample))
	f.Add([]byte("id: x\ntitle: t\nfields:\n  - {name: a, type: integer, label: A, calculate: a + 1}\n"))
	f.Add([]byte("id: x\ntitle: &t t\nfields: *t\n"))
	f.Add([]byte("{"))
	for _, src := range []string{groupYAML, cascadeYAML, prefillYAML, attachmentYAML} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse("fuzz.yaml", src)
		if err == nil {
			if d == nil || d.ID == "" || len(d.Fields) == 0 {
				t.Fatalf("Parse accepted a definition without id or fields: %+v", d)
			}
			return
		}
		if d != nil {
			t.Fatalf("Parse returned both a definition and %v", err)
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("Parse error %v (%T) is not a non-empty Problems", err, err)
		}
		lines := strings.Count(string(src), "\n") + 2
		for _, p := range ps {
			if p.File != "fuzz.yaml" || p.Line < 1 || p.Line > lines || p.Message == "" {
				t.Errorf("problem %s: want file fuzz.yaml, a line in 1..%d and a message", p, lines)
			}
		}
	})
}

// FuzzValidate feeds arbitrary JSON submissions to the sample form and to
// 入户核实表: Validate must not panic and must only name declared fields.
func FuzzValidate(f *testing.F) {
	seeds := []string{
		`{}`,
		`{"head_id": "11010519491231002x", "income": "12000.5", "members": [{"name": "a", "age": "3"}]}`,
		`{"members": "x", "risks": [1, {"a": 2}], "agreed": "on", "size": 1e300}`,
		`{"members": [null, 3, {"jobs": [[]]}], "income": -0.001, "visit": "2025-13-01"}`,
		`{"wage": "1e3", "business": 99999999999999.99, "members": [{}, {}, {}, {}, {}, {}, {}]}`,
		`{"township": "城关镇", "village": "河口村", "visits": [{"places": ["新华村", 3]}]}`,
		`{"house": {"id": "a", "name": "b.jpg", "type": "image/jpeg", "size": 1e20, "sha256": ""}, "sign": "{\"id\": 1}"}`,
		`{"grade": "C", "note": "x", "members": [{"who": 1, "age": "x"}], "head_name": ["a"]}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	forms := []*Definition{sampleDefinition(f), builtin(f, "household_verification"), builtin(f, "asset_comparison")}
	for name, src := range map[string]string{"group": groupYAML, "cascade": cascadeYAML, "prefill": prefillYAML, "attachment": attachmentYAML} {
		d, err := Parse(name+".yaml", []byte(src))
		if err != nil {
			f.Fatal(err)
		}
		forms = append(forms, d)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var in map[string]any
		if json.Unmarshal([]byte(doc), &in) != nil {
			return
		}
		for _, d := range forms {
			vals, errs := d.Check(in, Context{Params: Params{"income_line": doc}})
			checkDeclared(t, d, vals.Map(), errs)
			checkValuesJSON(t, vals)
		}
	})
}

// FuzzDecodeValues feeds arbitrary form posts through DecodeValues and
// Validate.
func FuzzDecodeValues(f *testing.F) {
	for _, s := range []string{
		"head_id=11010519491231002X&members[0].name=a&members[9].age=3",
		"agreed=on&agreed=false&risks=因病&risks=因病",
		"members[99999999999999999999].name=x&members[-1].name=y&members[0]=z&members[1].head=on",
		"members[0].jobs[0].place=x&members%5B2%5D.name=%E5%BC%A0",
	} {
		f.Add(s)
	}
	d := sampleDefinition(f)
	f.Fuzz(func(t *testing.T, query string) {
		post, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		out, errs := d.Validate(d.DecodeValues(post), nil)
		checkDeclared(t, d, out, errs)
	})
}

func checkDeclared(t *testing.T, d *Definition, out map[string]any, errs FieldErrors) {
	t.Helper()
	for _, e := range errs {
		if d.Field(e.Field) == nil || e.Message == "" {
			t.Errorf("%s: error %q on %q, which is no declared field", d.ID, e.Message, e.Field)
		}
	}
	for k := range out {
		if d.Field(k) == nil {
			t.Errorf("%s: output has undeclared key %q", d.ID, k)
		}
	}
}

// FuzzParseYuan checks that every amount the money parser accepts comes
// back the same when written out as yuan again.
func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"0", "1234.5", "-0.01", "+.5", "1.", "12.345", "1.500", "9999999999999.99", "", "-", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, msg := parseYuan(s)
		if msg != "" {
			return
		}
		sign := ""
		n := fen
		if n < 0 {
			sign, n = "-", -n
		}
		again, msg := parseYuan(fmt.Sprintf("%s%d.%02d", sign, n/100, n%100))
		if msg != "" || again != fen {
			t.Errorf("parseYuan(%q) = %d fen, but its yuan text parses to %d (%s)", s, fen, again, msg)
		}
	})
}

// FuzzPrefill feeds arbitrary JSON as the household a form prefills from:
// what a page shows must be prefilled fields only, and validating an empty
// input (every prefilled field, rows included, left to its source) must
// report only declared fields, as on a stored record gone wrong.
func FuzzPrefill(f *testing.F) {
	for _, s := range []string{
		`{}`,
		`{"head_name": "张三", "members": [{"name": "张三", "gender": "男", "pension": 12345}]}`,
		`{"members": [null, 3, "x", {"name": ["a"], "pension": 1e300}], "phone": 13800000000}`,
		`{"members": {"name": "a"}, "head_id": "11010519491231002X", "risks": ["因病", 1]}`,
		`{"members": [{"age": -1, "id_card": "x", "relation": "户主"}], "township": null}`,
	} {
		f.Add(s)
	}
	forms := []*Definition{builtin(f, "household_verification"), builtin(f, "application_authorization")}
	d, err := Parse("rows.yaml", []byte(prefillRowsYAML))
	if err != nil {
		f.Fatal(err)
	}
	forms = append(forms, d)
	f.Fuzz(func(t *testing.T, doc string) {
		var household map[string]any
		if json.Unmarshal([]byte(doc), &household) != nil {
			return
		}
		ctx := Context{Household: household, Submissions: map[string]map[string]any{"household_verification": household}}
		for _, d := range forms {
			for name := range d.Prefilled(ctx) {
				if f := d.Field(name); f == nil || f.Prefill == "" {
					t.Errorf("%s: Prefilled set %q, which is not a prefilled field", d.ID, name)
				}
			}
			vals, errs := d.Check(map[string]any{}, ctx)
			checkDeclared(t, d, vals.Map(), errs)
			checkValuesJSON(t, vals)
		}
	})
}
