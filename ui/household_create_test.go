package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestHouseholdCreatePage(t *testing.T) {
	t.Run("VillageIsPreselected", func(t *testing.T) {
		ts := newTestServer(t)
		body := ts.browse("GET", "/households/new", "cun", nil).Body.String()
		if !strings.Contains(body, `<option value="510104001001" selected>桃园村</option>`) || strings.Contains(body, "柳湾村") {
			t.Errorf("expected only 桃园村, chosen, got %s", body)
		}
	})
	t.Run("LiaisonIsForbidden", func(t *testing.T) {
		ts := newTestServer(t)
		if rec := ts.browse("GET", "/households/new", "gongan", nil); rec.Code != http.StatusForbidden {
			t.Errorf("expected 403, got %d", rec.Code)
		}
	})
	t.Run("RegisteredHouseholdOpens", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/households/new", "xiang", url.Values{
			"head_name": {"王五"}, "id_number": {fakeSpouseID}, "locality": {"510104001002"}, "_rows.members": {"2"},
			"members[0].name": {"王五"}, "members[0].relation": {"户主"},
		})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/households/101" {
			t.Fatalf("expected 303 to /households/101, got %d %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		h := ts.svc.households[101]
		if h.HeadName != "王五" || h.Locality != "510104001002" || len(h.Members) != 1 || h.Members[0].Relation != "户主" {
			t.Errorf("expected 王五 in 柳湾村 with one member (the empty trailing row dropped), got %+v", h)
		}
	})
	t.Run("ErrorsLandOnTheirFields", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/households/new", "xiang", url.Values{
			"head_name": {""}, "id_number": {"123"}, "_rows.members": {"1"}, "members[0].relation": {"配偶"},
		})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("expected 422, got %d: %s", rec.Code, body)
		}
		for _, want := range []string{`id="f-head_name-error"`, `id="f-id_number-error"`, `id="f-locality-error"`,
			`id="f-members-0-name-error"`, "请选择所在村", `value="123"`} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q in the refused form, got %s", want, body)
			}
		}
	})
}

func TestFireFormDraft(t *testing.T) {
	ts := newTestServer(t)
	ts.svc.cases[1].Drafts = map[string]map[string]any{"application": {
		"head_name": "张三", "income": int64(123450), "channel": "书面", "risks": []any{"因病", "因残"}, "promise": true,
		"members": []any{map[string]any{"name": "张三", "relation": "户主"}, map[string]any{"name": "李梅", "relation": "配偶"}},
	}}
	body := ts.browse("GET", "/cases/1/fire/submit", "cun", nil).Body.String()
	for _, want := range []string{
		`name="head_name" type="text" value="张三"`, `value="1234.50"`, `<option value="书面" selected>`,
		`value="因病" checked`, `value="因残" checked`, `name="promise" value="true" checked`,
		`name="members[1].name" type="text" value="李梅"`, `<input type="hidden" name="_rows.members" value="2">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("expected %q from the draft, got %s", want, body)
		}
	}
	if strings.Contains(body, `value="因学" checked`) {
		t.Errorf("expected 因学 unticked")
	}
}

func TestYuan(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
		ok   bool
	}{
		{"WholeYuan", int64(600000), "6000", true},
		{"Cents", int64(123405), "1234.05", true},
		{"AfterJSONRoundTrip", float64(99), "0.99", true},
		{"Negative", int64(-150), "-1.50", true},
		{"FractionalFenIsNotMoney", 1.5, "", false},
		{"TextIsNotMoney", "12", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := yuan(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("yuan(%v) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
