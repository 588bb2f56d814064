package workflows

import "testing"

func TestPageNormal(t *testing.T) {
	tests := []struct {
		in, want Page
		offset   int
	}{
		{Page{}, Page{Number: 1, Size: DefaultPageSize}, 0},
		{Page{Number: 3, Size: 20}, Page{Number: 3, Size: 20}, 40},
		{Page{Number: -2, Size: -1}, Page{Number: 1, Size: DefaultPageSize}, 0},
		{Page{Number: 2, Size: 100000}, Page{Number: 2, Size: MaxPageSize}, MaxPageSize},
	}
	for _, tt := range tests {
		if got := tt.in.Normal(); got != tt.want {
			t.Errorf("%+v.Normal() = %+v, want %+v", tt.in, got, tt.want)
		}
		if got := tt.in.Offset(); got != tt.offset {
			t.Errorf("%+v.Offset() = %d, want %d", tt.in, got, tt.offset)
		}
	}
}

func TestTaskPagePages(t *testing.T) {
	tests := []struct {
		number, size, total, pages int
		more                       bool
	}{
		{1, 50, 0, 1, false},
		{1, 50, 50, 1, false},
		{1, 50, 51, 2, true},
		{2, 50, 51, 2, false},
		{3, 20, 100, 5, true},
	}
	for _, tt := range tests {
		p := TaskPage{Page: Page{Number: tt.number, Size: tt.size}, Total: tt.total}
		if got := p.Pages(); got != tt.pages {
			t.Errorf("page %d of %d by %d: Pages() = %d, want %d", tt.number, tt.total, tt.size, got, tt.pages)
		}
		if got := p.More(); got != tt.more {
			t.Errorf("page %d of %d by %d: More() = %v, want %v", tt.number, tt.total, tt.size, got, tt.more)
		}
	}
}
