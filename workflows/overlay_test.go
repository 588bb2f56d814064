package workflows

import (
	"errors"
	"strings"
	"testing"
	"time"

	"jianfu/forms"
)

const overlayBase = `id: base
title: 基础
start: a
params:
  days: 5
  income_line: {2020: 5000, 2021: 6000, 2022: 7000}
states:
  a:
    title: 甲
    role: village
    on: {go: b}
  b:
    title: 乙
    final: true
`

func TestResolveOverlay(t *testing.T) {
	tests := []struct {
		name, overlay string
		wantProblem   string // "" when it resolves
		wantFile      string // file of the first problem
	}{
		{"AddsAndOverrides", "id: v\nextends: base\nlocality: \"510100000000\"\nparams: {days: 7}\nstates:\n  a: {title: 甲, role: township, on: {go: b}}\n", "", ""},
		{"OverridesNothing", "id: v\nextends: base\nlocality: \"510100000000\"\n", "没有覆盖任何内容", "v.yaml"},
		{"ParamSameAsBase", "id: v\nextends: base\nlocality: \"510100000000\"\nparams: {days: 5}\n", "未覆盖任何内容", "v.yaml"},
		{"RemoveUnknown", "id: v\nextends: base\nlocality: \"510100000000\"\nremove: [zz]\n", "无可删除", "v.yaml"},
		{"BadLocality", "id: v\nextends: base\nlocality: \"5101\"\nparams: {days: 7}\n", "地区代码", "v.yaml"},
		// An anchor holding an alias to itself: comparing it with the base
		// once recursed until the stack overflowed, which kills the server.
		{"SelfAlias", "id: v\nextends: base\nlocality: \"510100000000\"\nparams: {days: &a [*a]}\n", "参数值应为数字", "v.yaml"},
		{"ProblemInOverlayPart", "id: v\nextends: base\nlocality: \"510100000000\"\nstates:\n  a: {title: 甲, role: village, bogus: 1, on: {go: b}}\n", "未知的配置项", "v.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ResolveOverlay("v.yaml", []byte(tt.overlay), "base@1", []byte(overlayBase))
			if tt.wantProblem == "" {
				if err != nil {
					t.Fatalf("resolve: %v, want no problem", err)
				}
				if d.ID != "v" || d.Params["days"] != 7 || d.States["a"].Role != "township" || d.States["b"] == nil {
					t.Errorf("resolved id %s, days %v, a.role %s: want v, 7, township and b kept", d.ID, d.Params["days"], d.States["a"].Role)
				}
				return
			}
			var ps forms.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("resolve: %v, want a problem %q", err, tt.wantProblem)
			}
			if !strings.Contains(ps[0].Message, tt.wantProblem) || ps[0].File != tt.wantFile {
				t.Errorf("problem %s:%d %q, want file %s and %q", ps[0].File, ps[0].Line, ps[0].Message, tt.wantFile, tt.wantProblem)
			}
		})
	}
}

// A problem in a part the overlay did not touch names the base's file.
func TestOverlayProblemNamesBaseFile(t *testing.T) {
	base := strings.Replace(overlayBase, "on: {go: b}", "on: {go: nowhere}", 1)
	d, err := ResolveOverlay("v.yaml", []byte("id: v\nextends: base\nlocality: \"510100000000\"\nparams: {days: 7}\n"), "base@1", []byte(base))
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	err = d.Compile(testCatalog{})
	var ps forms.Problems
	if !errors.As(err, &ps) || ps[0].File != "base@1" || ps[0].Line != 11 {
		t.Fatalf("compile: %v, want a problem at base@1:11", err)
	}
}

func TestParamsFor(t *testing.T) {
	d, err := Parse("base.yaml", []byte(overlayBase))
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name string
		at   time.Time
		want any
	}{
		{"YearListed", time.Date(2021, 6, 1, 0, 0, 0, 0, cst), 6000},
		{"YearAfterLastKeepsLast", time.Date(2026, 6, 1, 0, 0, 0, 0, cst), 7000},
		{"YearBeforeFirstTakesFirst", time.Date(2019, 6, 1, 0, 0, 0, 0, cst), 5000},
		{"NewYearCountedInBeijingTime", time.Date(2021, 12, 31, 17, 0, 0, 0, time.UTC), 7000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.ParamsFor(tt.at)["income_line"]; got != tt.want {
				t.Errorf("income_line at %v = %v, want %v", tt.at, got, tt.want)
			}
		})
	}
	if d.Params["income_line"] != 7000 {
		t.Errorf("default income_line = %v, want the newest year's 7000", d.Params["income_line"])
	}
}

func FuzzResolveOverlay(f *testing.F) {
	f.Add("id: v\nextends: base\nlocality: \"510100000000\"\nparams: {days: 7}\n")
	f.Add("id: v\nextends: base@2\nlocality: \"510100000000\"\nremove: [b]\norder: [b, a]\n")
	f.Add("extends: [x]\n")
	f.Add("id: v\nextends: base\nlocality: \"510100000000\"\nparams: {days: &a [*a]}\n")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ResolveOverlay("v.yaml", []byte(src), "base@1", []byte(overlayBase))
		if err == nil && (d == nil || d.Overlay == nil) {
			t.Fatalf("resolved without an overlay header: %q", src)
		}
	})
}
