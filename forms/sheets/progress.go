package sheets

import (
	"io"
	"sync/atomic"
)

// Progress is measured on the bytes of the file the reader has consumed,
// not on rows: counting rows would take a second pass over the file, and
// a list's rows are about the same size, so bytes track rows closely.

// windowTracker is an io.ReaderAt that records how far reads have reached
// into a window of the file: for an xlsx, the compressed bytes of the
// sheet, which archive/zip inflates front to back as the rows are read.
// The shared strings and other parts lie outside the window, wherever the
// zip puts them, so reading them does not move the progress.
type windowTracker struct {
	r       io.ReaderAt
	lo, hi  int64 // set by watch before the window is read
	reached atomic.Int64
}

func (t *windowTracker) ReadAt(p []byte, off int64) (int, error) {
	n, err := t.r.ReadAt(p, off)
	if end := off + int64(n); end > t.lo && off < t.hi {
		advance(&t.reached, min(end, t.hi)-t.lo)
	}
	return n, err
}

// watch sets the window, [lo, hi). Call it before the reads to track.
func (t *windowTracker) watch(lo, hi int64) {
	t.lo, t.hi = lo, hi
	t.reached.Store(0)
}

// progress is the part of the window read, 0 to 1. It is safe to call
// while another goroutine reads.
func (t *windowTracker) progress() float64 {
	return fraction(t.reached.Load(), t.hi-t.lo)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// advance raises v to n unless it is already higher: progress never goes
// back.
func advance(v *atomic.Int64, n int64) {
	for {
		old := v.Load()
		if n <= old || v.CompareAndSwap(old, n) {
			return
		}
	}
}

// fraction is done/total within 0 and 1; an empty total is all done.
func fraction(done, total int64) float64 {
	if total <= 0 {
		return 1
	}
	return min(max(float64(done)/float64(total), 0), 1)
}
