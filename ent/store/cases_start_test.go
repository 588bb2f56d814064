package store_test

import (
	"testing"

	"jianfu/workflows"
)

// testStartCheck: a household page asks whether StartCase would start
// 识别纳入: yes for the village's cadre, not for the county (who does not
// start it), and once a case is open, that case instead; another village
// is refused, as StartCase refuses it.
func testStartCheck(t *testing.T, f *fixture) {
	h := f.newHousehold(t, taoyuan)
	check := func(user string) workflows.StartCheck {
		t.Helper()
		got, err := f.svc.StartCheck(f.ctx, f.user(t, user), "identification", h.ID)
		if err != nil {
			t.Fatalf("StartCheck as %s: %v", user, err)
		}
		return got
	}
	if got := check(cadreOf(taoyuan)); !got.Allowed || got.OpenCaseID != 0 || got.Title != "监测对象识别纳入" {
		t.Errorf("the village cadre, nothing open: %+v; want allowed", got)
	}
	if got := check("county1"); got.Allowed {
		t.Errorf("the county: %+v; want not allowed (the village starts 识别纳入)", got)
	}
	c, err := f.svc.StartCase(f.ctx, f.user(t, cadreOf(taoyuan)), "identification", h.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := check(cadreOf(taoyuan)); got.Allowed || got.OpenCaseID != c.ID {
		t.Errorf("with case %d open: %+v; want that case, not allowed", c.ID, got)
	}
	if _, err := f.svc.StartCheck(f.ctx, f.user(t, "village21"), "identification", h.ID); workflows.ErrorCode(err) != workflows.Forbidden {
		t.Errorf("another village's cadre: %v; want Forbidden", err)
	}
	if _, err := f.svc.StartCheck(f.ctx, f.user(t, "county1"), "identification", 999999); workflows.ErrorCode(err) != workflows.NotFound {
		t.Errorf("no such household: %v; want NotFound", err)
	}
}
