package sheets

import (
	"errors"
	"io"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Progress rises with the rows, never falls, and reaches 1 at the end of
// the file, for every format: an import shows it instead of counting the
// rows first.
func TestProgress(t *testing.T) {
	const n = 10_000
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = benchRow(i)
	}
	utf8CSV := csvOf(t, ',', benchHeader, rows)
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf8CSV)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"XLSX", xlsxOf(t, benchHeader, rows)},
		{"CSV", utf8CSV},
		{"CSVGB18030", gbk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) < 500_000 {
				t.Fatalf("the file has %d bytes: too small to show gradual progress", len(tt.data))
			}
			r, err := openBytes(tt.data, "名单")
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			// at[i] is Progress after the i-th row.
			at := []float64{r.Progress()}
			for {
				_, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				p := r.Progress()
				if p < at[len(at)-1] {
					t.Fatalf("Progress fell from %.4f to %.4f at row %d", at[len(at)-1], p, len(at))
				}
				at = append(at, p)
			}
			if len(at) != n+1 {
				t.Fatalf("read %d rows, want %d", len(at)-1, n)
			}
			for _, c := range []struct {
				row    int
				lo, hi float64
			}{
				{1, 0, 0.1},
				{n / 4, 0.15, 0.35},
				{n / 2, 0.4, 0.6},
				{n * 3 / 4, 0.65, 0.85},
			} {
				if p := at[c.row]; p < c.lo || p > c.hi {
					t.Errorf("Progress after row %d of %d = %.4f, want %.2f to %.2f", c.row, n, p, c.lo, c.hi)
				}
			}
			t.Logf("%d bytes; Progress after rows 1, %d, %d, %d: %.4f %.4f %.4f %.4f; at the end %.4f",
				len(tt.data), n/4, n/2, n*3/4, at[1], at[n/4], at[n/2], at[n*3/4], r.Progress())
			if p := r.Progress(); p < 0.99 || p > 1 {
				t.Errorf("Progress at the end = %.4f, want 0.99 to 1", p)
			}
		})
	}
}

// A small file may be read in one go, but Progress stays within 0 and 1.
func TestProgressSmallFile(t *testing.T) {
	for _, data := range [][]byte{
		xlsxOf(t, listHeader, listRows()),
		csvOf(t, ',', listHeader, listRows()),
	} {
		r, err := openBytes(data, "名单")
		if err != nil {
			t.Fatal(err)
		}
		for p := r.Progress(); ; p = r.Progress() {
			if p < 0 || p > 1 {
				t.Fatalf("Progress = %v", p)
			}
			if _, err := r.Next(); err != nil {
				break
			}
		}
		if p := r.Progress(); p != 1 {
			t.Errorf("Progress at the end = %v, want 1", p)
		}
		r.Close()
	}
}

// An import's progress bar polls Progress while another goroutine reads:
// go test -race checks that this is safe.
func TestProgressWhileReading(t *testing.T) {
	rows := make([][]string, 2000)
	for i := range rows {
		rows[i] = benchRow(i)
	}
	for _, data := range [][]byte{xlsxOf(t, benchHeader, rows), csvOf(t, ',', benchHeader, rows)} {
		r, err := openBytes(data, "名单")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		polled := make(chan float64)
		go func() {
			last := 0.0
			for {
				select {
				case <-done:
					polled <- last
					return
				default:
					last = max(last, r.Progress())
				}
			}
		}()
		readAll(t, r)
		close(done)
		if last := <-polled; last > 1 {
			t.Errorf("Progress polled %v", last)
		}
	}
}
