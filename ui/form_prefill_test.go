package ui

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// prefilledApplicationYAML is applicationYAML with the head and the
// members prefilled from the household.
const prefilledApplicationYAML = `id: application
title: 申请及承诺授权书
fields:
  - {name: head_name, type: text, label: 户主姓名, required: true, prefill: household.head_name}
  - {name: head_id, type: id_card, label: 户主身份证号, required: true, prefill: household.head_id}
  - {name: phone, type: phone, label: 联系电话, prefill: household.phone}
  - name: members
    type: repeat
    label: 家庭成员
    prefill: household.members
    min: 1
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - {name: relation, type: select, label: 与户主关系, choices: [户主, 配偶, 子女, 其他]}
      - {name: ethnicity, type: text, label: 民族, default: 汉族}
  - {name: channel, type: select, label: 申请渠道, choices: [书面, APP], default: APP}
`

// The first display of a prefilled form shows what the household record
// holds, row by row, and the defaults elsewhere; a draft after a
// send-back wins over the record.
func TestFireFormPrefill(t *testing.T) {
	ts := newTestServer(t)
	ts.svc.forms["application"] = parseForm(t, prefilledApplicationYAML)
	h := ts.svc.households[ts.svc.cases[1].HouseholdID]

	body := ts.browse("GET", "/cases/1/fire/submit", "cun", nil).Body.String()
	want := []string{
		`name="head_name" type="text" value="` + h.HeadName + `"`, `value="` + fakeHeadID + `"`,
		`<input type="hidden" name="_rows.members" value="` + strconv.Itoa(len(h.Members)) + `">`,
		`name="members[0].name" type="text" value="` + h.Members[0].Name + `"`,
		`<option value="户主" selected>`,
		// Fields the record does not fill keep their defaults.
		`name="members[0].ethnicity" type="text" value="汉族"`, `<option value="APP" selected>`,
		"请逐项核对", `<span class="prefilled-tag">已预填</span>`,
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("expected %q in the prefilled form, got %s", w, body)
		}
	}
	if strings.Contains(body, `name="phone" type="tel" value="1`) {
		t.Error("the phone is prefilled, but the record has none")
	}
	// head_name, head_id and each member's name and relation come from
	// the record; the defaulted ethnicity and channel are not marked.
	if n, want := strings.Count(body, `class="prefilled-tag"`), 2+2*len(h.Members); n != want {
		t.Errorf("%d fields marked 已预填, want %d", n, want)
	}

	ts.svc.cases[1].Drafts = map[string]map[string]any{"application": {"head_name": "李四"}}
	body = ts.browse("GET", "/cases/1/fire/submit", "cun", nil).Body.String()
	if !strings.Contains(body, `name="head_name" type="text" value="李四"`) || strings.Contains(body, `value="`+fakeHeadID+`"`) ||
		strings.Contains(body, "请逐项核对") {
		t.Errorf("expected the draft, not the record, got %s", body)
	}
}

// After a redraw (a row added) a value still as prefilled keeps its tag,
// a changed one loses it, and the page carries the prefilled values on.
func TestPrefillTagsSurviveRedraw(t *testing.T) {
	ts := newTestServer(t)
	ts.svc.forms["application"] = parseForm(t, prefilledApplicationYAML)
	first := ts.browse("GET", "/cases/1/fire/submit", "cun", nil).Body.String()
	if !strings.Contains(first, `<input type="hidden" name="_pf.head_name" value="张三">`) {
		t.Fatalf("the first display does not carry the prefilled values: %s", first)
	}
	posted := url.Values{
		"version": {"3"}, "head_name": {"张三"}, "head_id": {"11010519491231002X"}, "_rows.members": {"1"},
		"members[0].name": {"张三"}, "members[0].relation": {"户主"}, "_add": {"members"},
		"_pf.head_name": {"张三"}, "_pf.head_id": {"110105194912310021"}, "_pf.members[0].name": {"张三"},
	}
	body := ts.browse("POST", "/cases/1/fire/submit", "cun", posted).Body.String()
	tagged := func(id string) bool {
		i := strings.Index(body, `<label for="`+id+`">`)
		j := strings.Index(body[i:], "</label>")
		return i >= 0 && strings.Contains(body[i:i+j], "已预填")
	}
	if !tagged("f-head_name") || !tagged("f-members-0-name") {
		t.Errorf("unchanged prefilled values lost their tags after adding a row: %s", body)
	}
	if tagged("f-head_id") {
		t.Error("a changed 身份证号 still says 已预填")
	}
	if !strings.Contains(body, "请逐项核对") || !strings.Contains(body, `name="_pf.head_id" value="110105194912310021"`) {
		t.Errorf("the redraw dropped the note or the carried values: %s", body)
	}
}
