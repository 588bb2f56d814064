package ui

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"jianfu/forms"
)

// TestCasePageNeverShowsFullIDCard checks that the filed data on a case
// page shows every 身份证号 masked, in top-level fields and repeat rows.
func TestCasePageNeverShowsFullIDCard(t *testing.T) {
	cases := []struct {
		name, user, url string
		masked          []string // must appear: the details were drawn
	}{
		{name: "VillageCadre", user: "cun", url: "/cases/2", masked: []string{forms.MaskIDCard(fakeHeadID), forms.MaskIDCard(fakeSpouseID)}},
		{name: "TownshipReviewer", user: "xiang", url: "/cases/2", masked: []string{forms.MaskIDCard(fakeHeadID), forms.MaskIDCard(fakeSpouseID)}},
		{name: "CaseWithoutSubmissions", user: "cun", url: "/cases/1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t)
			rec := ts.browse("GET", c.url, c.user, nil)
			if rec.Code != 200 {
				t.Fatalf("expected status 200, got %d", rec.Code)
			}
			body := rec.Body.String()
			for _, id := range []string{fakeHeadID, fakeSpouseID, fakeOtherID} {
				if strings.Contains(body, id) {
					t.Errorf("page shows a full 身份证号 (%s)", forms.MaskIDCard(id))
				}
			}
			for _, m := range c.masked {
				if !strings.Contains(body, m) {
					t.Errorf("expected masked 身份证号 %q on the page", m)
				}
			}
		})
	}
}

func TestCasePageLoadsSubmissionsOnce(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.browse("GET", "/cases/2", "cun", nil)
	if rec.Code != 200 {
		t.Fatalf("expected status 200, got %d", rec.Code)
	}
	if got := strings.Count(rec.Body.String(), "查看填报内容"); got != 2 {
		t.Errorf("expected filed data under 2 events, got %d", got)
	}
	if ts.svc.submissionCalls != 1 {
		t.Errorf("expected 1 Submissions call for 2 events with submissions, got %d", ts.svc.submissionCalls)
	}
}

func TestCasePageWithoutSubmissionsCall(t *testing.T) {
	ts := newTestServer(t)
	ts.browse("GET", "/cases/1", "cun", nil)
	if ts.svc.submissionCalls != 0 {
		t.Errorf("expected no Submissions call for a case whose events carry none, got %d", ts.svc.submissionCalls)
	}
}

func TestCasePageRendersWhenSubmissionsFail(t *testing.T) {
	ts := newTestServer(t)
	ts.svc.submissionsErr = errors.New("database gone")
	rec := ts.browse("GET", "/cases/2", "cun", nil)
	if rec.Code != 200 {
		t.Fatalf("expected status 200 without the filed data, got %d", rec.Code)
	}
	body := rec.Body.String()
	if strings.Contains(body, "查看填报内容") {
		t.Error("expected no filed data when submissions cannot be loaded")
	}
	if !strings.Contains(body, "提交申请") {
		t.Error("expected the history to be drawn anyway")
	}
	if logs := ts.logs.String(); !strings.Contains(logs, "database gone") {
		t.Errorf("expected the failure to be logged, got %q", logs)
	}
}

func TestFiledValue(t *testing.T) {
	d := parseForm(t, verificationYAML)
	field := func(path string) *forms.Field {
		f := d.Field(path)
		if f == nil {
			t.Fatalf("test form has no field %s", path)
		}
		return f
	}
	cases := []struct {
		name  string
		field string
		value any
		want  string
	}{
		{"MoneyInt64", "income", int64(1800050), "18,000.50 元"},
		{"MoneyAfterJSON", "income", float64(1800050), "18,000.50 元"},
		{"MoneyJSONNumber", "income", json.Number("123456789"), "1,234,567.89 元"},
		{"MoneySmall", "income", 5, "0.05 元"},
		{"MoneyZero", "income", 0, "0.00 元"},
		{"MoneyNegative", "income", -100000, "-1,000.00 元"},
		{"MoneyNotNumber", "income", "abc", ""},
		{"BooleanTrue", "two_people", true, "是"},
		{"BooleanFalse", "two_people", false, "否"},
		{"SelectByLabel", "housing", "not_ok", "不达标"},
		{"SelectNoLongerOffered", "housing", "gone", "gone"},
		{"MultiselectAfterJSON", "risks", []any{"school", "illness"}, "因学、因病"},
		{"MultiselectStrings", "risks", []string{"disability"}, "因残"},
		{"IDCardMasked", "head_id", fakeHeadID, "110***********002X"},
		{"IDCardShortMasked", "head_id", "12345", "*2345"},
		{"Date", "visit_date", "2026-11-02", "2026-11-02"},
		{"Empty", "note", "", ""},
		{"Missing", "note", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := filedValue(field(c.field), c.value); got != c.want {
				t.Errorf("expected %q, got %q", c.want, got)
			}
		})
	}
}

func TestFiledItems(t *testing.T) {
	d := parseForm(t, verificationYAML)
	items := filedItems(d, map[string]any{
		"note":    "",
		"members": []any{map[string]any{"name": "李梅", "id_number": fakeSpouseID, "relation": "配偶"}},
		"photo":   map[string]any{"id": "a/1", "name": "照片.jpg", "size": float64(10)},
		"income":  int64(100),
		"unknown": "not in the form",
	})
	want := []filedItem{
		{Label: "家庭年纯收入", Value: "1.00 元"},
		{Label: "家庭成员", Value: "1 行", Rows: []string{"李梅 · " + forms.MaskIDCard(fakeSpouseID)}},
		{Label: "入户照片", Value: "照片.jpg", Href: "/attachments/a%2F1"},
	}
	if len(items) != len(want) {
		t.Fatalf("expected %d items in form order, got %+v", len(want), items)
	}
	for i := range want {
		g, w := items[i], want[i]
		if g.Label != w.Label || g.Value != w.Value || g.Href != w.Href || strings.Join(g.Rows, "|") != strings.Join(w.Rows, "|") {
			t.Errorf("item %d: expected %+v, got %+v", i, w, g)
		}
	}
}
