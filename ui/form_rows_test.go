package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

func intp(n int) *int { return &n }

func TestRowCount(t *testing.T) {
	tests := []struct {
		name   string
		posted url.Values
		min    *int
		max    *int
		add    bool
		want   int
	}{
		{name: "FirstDisplayShowsOneRow", want: 1},
		{name: "FirstDisplayShowsMinRows", min: intp(3), want: 3},
		{name: "PostedCountIsKept", posted: url.Values{"_rows.m": {"4"}}, want: 4},
		{name: "AddGrowsByOne", posted: url.Values{"_rows.m": {"2"}}, add: true, want: 3},
		{name: "AddStopsAtMax", posted: url.Values{"_rows.m": {"2"}}, max: intp(2), add: true, want: 2},
		{name: "CountWithoutHiddenFieldIsFromNames", posted: url.Values{"m[0].a": {""}, "m[4].a": {"x"}}, want: 5},
		{name: "HugePostedCountIsClamped", posted: url.Values{"_rows.m": {"99999999"}}, want: maxRows},
		{name: "HugeIndexIsIgnored", posted: url.Values{"m[0].a": {""}, "m[999999].a": {"x"}}, want: 1},
		{name: "NegativeCountRisesToMin", posted: url.Values{"_rows.m": {"-5"}}, min: intp(1), want: 1},
		{name: "OptionalRepeatMayBeEmpty", posted: url.Values{"_rows.m": {"0"}}, want: 0},
		{name: "OtherRepeatsDoNotCount", posted: url.Values{"mm[3].a": {"x"}, "_rows.mm": {"4"}}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rowCount(tt.posted, "m", tt.min, tt.max, tt.add); got != tt.want {
				t.Errorf("expected %d rows, got %d", tt.want, got)
			}
		})
	}
}

func TestRemoveRow(t *testing.T) {
	posted := url.Values{
		"_rows.m":        {"3"},
		"m[0].a":         {"甲"},
		"m[1].a":         {"乙"},
		"m[2].a":         {"丙"},
		"m[2].tags":      {"x", "y"},
		"_rows.m[2].sub": {"1"},
		"m[2].sub[0].b":  {"子"},
		"other":          {"keep"},
		"_remove":        {"m[1]"},
	}
	got := removeRow(posted, "m[1]")
	want := url.Values{
		"_rows.m":        {"2"},
		"m[0].a":         {"甲"},
		"m[1].a":         {"丙"},
		"m[1].tags":      {"x", "y"},
		"_rows.m[1].sub": {"1"},
		"m[1].sub[0].b":  {"子"},
		"other":          {"keep"},
	}
	if got.Encode() != want.Encode() {
		t.Errorf("expected %v, got %v", want, got)
	}
	t.Run("MalformedRowChangesNothing", func(t *testing.T) {
		for _, row := range []string{"m", "m[x]", "[1]", "m[-1]", "m[1"} {
			if got := removeRow(posted, row); got.Encode() != posted.Encode() {
				t.Errorf("%q: expected the values unchanged, got %v", row, got)
			}
		}
	})
}

func TestSubmittedValuesDropsPageControls(t *testing.T) {
	got := submittedValues(url.Values{"version": {"3"}, "_add": {"m"}, "_rows.m": {"1"}, "_remove": {"m[0]"}, "m[0].a": {"x"}, "name": {"y"}})
	if len(got) != 2 || got["m[0].a"][0] != "x" || got["name"][0] != "y" {
		t.Errorf("expected only m[0].a and name, got %v", got)
	}
}

func TestInputID(t *testing.T) {
	for path, want := range map[string]string{
		"head_id":             "f-head_id",
		"members[0].name":     "f-members-0-name",
		"a[1].b[2].c":         "f-a-1-b-2-c",
		"with space\tand tab": "f-with_space_and_tab",
	} {
		if got := inputID(path); got != want {
			t.Errorf("inputID(%q): expected %q, got %q", path, want, got)
		}
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header string
		token  string
		ok     bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer  abc ", "abc", true},
		{"Basic abc", "", false},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		token, ok := bearerToken(tt.header)
		if token != tt.token || ok != tt.ok {
			t.Errorf("bearerToken(%q): expected (%q, %v), got (%q, %v)", tt.header, tt.token, tt.ok, token, ok)
		}
	}
}

