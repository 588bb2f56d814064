package store_test

import (
	"slices"
	"testing"

	"jianfu/workflows"
)

func testLocalities(t *testing.T, f *fixture) {
	codes := func(ls []workflows.Locality) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = l.Code
		}
		return out
	}
	tests := []struct {
		name, actor string
		want        []string
	}{
		{"VillageSeesItself", "village11", []string{taoyuan}},
		{"TownshipSeesItsVillages", "town1", []string{"510100001000", taoyuan, liuwan, "510100001003"}},
		{"OtherTownshipSeesNoneOfThem", "town2", []string{"510100002000", qingsong, "510100002002", "510100002003"}},
		{"CountySeesAll", "county1", []string{"510100000000", "510100001000", taoyuan, liuwan, "510100001003",
			"510100002000", qingsong, "510100002002", "510100002003"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.svc.Localities(f.ctx, f.user(t, tt.actor))
			if err != nil {
				t.Fatalf("Localities(%s): %v", tt.actor, err)
			}
			if !slices.Equal(codes(got), tt.want) {
				t.Errorf("Localities(%s) = %v, want %v", tt.actor, codes(got), tt.want)
			}
		})
	}
	t.Run("NamesAndLevels", func(t *testing.T) {
		got, err := f.svc.Localities(f.ctx, f.user(t, "town1"))
		if err != nil {
			t.Fatalf("Localities(town1): %v", err)
		}
		want := []workflows.Locality{
			{Code: "510100001000", Name: "东山镇", Level: "township"},
			{Code: taoyuan, Name: "桃园村", Level: "village"},
		}
		if len(got) < 2 || !slices.Equal(got[:2], want) {
			t.Errorf("Localities(town1)[:2] = %+v, want %+v", got, want)
		}
	})
	t.Run("BrokenUserCodeSeesNothing", func(t *testing.T) {
		got, err := f.svc.Localities(f.ctx, workflows.User{Username: "x", Role: "village", Locality: "bogus"})
		if err != nil {
			t.Fatalf("Localities(bogus): %v", err)
		}
		if len(got) != 0 {
			t.Errorf("Localities for a broken code = %v, want none", codes(got))
		}
	})
}
