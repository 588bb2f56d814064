package store_test

import (
	"fmt"
	"slices"
	"testing"

	"jianfu/workflows"
)

// testHouseholdListCap: a list of more than MaxListedHouseholds counts
// and pages through the first MaxListedHouseholds only, and says so.
func testHouseholdListCap(t *testing.T, f *fixture) {
	const extra = 3
	county := f.user(t, "county1")
	hs := make([]workflows.Household, workflows.MaxListedHouseholds+extra)
	for i := range hs {
		id := withCheck(fmt.Sprintf("110105%04d%02d%02d%03d", 1940+i/336, 1+i/28%12, 1+i%28, 100))
		hs[i] = workflows.Household{HeadName: fmt.Sprintf("欧阳%d", i), IDNumber: id, Locality: taoyuan}
	}
	if n, err := f.svc.LoadHouseholds(f.ctx, county, hs); err != nil || n != len(hs) {
		t.Fatalf("LoadHouseholds = %d, %v; want %d loaded", n, err, len(hs))
	}
	first, err := f.svc.Households(f.ctx, county, "", 1)
	if err != nil || len(first) != 1 {
		t.Fatalf("first household: %v, %v", first, err)
	}
	// Loaded in one go, the households have consecutive ids.
	nth := func(i int) int { return first[0].ID + i - 1 }
	const most = workflows.MaxListedHouseholds
	tests := []struct {
		query string
		page  workflows.Page
		// The page holds items households, for the list from the
		// first-th on.
		first, items int
		total        int
		capped       bool
	}{
		{"", workflows.Page{Number: 1}, 1, 50, most, true},
		{"", workflows.Page{Number: most / 50}, most - 49, 50, most, true},
		{"", workflows.Page{Number: most/50 + 1}, 0, 0, most, true},
		// The last page within the cap is cut short by it.
		{"", workflows.Page{Number: most/3 + 1, Size: 3}, most - 1, 2, most, true},
		// 欧阳4, 欧阳40…欧阳49, 欧阳400…欧阳499, 欧阳4000…欧阳4999.
		{"欧阳4", workflows.Page{Number: 1}, 0, 50, 1111, false},
	}
	for _, tt := range tests {
		p, err := f.svc.SearchHouseholds(f.ctx, county, tt.query, tt.page)
		if err != nil {
			t.Fatalf("search %q, page %+v: %v", tt.query, tt.page, err)
		}
		got := householdIDs(p.Households)
		if p.Total != tt.total || p.Capped != tt.capped || len(got) != tt.items {
			t.Errorf("search %q, page %+v: %d households, total %d, capped %v; want %d, %d, %v",
				tt.query, tt.page, len(got), p.Total, p.Capped, tt.items, tt.total, tt.capped)
		}
		for i, id := range got {
			if tt.first > 0 && id != nth(tt.first+i) {
				t.Errorf("search %q, page %+v: households %v, want from household %d on", tt.query, tt.page, got, nth(tt.first))
				break
			}
		}
	}
}

// testHouseholdPages: the pages of a list or search, read one after
// another at any size, hold every match once, in id order, each page with
// the count of all matches, and a page past the end holds none but still
// counts them.
func testHouseholdPages(t *testing.T, f *fixture) {
	// Interleaved, so that an area's households are not a run of ids.
	var tail string
	for i := range 11 {
		h := f.newHousehold(t, []string{taoyuan, liuwan, taoyuan, qingsong}[i%4])
		if i == 5 {
			tail = h.IDNumber[14:]
		}
	}
	searches := []struct{ actor, query string }{
		{"village11", ""}, {"town1", ""}, {"county1", ""}, {"town2", ""},
		{"county1", "欧阳"}, {"town1", "欧阳"}, {"county1", tail}, {"county1", "李"}, {"county1", "欧阳\x00"},
	}
	for _, s := range searches {
		actor := f.user(t, s.actor)
		// Households, the first-N read the suite pins on its own, is the
		// measure; 500 is more than the fixture holds.
		all, err := f.svc.Households(f.ctx, actor, s.query, 500)
		if err != nil {
			t.Fatalf("households %q of %s: %v", s.query, s.actor, err)
		}
		want := householdIDs(all)
		for _, size := range []int{1, 2, 3, 6, 50} {
			var got []int
			pages := max(1, (len(want)+size-1)/size)
			for n := 1; n <= pages+1; n++ {
				p, err := f.svc.SearchHouseholds(f.ctx, actor, s.query, workflows.Page{Number: n, Size: size})
				if err != nil {
					t.Fatalf("%s searches %q, page %d of %d: %v", s.actor, s.query, n, size, err)
				}
				if p.Total != len(want) || p.Pages() != pages || p.More() != (n < pages) || p.Page != (workflows.Page{Number: n, Size: size}) {
					t.Errorf("%s searches %q, page %d of %d: total %d, %d pages, more %v, page %+v; want %d, %d, %v",
						s.actor, s.query, n, size, p.Total, p.Pages(), p.More(), p.Page, len(want), pages, n < pages)
				}
				if p.Households == nil || len(p.Households) > size {
					t.Errorf("%s searches %q, page %d of %d: %d households (nil: %v)", s.actor, s.query, n, size, len(p.Households), p.Households == nil)
				}
				if n > pages && len(p.Households) > 0 {
					t.Errorf("%s searches %q: page %d of %d, past the end, lists %v", s.actor, s.query, n, size, householdIDs(p.Households))
				}
				for _, h := range p.Households {
					if h.IDNumberMasked == "" || h.IDNumberMasked == h.IDNumber {
						t.Errorf("household %d is listed with masked number %q", h.ID, h.IDNumberMasked)
					}
				}
				got = append(got, householdIDs(p.Households)...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s searches %q in pages of %d: %v, want %v", s.actor, s.query, size, got, want)
			}
		}
	}

	t.Run("Defaults", func(t *testing.T) {
		for _, tt := range []struct{ in, want workflows.Page }{
			{workflows.Page{}, workflows.Page{Number: 1, Size: workflows.DefaultPageSize}},
			{workflows.Page{Number: -1, Size: 100000}, workflows.Page{Number: 1, Size: workflows.MaxPageSize}},
		} {
			p, err := f.svc.SearchHouseholds(f.ctx, f.user(t, "county1"), "", tt.in)
			if err != nil {
				t.Fatalf("page %+v: %v", tt.in, err)
			}
			if p.Page != tt.want || p.Total != 11 || len(p.Households) != 11 {
				t.Errorf("page %+v: served %+v with %d of %d households, want %+v with all 11", tt.in, p.Page, len(p.Households), p.Total, tt.want)
			}
		}
	})
}
