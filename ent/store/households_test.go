package store_test

import (
	"strings"
	"testing"

	"jianfu/ent/household"
	"jianfu/ent/storetest"
	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// idEndingInX returns a valid 身份证号 whose check character is X, the
// first from test number from on.
func idEndingInX(t testing.TB, from int) string {
	t.Helper()
	for seq := from; seq < 1000; seq++ {
		if id := testID(1975, seq); strings.HasSuffix(id, "X") {
			return id
		}
	}
	t.Fatal("no test number with check character X")
	return ""
}

func testHouseholds(t *testing.T, f *fixture) {
	valid := func() workflows.Household {
		return workflows.Household{HeadName: "欧阳德福", IDNumber: testID(1960, 500), Locality: taoyuan,
			Members: []workflows.Member{
				{Name: "欧阳桂花", IDNumber: testID(1962, 501), Relation: "配偶"},
				{Name: "欧阳小明", IDNumber: testID(2012, 502), Relation: "之子"},
			}}
	}

	t.Run("CreateRefused", func(t *testing.T) {
		tests := []struct {
			name, actor string
			edit        func(*workflows.Household)
			want        workflows.Code
			field       string // for Invalid
		}{
			{"HeadNameRequired", "village11", func(h *workflows.Household) { h.HeadName = "  " }, workflows.Invalid, "head_name"},
			{"HeadNameControlCharacter", "village11", func(h *workflows.Household) { h.HeadName = "欧阳\x00德福" }, workflows.Invalid, "head_name"},
			{"HeadIDNumberRequired", "village11", func(h *workflows.Household) { h.IDNumber = "" }, workflows.Invalid, "id_number"},
			{"HeadIDNumberChecksum", "village11", func(h *workflows.Household) { h.IDNumber = wrongCheck(h.IDNumber) }, workflows.Invalid, "id_number"},
			{"HeadIDNumberShort", "village11", func(h *workflows.Household) { h.IDNumber = h.IDNumber[:15] }, workflows.Invalid, "id_number"},
			{"MemberIDNumberChecksum", "village11", func(h *workflows.Household) { h.Members[1].IDNumber = wrongCheck(h.Members[1].IDNumber) }, workflows.Invalid, "members[1].id_number"},
			{"MemberRelationInvalidUTF8", "village11", func(h *workflows.Household) { h.Members[0].Relation = "\xff" }, workflows.Invalid, "members[0].relation"},
			{"MemberNameRequired", "village11", func(h *workflows.Household) { h.Members[0].Name = "" }, workflows.Invalid, "members[0].name"},
			{"LocalityNotACode", "village11", func(h *workflows.Household) { h.Locality = "5101" }, workflows.Invalid, "locality"},
			{"LocalityUnknown", "village11", func(h *workflows.Household) { h.Locality = "510100001009" }, workflows.Invalid, "locality"},
			{"LocalityNotAVillage", "town1", func(h *workflows.Household) { h.Locality = "510100001000" }, workflows.Invalid, "locality"},
			{"LocalityIsCounty", "county1", func(h *workflows.Household) { h.Locality = "510100000000" }, workflows.Invalid, "locality"},
			{"OutsideVillage", "village11", func(h *workflows.Household) { h.Locality = liuwan }, workflows.Forbidden, ""},
			{"OutsideTownship", "town1", func(h *workflows.Household) { h.Locality = qingsong }, workflows.Forbidden, ""},
			{"LiaisonRegisters", "liaison-minzheng", func(*workflows.Household) {}, workflows.Forbidden, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h := valid()
				tt.edit(&h)
				before := f.state(t)
				_, err := f.svc.CreateHousehold(f.ctx, f.user(t, tt.actor), h)
				e := wantCode(t, err, tt.want)
				if tt.field != "" {
					wantField(t, e, tt.field)
				}
				unchanged(t, before, f.state(t))
			})
		}
	})

	t.Run("CreateStoresMembers", func(t *testing.T) {
		h := valid()
		h.IDNumber = strings.ToLower(idEndingInX(t, 900)) // a cadre may type a small x
		got, err := f.svc.CreateHousehold(f.ctx, f.user(t, "town1"), h)
		if err != nil {
			t.Fatalf("town1 registers a household in 桃园村: %v", err)
		}
		if got.IDNumber != strings.ToUpper(h.IDNumber) || got.Locality != taoyuan || len(got.Members) != 2 ||
			got.Members[1].Name != "欧阳小明" || got.Members[1].Relation != "之子" {
			t.Errorf("registered %+v, want %s in %s with its 2 members", got, strings.ToUpper(h.IDNumber), taoyuan)
		}
	})

	t.Run("DuplicateHeadIDConflict", func(t *testing.T) {
		first := f.newHousehold(t, liuwan)
		for _, actor := range []string{"village12", "village11"} {
			h := valid()
			h.IDNumber = first.IDNumber
			h.Locality = cadreVillage(actor)
			before := f.state(t)
			_, err := f.svc.CreateHousehold(f.ctx, f.user(t, actor), h)
			wantField(t, wantCode(t, err, workflows.Conflict), "id_number")
			unchanged(t, before, f.state(t))
		}
	})

	mine := f.newHousehold(t, taoyuan)
	t.Run("SearchByName", func(t *testing.T) {
		assertFinds(t, f, "village11", mine.HeadName, mine.ID, true)
		assertFinds(t, f, "town1", mine.HeadName, mine.ID, true)
		assertFinds(t, f, "county1", " "+mine.HeadName+" ", mine.ID, true)
		assertFinds(t, f, "village12", mine.HeadName, mine.ID, false)
		assertFinds(t, f, "town2", mine.HeadName, mine.ID, false)
	})

	t.Run("SearchByLastDigits", func(t *testing.T) {
		last6 := mine.IDNumber[12:]
		assertFinds(t, f, "village11", last6, mine.ID, true)
		assertFinds(t, f, "town1", last6, mine.ID, true)
		assertFinds(t, f, "town2", last6, mine.ID, false)
		h := valid()
		h.HeadName, h.IDNumber, h.Members = "欧阳晓晓", idEndingInX(t, 950), nil
		withX, err := f.svc.CreateHousehold(f.ctx, f.user(t, "village11"), h)
		if err != nil {
			t.Fatalf("register a household whose number ends in X: %v", err)
		}
		assertFinds(t, f, "village11", strings.ToLower(withX.IDNumber[14:]), withX.ID, true)
	})

	t.Run("SearchTextIsLiteral", func(t *testing.T) {
		// Wildcards match themselves; NUL and broken UTF-8 match nothing
		// (SQLite would cut the pattern at NUL, PostgreSQL refuse it).
		for _, q := range []string{"%", "_", "欧阳%", "\\", "\x00", "欧阳\x00", "\xff"} {
			got, err := f.svc.Households(f.ctx, f.user(t, "county1"), q, 10)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if len(got) != 0 {
				t.Errorf("search %q finds %d households, want none (no name holds it)", q, len(got))
			}
		}
	})

	t.Run("ListStaysInArea", func(t *testing.T) {
		for _, name := range []string{"village11", "village12", "village21", "town1", "town2", "county1"} {
			actor := f.user(t, name)
			got, err := f.svc.Households(f.ctx, actor, "", 500)
			if err != nil {
				t.Fatalf("list as %s: %v", name, err)
			}
			area := pathOf(t, actor.Locality)
			for _, h := range got {
				if !strings.HasPrefix(pathOf(t, h.Locality), area) {
					t.Errorf("%s (%s) lists household %d of %s", name, actor.Locality, h.ID, h.Locality)
				}
			}
			want, err := f.db.Client.Household.Query().Where(household.LocalityPathHasPrefix(area)).Count(f.ctx)
			if err != nil {
				t.Fatalf("count households under %s: %v", area, err)
			}
			if len(got) != want {
				t.Errorf("%s lists %d households, want all %d of the area", name, len(got), want)
			}
		}
	})

	t.Run("ListMasksIDNumber", func(t *testing.T) {
		got, err := f.svc.Households(f.ctx, f.user(t, "town1"), "欧阳", 50)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if len(got) == 0 {
			t.Fatal("town1 finds none of the 欧阳 households registered in its villages")
		}
		for _, h := range got {
			if h.IDNumberMasked == "" || h.IDNumberMasked == h.IDNumber || h.IDNumberMasked != forms.MaskIDCard(h.IDNumber) {
				t.Errorf("household %d is listed with masked number %q", h.ID, h.IDNumberMasked)
			}
		}
	})

	t.Run("ListHonoursLimit", func(t *testing.T) {
		got, err := f.svc.Households(f.ctx, f.user(t, "county1"), "", 5)
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if len(got) != 5 {
			t.Errorf("a list limited to 5 has %d households", len(got))
		}
	})

	t.Run("LimitKeepsTheFirstMatches", func(t *testing.T) {
		// The page is the first matches by id, in id order, for a list
		// and for a search.
		for range 3 {
			f.newHousehold(t, taoyuan)
		}
		for _, q := range []string{"", "欧阳"} {
			all, err := f.svc.Households(f.ctx, f.user(t, "county1"), q, 500)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if len(all) < 3 {
				t.Fatalf("search %q finds %d households, want 3 or more to cut", q, len(all))
			}
			for i := 1; i < len(all); i++ {
				if all[i-1].ID >= all[i].ID {
					t.Fatalf("search %q lists household %d before %d", q, all[i-1].ID, all[i].ID)
				}
			}
			page, err := f.svc.Households(f.ctx, f.user(t, "county1"), q, 2)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if len(page) != 2 || page[0].ID != all[0].ID || page[1].ID != all[1].ID {
				t.Errorf("search %q limited to 2 lists %v, want households %d and %d", q, householdIDs(page), all[0].ID, all[1].ID)
			}
		}
	})
}

