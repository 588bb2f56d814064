package store

import "testing"

func TestPathEnd(t *testing.T) {
	for _, tt := range []struct {
		path, end       string
		inside, outside []string
	}{
		{"510100/", "5101000", []string{"510100/001/", "510100/020/015/"}, []string{"510101/", "5101001/", "51010/"}},
		{"510100/001/", "510100/0010", []string{"510100/001/001/", "510100/001/999/"}, []string{"510100/002/", "510100/0011/", "510100/000/"}},
		{"51", "52", []string{"510100/"}, []string{"52", "50", "5"}},
	} {
		if got := pathEnd(tt.path); got != tt.end {
			t.Errorf("pathEnd(%q) = %q, want %q", tt.path, got, tt.end)
		}
		for _, p := range append(tt.inside, tt.path) {
			if p < tt.path || p >= tt.end {
				t.Errorf("%q is below %q but falls outside [%q, %q)", p, tt.path, tt.path, tt.end)
			}
		}
		for _, p := range tt.outside {
			if p >= tt.path && p < tt.end {
				t.Errorf("%q is not below %q but falls inside [%q, %q)", p, tt.path, tt.path, tt.end)
			}
		}
	}
}
