package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"jianfu/workflows"
)

// withHouseholds registers n more households in cun's village (桃园村),
// heads 王0001…, after the fixture's two: cun then sees n+1 households.
func withHouseholds(ts *testServer, n int) {
	f := ts.svc
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 1; i <= n; i++ {
		f.nextID++
		f.households[f.nextID] = workflows.Household{ID: f.nextID, HeadName: fmt.Sprintf("王%04d", i),
			IDNumber: fmt.Sprintf("11010519700101%04d", i), Locality: cunVillage}
	}
}

// TestHouseholdListPages: the list and a search are paged 50 to a page,
// counted, and every household can be reached by the pager's links, which
// keep the search.
func TestHouseholdListPages(t *testing.T) {
	ts := newTestServer(t)
	withHouseholds(ts, 120)
	tests := []struct {
		name, url   string
		cards       int
		contains    []string
		notContains []string
	}{
		{"FirstPage", "/households", 50,
			[]string{"共 121 户", "第 1 / 3 页", `href="/households?page=2" rel="next"`, `href="/households/1"`},
			[]string{`rel="prev"`, "王0050"}},
		{"MiddlePage", "/households?page=2", 50,
			[]string{"共 121 户", "第 2 / 3 页", `href="/households" rel="prev"`, `href="/households?page=3" rel="next"`, "王0050", "王0099"},
			[]string{`href="/households/1"`, "王0049<", "王0100"}},
		{"LastPage", "/households?page=3", 21,
			[]string{"共 121 户", "第 3 / 3 页", `href="/households?page=2" rel="prev"`, "王0100", "王0120"},
			[]string{`rel="next"`, "王0099"}},
		{"SearchKeepsQuery", "/households?q=%E7%8E%8B&page=2", 50,
			[]string{"共 120 户", "第 2 / 3 页", `href="/households?q=%E7%8E%8B" rel="prev"`,
				`href="/households?page=3&amp;q=%E7%8E%8B" rel="next"`, `value="王"`},
			[]string{`href="/households/1"`}},
		{"SearchOnOnePage", "/households?q=%E5%BC%A0", 1,
			[]string{"共 1 户", `href="/households/1"`}, []string{`class="pager"`}},
		{"PastTheEnd", "/households?page=9", 0,
			[]string{"共 121 户", "没有这一页", `href="/households">回到第一页`},
			[]string{"暂无可查看的农户"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.browse("GET", tt.url, "cun", nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("expected 200, got %d: %s", rec.Code, rec.Body)
			}
			body := rec.Body.String()
			if n := strings.Count(body, `<li class="card">`); n != tt.cards {
				t.Errorf("expected %d households on the page, got %d", tt.cards, n)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("expected %q on %s", want, tt.url)
				}
			}
			for _, unwanted := range tt.notContains {
				if strings.Contains(body, unwanted) {
					t.Errorf("expected no %q on %s", unwanted, tt.url)
				}
			}
		})
	}
	t.Run("PageNotAPositiveNumber", func(t *testing.T) {
		for _, page := range []string{"0", "-1", "x"} {
			if rec := ts.browse("GET", "/households?page="+page, "cun", nil); rec.Code != http.StatusBadRequest {
				t.Errorf("page %q: expected 400, got %d", page, rec.Code)
			}
		}
	})
}

// TestAPIHouseholdPages: GET /api/v1/households pages as GET /api/v1/tasks
// does.
func TestAPIHouseholdPages(t *testing.T) {
	ts := newTestServer(t)
	withHouseholds(ts, 120)
	type pageJSON struct {
		Items []struct {
			HeadName string `json:"head_name"`
		} `json:"items"`
		Total    int `json:"total"`
		Page     int `json:"page"`
		PerPage  int `json:"per_page"`
		NextPage int `json:"next_page"`
	}
	tests := []struct {
		url                           string
		items, total, page, per, next int
		first                         string
	}{
		{"/api/v1/households", 50, 121, 1, 50, 2, "张三"},
		{"/api/v1/households?page=3", 21, 121, 3, 50, 0, "王0100"},
		{"/api/v1/households?per_page=20&page=2", 20, 121, 2, 20, 3, "王0020"},
		{"/api/v1/households?q=%E7%8E%8B&per_page=100&page=2", 20, 120, 2, 100, 0, "王0101"},
		{"/api/v1/households?page=9", 0, 121, 9, 50, 0, ""},
		{"/api/v1/households?q=nobody", 0, 0, 1, 50, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			rec := ts.api("GET", tt.url, "tok-cun", "")
			if rec.Code != http.StatusOK {
				t.Fatalf("expected 200, got %d: %s", rec.Code, rec.Body)
			}
			var got pageJSON
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("decode %s: %v", rec.Body, err)
			}
			if got.Items == nil {
				t.Errorf("expected items to be a list, got %s", rec.Body)
			}
			if len(got.Items) != tt.items || got.Total != tt.total || got.Page != tt.page || got.PerPage != tt.per || got.NextPage != tt.next {
				t.Errorf("got %d items, total %d, page %d, per_page %d, next_page %d; want %d, %d, %d, %d, %d",
					len(got.Items), got.Total, got.Page, got.PerPage, got.NextPage, tt.items, tt.total, tt.page, tt.per, tt.next)
			}
			if len(got.Items) > 0 && got.Items[0].HeadName != tt.first {
				t.Errorf("expected the page to start with %s, got %s", tt.first, got.Items[0].HeadName)
			}
		})
	}
	for _, q := range []string{"page=0", "page=x", "per_page=0"} {
		if rec := ts.api("GET", "/api/v1/households?"+q, "tok-cun", ""); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: expected 400, got %d: %s", q, rec.Code, rec.Body)
		}
	}
}

