package roles

import (
	"errors"
	"strings"
	"testing"

	"github.com/casbin/casbin/v2/util"
)

func TestPath(t *testing.T) {
	tests := []struct {
		name, code, want string
	}{
		{"ProvinceIsItsTwoDigits", "510000000000", "51"},
		{"CountyIsSixDigits", "510100000000", "510100/"},
		{"CountyWithNonZeroCountyDigits", "510104000000", "510104/"},
		{"TownshipAddsItsSegment", "510100001000", "510100/001/"},
		{"VillageAddsItsSegment", "510100001001", "510100/001/001/"},
		{"VillageNumberedAbove99", "510100012345", "510100/012/345/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Path(tt.code)
			if err != nil || got != tt.want {
				t.Errorf("Path(%q) = %q, %v; want %q, nil", tt.code, got, err, tt.want)
			}
		})
	}
}

func TestPathRejectsMalformedCodes(t *testing.T) {
	tests := []struct{ name, code string }{
		{"Empty", ""},
		{"TooShort", "51010000100"},
		{"TooLong", "5101000010010"},
		{"IDCardNumber", "11010519491231002X"},
		{"Letter", "51010000100a"},
		{"FullWidthDigit", "51010000100１"},
		{"NoProvince", "000100001001"},
		{"AllZero", "000000000000"},
		{"VillageWithoutTownship", "510100000001"},
		{"TownshipWithoutCounty", "510000001000"},
		{"VillageWithoutCounty", "510000001001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Path(tt.code)
			var invalid *InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("Path(%q) = %q, %v; want an *InvalidError", tt.code, got, err)
			}
			if strings.Contains(err.Error(), tt.code) && tt.code != "" {
				t.Errorf("error %q echoes the input; a pasted 身份证号 would leak", err)
			}
			if _, err := Level(tt.code); err == nil {
				t.Errorf("Level(%q) accepted a code Path rejects", tt.code)
			}
			if p, ok := Parent(tt.code); ok {
				t.Errorf("Parent(%q) = %q, true; want false", tt.code, p)
			}
		})
	}
}

func TestLevel(t *testing.T) {
	tests := []struct{ name, code, want string }{
		{"Province", "510000000000", LevelProvince},
		{"CountyWhoseCountyDigitsAreZero", "510100000000", LevelCounty},
		{"County", "510104000000", LevelCounty},
		{"Township", "510100001000", LevelTownship},
		{"Village", "510100001001", LevelVillage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Level(tt.code)
			if err != nil || got != tt.want {
				t.Errorf("Level(%q) = %q, %v; want %q", tt.code, got, err, tt.want)
			}
		})
	}
}

func TestParent(t *testing.T) {
	tests := []struct {
		name, code, want string
		ok               bool
	}{
		{"VillageToTownship", "510100001001", "510100001000", true},
		{"TownshipToCounty", "510100001000", "510100000000", true},
		{"CountyToProvince", "510104000000", "510000000000", true},
		{"ProvinceHasNone", "510000000000", "", false},
		{"MalformedHasNone", "5101", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Parent(tt.code)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Parent(%q) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzPath checks the properties the grant patterns and the store's prefix
// queries rely on, for any input: a path exists only for twelve digits; the
// digits can be read back from it; it is covered by its parent's pattern;
// and only the province's path lacks the closing slash.
func FuzzPath(f *testing.F) {
	for _, s := range []string{"510100001001", "510100001000", "510100000000", "510000000000",
		"510100000001", "000000000000", "11010519491231002X", "", "5101000010０1", "51/100/001/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Path(s)
		if err != nil {
			if _, ok := Parent(s); ok {
				t.Fatalf("Parent(%q) succeeded where Path failed: %v", s, err)
			}
			return
		}
		if len(s) != 12 || strings.Trim(s, "0123456789") != "" {
			t.Fatalf("Path(%q) = %q; accepted something that is not 12 digits", s, p)
		}
		if back := strings.ReplaceAll(p, "/", ""); back+strings.Repeat("0", 12-len(back)) != s {
			t.Fatalf("Path(%q) = %q; the code cannot be read back from it", s, p)
		}
		level, err := Level(s)
		if err != nil {
			t.Fatalf("Level(%q) failed where Path succeeded: %v", s, err)
		}
		if strings.HasSuffix(p, "/") == (level == LevelProvince) {
			t.Fatalf("Path(%q) = %q at level %s; only a province's path lacks the closing slash", s, p, level)
		}
		parent, ok := Parent(s)
		if ok != (level != LevelProvince) {
			t.Fatalf("Parent(%q) ok = %v at level %s", s, ok, level)
		}
		if !ok {
			return
		}
		pp, err := Path(parent)
		if err != nil {
			t.Fatalf("Parent(%q) = %q, which is malformed: %v", s, parent, err)
		}
		if len(pp) >= len(p) || !strings.HasPrefix(p, pp) || !util.KeyMatch(p, pp+"*") {
			t.Fatalf("path %q of %q is not strictly below its parent's %q", p, s, pp)
		}
	})
}
