package store_test

import (
	"reflect"
	"testing"

	"jianfu/workflows"
)

// testPrefill: a form shows what the case already knows before the cadre
// types. 入户核实表 reads the registry (place names, head, members with
// their ages today) until the household has been verified; then the
// newest 入户核实表 wins, its ages counted again. A client that sends no
// members gets the household's; the user must be allowed to see the case.
func testPrefill(t *testing.T, f *fixture) {
	cadre := cadreOf(taoyuan)
	h := f.newHousehold(t, taoyuan)
	c, err := f.svc.StartCase(f.ctx, f.user(t, cadre), "identification", h.ID)
	if err != nil {
		t.Fatal(err)
	}
	prefill := func(form string) map[string]any {
		t.Helper()
		got, err := f.svc.Prefill(f.ctx, f.user(t, cadre), c.ID, form)
		if err != nil {
			t.Fatalf("Prefill %s: %v", form, err)
		}
		return got
	}
	daughter := h.Members[len(h.Members)-1]
	// Born 1970-03-07 and 2010-03-07; the clock reads 2026-03-02.
	t.Run("Registry", func(t *testing.T) {
		got := prefill("household_verification")
		want := map[string]any{"township": "东山镇", "village": "桃园村", "head_name": h.HeadName, "head_id": h.IDNumber}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %#v, want %#v", k, got[k], v)
			}
		}
		rows, _ := got["members"].([]map[string]any)
		if len(rows) != len(h.Members) {
			t.Fatalf("members = %#v, want the registry's %d", got["members"], len(h.Members))
		}
		last := rows[len(rows)-1]
		if want := (map[string]any{"name": daughter.Name, "id_card": daughter.IDNumber, "relation": "之女", "age": int64(15)}); !reflect.DeepEqual(last, want) {
			t.Errorf("daughter's row = %#v, want %#v", last, want)
		}
		app := prefill("application_authorization")
		if app["head_id"] != h.IDNumber || len(app["members"].([]map[string]any)) != len(h.Members) {
			t.Errorf("application prefill = %#v, want the head and the registry's members", app)
		}
		if _, ok := app["members"].([]map[string]any)[0]["age"]; ok {
			t.Errorf("application rows = %#v, want only the repeat's own fields", app["members"])
		}
		if got := prefill("deliberation_record"); got != nil {
			t.Errorf("a form without prefill answered %#v, want nil", got)
		}
	})
	t.Run("MembersLeftOutComeFromTheHousehold", func(t *testing.T) {
		data := applicationData(h)
		delete(data, "members")
		c = f.fire(t, cadre, c, "submit", data)
		rows, _ := f.lastSubmission(t, c.ID).Data["members"].([]any)
		if len(rows) != len(h.Members) {
			t.Fatalf("stored members = %#v, want the registry's %d", rows, len(h.Members))
		}
		if row, _ := rows[len(rows)-1].(map[string]any); row["id_card"] != daughter.IDNumber {
			t.Errorf("last stored member = %#v, want the daughter", row)
		}
	})
	t.Run("LatestVerificationWins", func(t *testing.T) {
		data := verificationData(h)
		data["phone"] = "13912345678"
		c = f.fire(t, cadre, c, "confirm", data)
		got := prefill("household_verification")
		if got["phone"] != "13912345678" || got["household_type"] != "一般农户" {
			t.Errorf("prefill = %#v, want the verification's phone and type", got)
		}
		rows, _ := got["members"].([]map[string]any)
		if len(rows) != 2 || rows[1]["health"] != "健康" || rows[1]["school"] != "高中" || rows[1]["age"] != int64(15) {
			t.Errorf("members = %#v, want the verification's rows, the age counted today (15, not the 16 filed)", got["members"])
		}
	})
	t.Run("Refusals", func(t *testing.T) {
		_, err := f.svc.Prefill(f.ctx, f.user(t, "village21"), c.ID, "household_verification")
		wantCode(t, err, workflows.Forbidden)
		_, err = f.svc.Prefill(f.ctx, f.user(t, cadre), 999999, "household_verification")
		wantCode(t, err, workflows.NotFound)
		_, err = f.svc.Prefill(f.ctx, f.user(t, cadre), c.ID, "no_such_form")
		wantCode(t, err, workflows.NotFound)
	})
}
