package store

import "testing"

func TestMostSpecificVariant(t *testing.T) {
	type def struct{ base, locality string }
	defs := map[string]def{
		"form":           {},
		"form_county":    {"form", "510100000000"},
		"form_dongshan":  {"form", "510100001000"},
		"form_aaa":       {"form", "510100001000"}, // same township, smaller id
		"form_taoyuan":   {"form", "510100001001"},
		"other":          {},
		"other_dongshan": {"other", "510100001000"},
		"broken":         {"form", "51"}, // no such locality: never chosen
	}
	latest := map[string]int{}
	for id := range defs {
		latest[id] = 1
	}
	vs := variantsOf(latest, func(id string, _ int) (string, string) { return defs[id].base, defs[id].locality })
	if len(vs["form"]) != 4 || len(vs["other"]) != 1 || len(vs["form_taoyuan"]) != 0 {
		t.Fatalf("variantsOf = %v; want 4 variants of form, 1 of other", vs)
	}
	for _, tt := range []struct{ base, path, want string }{
		{"form", "510100/001/001/", "form_taoyuan"}, // village over township and county
		{"form", "510100/001/002/", "form_aaa"},     // equal townships: the smaller id
		{"form", "510100/002/001/", "form_county"},
		{"form", "510200/001/001/", ""},
		{"other", "510100/001/009/", "other_dongshan"},
		{"nothing", "510100/001/001/", ""},
	} {
		if got := mostSpecific(vs[tt.base], tt.path); got != tt.want {
			t.Errorf("mostSpecific(%s, %s) = %q, want %q", tt.base, tt.path, got, tt.want)
		}
	}
}