func householdIDs(hs []workflows.Household) []int {
	ids := make([]int, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}

func cadreVillage(username string) string {
	return map[string]string{"village11": taoyuan, "village12": liuwan, "village21": qingsong}[username]
}

func pathOf(t testing.TB, code string) string {
	t.Helper()
	p, err := roles.Path(code)
	if err != nil {
		t.Fatalf("path of %q: %v", code, err)
	}
	return p
}

// assertFinds checks whether a search as user lists household id.
func assertFinds(t *testing.T, f *fixture, user, query string, id int, want bool) {
	t.Helper()
	got, err := f.svc.Households(f.ctx, f.user(t, user), query, 100)
	if err != nil {
		t.Fatalf("search %q as %s: %v", query, user, err)
	}
	found := false
	for _, h := range got {
		found = found || h.ID == id
	}
	if found != want {
		t.Errorf("search %q as %s finds household %d: %v, want %v (got %d households)", query, user, id, found, want, len(got))
	}
}

// FuzzHouseholdSearch searches with arbitrary text: never an error, never a
// household outside the searcher's village, and only households whose head's
// name holds the text or whose number ends with it.
func FuzzHouseholdSearch(f *testing.F) {
	for _, seed := range []string{"", "欧阳", "王", "0017", "002x", "%", "_", "\\", "' OR 1=1 --", "\x00", "\xff", "  李 ", "X"} {
		f.Add(seed)
	}
	var fixtures []*fixture
	for _, tdb := range storetest.TestDatabases(f) {
		fx := newFixture(f, openDB(f, tdb), seedCounty)
		for _, v := range []string{taoyuan, taoyuan, liuwan, qingsong} {
			fx.newHousehold(f, v)
		}
		fixtures = append(fixtures, fx)
	}
	f.Fuzz(func(t *testing.T, query string) {
		for _, fx := range fixtures {
			actor := fx.user(t, "village11")
			got, err := fx.svc.Households(fx.ctx, actor, query, 50)
			if err != nil {
				t.Fatalf("search %q: %v", query, err)
			}
			q := strings.TrimSpace(query)
			for _, h := range got {
				if h.Locality != taoyuan {
					t.Errorf("search %q as village11 lists household %d of %s", query, h.ID, h.Locality)
				}
				if !strings.Contains(h.HeadName, q) && !strings.HasSuffix(h.IDNumber, strings.ToUpper(q)) {
					t.Errorf("search %q lists %s (%s), which matches neither by name nor by number", query, h.HeadName, h.IDNumberMasked)
				}
			}
		}
	})
}

// FuzzCreateHousehold registers arbitrary text as a village cadre: it is
// registered, or refused as Invalid (or Conflict, for a number already
// registered) with nothing written; never an internal error.
func FuzzCreateHousehold(f *testing.F) {
	f.Add("欧阳春生", testID(1970, 700), "欧阳小月", "之女")
	f.Add(" 欧阳秋生 ", strings.ToLower(idEndingInX(f, 700)), "", "")
	f.Add("欧阳\x00", testID(1970, 701), "欧阳小月", "之女")
	f.Add("欧阳建华", testID(1970, 702), "\xff", "之子")
	f.Add("欧阳玉兰", testID(1970, 703), "欧阳小兰", "之\u0007女")
	f.Add("", "110105197003077", "x", "")
	var fixtures []*fixture
	for _, tdb := range storetest.TestDatabases(f) {
		fixtures = append(fixtures, newFixture(f, openDB(f, tdb), seedCounty))
	}
	f.Fuzz(func(t *testing.T, head, id, member, relation string) {
		h := workflows.Household{HeadName: head, IDNumber: id, Locality: taoyuan,
			Members: []workflows.Member{{Name: member, IDNumber: testID(2010, 700), Relation: relation}}}
		for _, fx := range fixtures {
			before := fx.state(t)
			got, err := fx.svc.CreateHousehold(fx.ctx, fx.user(t, "village11"), h)
			if err == nil {
				if got.HeadName != strings.TrimSpace(head) || got.Locality != taoyuan {
					t.Errorf("registered %q in %s, want %q in %s", got.HeadName, got.Locality, strings.TrimSpace(head), taoyuan)
				}
				continue
			}
			if code := workflows.ErrorCode(err); code != workflows.Invalid && code != workflows.Conflict {
				t.Fatalf("register %q %q: got %s (%v), want success, Invalid or Conflict", head, id, code, err)
			}
			unchanged(t, before, fx.state(t))
		}
	})
}
