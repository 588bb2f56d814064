package forms

import (
	"strings"
	"testing"
	"time"
)

func TestParamsByYear(t *testing.T) {
	form := func(params string) string {
		return "id: f\ntitle: 表\nparams:\n  line: " + params + "\nfields:\n  - {name: a, type: integer, label: 甲, constraint: \"value < params.line\"}\n"
	}
	tests := []struct {
		name, params string
		year         int
		want         any
		problem      string
	}{
		{"NewestYearNotAfterCase", "{2021: 6000, 2023: 7000}", 2022, 6000, ""},
		{"YearBeforeEveryListedTakesFirst", "{2021: 6000, 2023: 7000}", 2019, 6000, ""},
		{"NumbersMayMixIntAndFloat", "{2021: 6000, 2023: 7000.5}", 2024, 7000.5, ""},
		{"YearOutOfRange", "{20222: 6000}", 0, nil, "年度"},
		{"KindsDiffer", "{2021: 6000, 2022: 高}", 0, nil, "类型应相同"},
		{"EmptyYears", "{}", 0, nil, "至少需要一个年度"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("f.yaml", []byte(form(tt.params)))
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("got %v, want a problem mentioning %q", err, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			start := time.Date(tt.year, 7, 1, 0, 0, 0, 0, beijing)
			if got := d.ParamsFor(start)["line"]; got != tt.want {
				t.Errorf("line for %d = %v (%T), want %v", tt.year, got, got, tt.want)
			}
		})
	}
	t.Run("PlainParamsGiveNoYears", func(t *testing.T) {
		d, err := Parse("f.yaml", []byte(form("6000")))
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		if got := d.ParamsFor(time.Now()); got != nil {
			t.Errorf("ParamsFor = %v, want nil without params by year", got)
		}
	})
}