// TestHouseholdPlaceNames: the list and the household page name the
// village, with its township for a county cadre, instead of its code.
func TestHouseholdPlaceNames(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		user, url string
		contains  []string
	}{
		{"cun", "/households", []string{"所在村：桃园村<"}},
		{"xiang", "/households", []string{"所在村：桃园村<"}},
		{"xian", "/households", []string{"所在村：东山镇桃园村<", "所在村：西河乡青松村<"}},
		{"cun", "/households/1", []string{"<dt>所在村</dt>", "<dd>桃园村</dd>"}},
		{"xian", "/households/2", []string{"<dd>西河乡青松村</dd>"}},
	}
	for _, tt := range tests {
		t.Run(tt.user+tt.url, func(t *testing.T) {
			rec := ts.browse("GET", tt.url, tt.user, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("expected 200, got %d: %s", rec.Code, rec.Body)
			}
			body := rec.Body.String()
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("expected %q in %s", want, body)
				}
			}
			for _, code := range []string{cunVillage, "510104002001", "区划代码"} {
				if strings.Contains(body, code) {
					t.Errorf("expected no %q on the page, got %s", code, body)
				}
			}
		})
	}
}

func TestPlaceNamesOf(t *testing.T) {
	names := placeNames{
		"510104000000": "示范区",
		"510104001000": "东山镇",
		"510104001001": "桃园村",
		"510104002001": "青松村", // its township's name unknown
	}
	tests := []struct {
		code, within, want string
	}{
		{"510104001001", "510104001001", "桃园村"},
		{"510104001001", "510104001000", "桃园村"},
		{"510104001001", "510104000000", "东山镇桃园村"},
		{"510104001001", "510000000000", "示范区东山镇桃园村"},
		{"510104002001", "510104000000", "青松村"},
		{"510104003001", "510104000000", "510104003001"},
		{"not a code", "510104000000", "not a code"},
	}
	for _, tt := range tests {
		if got := names.of(tt.code, tt.within); got != tt.want {
			t.Errorf("of(%s) within %s = %q, want %q", tt.code, tt.within, got, tt.want)
		}
	}
}

// TestHouseholdSearchHint: the box's placeholder is short enough for 360 px
// and the rules of the search are a hint line the box points to.
func TestHouseholdSearchHint(t *testing.T) {
	body := newTestServer(t).browse("GET", "/households", "cun", nil).Body.String()
	for _, want := range []string{`placeholder="姓名或身份证号"`, `aria-describedby="q-hint"`, `<p class="hint" id="q-hint">`} {
		if !strings.Contains(body, want) {
			t.Errorf("expected %q in %s", want, body)
		}
	}
}

// TestHouseholdListCapped: a list longer than a list offers says how far
// it goes and where the rest is found, on the page and in the API.
func TestHouseholdListCapped(t *testing.T) {
	ts := newTestServer(t)
	withHouseholds(ts, workflows.MaxListedHouseholds)
	body := ts.browse("GET", "/households", "cun", nil).Body.String()
	for _, want := range []string{"超过 5000 户，只列出前 5000 户；请用查找找到其余农户。", "第 1 / 100 页"} {
		if !strings.Contains(body, want) {
			t.Errorf("expected %q on the list", want)
		}
	}
	if strings.Contains(body, "共 5000 户") {
		t.Error("expected no exact count of a capped list")
	}
	rec := ts.api("GET", "/api/v1/households?page=100", "tok-cun", "")
	for _, want := range []string{`"total":5000`, `"capped":true`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("expected %s in %s", want, rec.Body)
		}
	}
	if strings.Contains(rec.Body.String(), "next_page") {
		t.Errorf("expected page 100 to be the last, got %s", rec.Body)
	}
}