func TestMaskedID(t *testing.T) {
	tests := []struct {
		name, full, masked, want string
	}{
		{name: "MaskedFromFull", full: fakeHeadID, want: "110***********002X"},
		{name: "ServiceMaskKeptWithoutFull", masked: "110***********002X", want: "110***********002X"},
		{name: "FullNumberInMaskedSlotIsMasked", masked: fakeSpouseID, want: "110***********0027"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maskedID(tt.full, tt.masked); got != tt.want {
				t.Errorf("expected %q, got %q", tt.want, got)
			}
		})
	}
}

// FuzzRemoveRow checks that any posted names and row path are handled
// without panic and never add values.
func FuzzRemoveRow(f *testing.F) {
	f.Add("m[1].a", "m[1]")
	f.Add("m[01].a", "m[0]")
	f.Add("_rows.m", "m[0]")
	f.Add("m[2]x].a", "m[1]")
	f.Add("[]]][[", "[")
	f.Fuzz(func(t *testing.T, key, row string) {
		posted := url.Values{key: {"v"}, "m[0].a": {"w"}, "_rows.m": {"2"}}
		got := removeRow(posted, row)
		n := 0
		for _, vs := range got {
			n += len(vs)
		}
		if n > 3 {
			t.Errorf("expected at most 3 values after removing a row, got %v", got)
		}
	})
}

// FuzzRowCount checks that any posted names give a row count within the
// bounds.
func FuzzRowCount(f *testing.F) {
	f.Add("m[3].a", "2", false)
	f.Add("m[99999999999999999999].a", "", true)
	f.Add("m[-1]", "-1", true)
	f.Fuzz(func(t *testing.T, key, count string, add bool) {
		posted := url.Values{key: {"x"}, "_rows.m": {count}}
		if n := rowCount(posted, "m", intp(1), intp(10), add); n < 1 || n > 10 {
			t.Errorf("expected a row count in [1,10], got %d", n)
		}
		if n := rowCount(posted, "m", nil, nil, add); n < 0 || n > maxRows {
			t.Errorf("expected a row count in [0,%d], got %d", maxRows, n)
		}
	})
}

// FuzzFormPost posts arbitrary form bodies to an action form: the answer
// is a page or a redirect, never a server error.
func FuzzFormPost(f *testing.F) {
	f.Add("version=3&head_name=%E5%BC%A0&_rows.members=1&members%5B0%5D.name=x")
	f.Add("version=3&_add=members&_rows.members=100")
	f.Add("version=3&_remove=members%5B0%5D&members%5B7%5D.name=x")
	f.Add("version=x&members%5B%5D.name=1")
	f.Add("%zz")
	ts := newTestServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := ts.raw("POST", "/cases/1/fire/submit", "cun", "application/x-www-form-urlencoded", body)
		if rec.Code >= http.StatusInternalServerError {
			t.Errorf("expected no server error for body %q, got %d: %s", body, rec.Code, rec.Body)
		}
	})
}

// FuzzAPIFire sends arbitrary bodies to the fire endpoint: the answer is
// JSON with a client status, never a server error.
func FuzzAPIFire(f *testing.F) {
	f.Add(`{"trigger":"submit","version":3,"data":{"head_name":"张三"}}`)
	f.Add(`{"trigger":"submit","version":3,"data":{"members":[{"name":1},null,"x"]}}`)
	f.Add(`{"trigger":"","version":null}`)
	f.Add(`{"trigger":"submit","version":1e99}`)
	f.Add(`[]`)
	f.Add(`{"data":{"a":{"b":{"c":[[[[]]]]}}}}`)
	ts := newTestServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := ts.raw("POST", "/api/v1/cases/1/fire", "", "application/json", body, "Bearer tok-cun")
		if rec.Code >= http.StatusInternalServerError {
			t.Errorf("expected no server error for %q, got %d: %s", body, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Errorf("expected a JSON answer for %q, got %s", body, rec.Body)
		}
	})
}
