package store_test

import (
	"fmt"
	"testing"

	"jianfu/ent/event"
	"jianfu/workflows"
)

// testLoadHouseholds: a registry loaded in bulk gives each household its
// own members (the ids of a multi-row insert paired with the right rows),
// audits the batch, and a 身份证号 already registered fails its batch and
// loads nothing of it.
func testLoadHouseholds(t *testing.T, f *fixture) {
	county := f.user(t, "county1")
	var hs []workflows.Household
	for i := range 5 {
		h := workflows.Household{HeadName: fmt.Sprintf("欧阳户%d", i), IDNumber: testID(1960+i, 100+i), Locality: taoyuan}
		for j := range i { // 0 to 4 members besides the head
			h.Members = append(h.Members, workflows.Member{Name: fmt.Sprintf("欧阳户%d之%d", i, j),
				IDNumber: testID(1990+j, 200+10*i+j), Relation: "之子"})
		}
		hs = append(hs, h)
	}
	n, err := f.svc.LoadHouseholds(f.ctx, county, hs)
	if err != nil || n != len(hs) {
		t.Fatalf("LoadHouseholds = %d, %v; want %d loaded", n, err, len(hs))
	}
	for _, want := range hs {
		found, err := f.svc.Households(f.ctx, county, want.IDNumber, 10)
		if err != nil || len(found) != 1 {
			t.Fatalf("search %s: %v, %v; want its household", want.HeadName, found, err)
		}
		got, err := f.svc.Household(f.ctx, county, found[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range got.Members {
			names = append(names, m.Name)
		}
		var wantNames []string
		for _, m := range want.Members {
			wantNames = append(wantNames, m.Name)
		}
		if fmt.Sprint(names) != fmt.Sprint(wantNames) {
			t.Errorf("household %s has members %v; want %v", want.HeadName, names, wantNames)
		}
	}
	audits, err := f.db.Client.Event.Query().Where(event.Kind("load_households")).All(f.ctx)
	if err != nil || len(audits) != 1 || audits[0].Actor != "county1" {
		t.Errorf("audit events of the load = %v, %v; want one by county1", audits, err)
	}

	again := []workflows.Household{{HeadName: "欧阳新户", IDNumber: testID(1970, 300), Locality: taoyuan}, hs[2]}
	if n, err := f.svc.LoadHouseholds(f.ctx, county, again); err == nil || n != 0 {
		t.Errorf("loading a registered 身份证号 again = %d, %v; want its batch refused", n, err)
	}
	if found, err := f.svc.Households(f.ctx, county, testID(1970, 300), 10); err != nil || len(found) != 0 {
		t.Errorf("the new household of the refused batch: %v, %v; want it not loaded", found, err)
	}
}
