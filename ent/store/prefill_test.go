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
		want := map[string]any{"township": "东山镇", "village": "桃园村", "head_name": h.HeadName, "head_id": h.IDNumber,
			"checker1": f.user(t, cadre).Name, "visit_date": "2026-03-02"}
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
		// The registry has no gender for her: it comes from the 身份证号.
		gender := map[bool]string{true: "男", false: "女"}[(daughter.IDNumber[16]-'0')%2 == 1]
		if want := (map[string]any{"name": daughter.Name, "id_card": daughter.IDNumber, "relation": "之女", "gender": gender, "age": int64(15)}); !reflect.DeepEqual(last, want) {
			t.Errorf("daughter's row = %#v, want %#v", last, want)
		}
		app := prefill("application_authorization")
		if app["head_id"] != h.IDNumber || len(app["members"].([]map[string]any)) != len(h.Members) {
			t.Errorf("application prefill = %#v, want the head and the registry's members", app)
		}
		if _, ok := app["members"].([]map[string]any)[0]["age"]; ok {
			t.Errorf("application rows = %#v, want only the repeat's own fields", app["members"])
		}
		if got := prefill("send_back"); got != nil {
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
	t.Run("ApplicationLaidOver", func(t *testing.T) {
		// The application filed above carried a phone and 因病; the
		// registry has neither.
		got := prefill("household_verification")
		if got["phone"] != "13800138000" || !reflect.DeepEqual(got["risks"], []string{"因病"}) {
			t.Errorf("phone %v, risks %#v; want the application's", got["phone"], got["risks"])
		}
		// Another household's application adds a member and corrects the
		// head's number.
		h2 := f.newHousehold(t, taoyuan)
		c2, err := f.svc.StartCase(f.ctx, f.user(t, cadre), "identification", h2.ID)
		if err != nil {
			t.Fatal(err)
		}
		data := applicationData(h2)
		newborn := testID(2025, 900) // born 2025-03-07: not yet one on 2026-03-02
		data["members"] = append(data["members"].([]any), map[string]any{"name": "欧阳小宝", "id_card": newborn, "relation": "孙子女"})
		f.fire(t, cadre, c2, "submit", data)
		v, err := f.svc.Prefill(f.ctx, f.user(t, cadre), c2.ID, "household_verification")
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := v["members"].([]map[string]any)
		if len(rows) != 3 {
			t.Fatalf("members = %#v, want the application's three", v["members"])
		}
		if want := (map[string]any{"name": "欧阳小宝", "id_card": newborn, "relation": "孙子女", "gender": "女", "age": int64(0)}); !reflect.DeepEqual(rows[2], want) {
			t.Errorf("the added member = %#v, want %#v (gender and age from the 身份证号)", rows[2], want)
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
