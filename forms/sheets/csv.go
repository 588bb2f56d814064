package sheets

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Byte-order marks.
const (
	utf8BOM    = "\xEF\xBB\xBF"
	utf16LEBOM = "\xFF\xFE"
	utf16BEBOM = "\xFE\xFF"
)

// csvSource reads records with encoding/csv from the decoded text.
type csvSource struct {
	name string
	r    *csv.Reader

	// For Progress: the file's bytes after the byte-order mark, those
	// read from it, and the buffer between them and the csv.Reader.
	size     int64
	consumed *countingReader
	buf      *bufio.Reader
	pos      atomic.Int64
}

func openCSV(r io.ReaderAt, size int64, name string) (source, error) {
	skip, enc, err := textEncoding(r, size)
	if err != nil {
		return nil, &FileError{Name: name, Message: "无法读取文件", Err: err}
	}
	consumed := &countingReader{r: io.NewSectionReader(r, skip, size-skip)}
	var text io.Reader = consumed
	if enc != nil {
		text = transform.NewReader(consumed, enc.NewDecoder())
	}
	br := bufio.NewReaderSize(text, 64<<10)
	cr := csv.NewReader(br) // reads from br itself: see bufio.NewReaderSize
	cr.Comma = delimiter(br)
	cr.FieldsPerRecord = -1
	// Hand-made files have stray quotes (张"三); reading them as text is
	// kinder than refusing the file.
	cr.LazyQuotes = true
	return &csvSource{name: name, r: cr, size: size - skip, consumed: consumed, buf: br}, nil
}

// textEncoding tells how the file is encoded: the length of its
// byte-order mark, and the encoding to decode it from, nil for UTF-8.
func textEncoding(r io.ReaderAt, size int64) (skip int64, enc encoding.Encoding, err error) {
	var bom [3]byte
	n, err := r.ReadAt(bom[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, nil, err
	}
	start := string(bom[:min(int64(n), max(size, 0))])
	switch {
	case len(start) >= 3 && start[:3] == utf8BOM:
		return 3, nil, nil
	case len(start) >= 2 && start[:2] == utf16LEBOM:
		return 2, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil
	case len(start) >= 2 && start[:2] == utf16BEBOM:
		return 2, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil
	}
	ok, err := validUTF8(io.NewSectionReader(r, 0, size))
	if err != nil {
		return 0, nil, err
	}
	if ok {
		return 0, nil, nil
	}
	// Excel's "CSV (逗号分隔)" on a Chinese Windows is GBK, which GB18030
	// extends.
	return 0, simplifiedchinese.GB18030, nil
}

// validUTF8 reports whether all of r is valid UTF-8. It reads the whole
// file, in chunks: a GBK file may be plain ASCII for its first thousand
// lines.
func validUTF8(r io.Reader) (bool, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk+utf8.UTFMax)
	kept := 0 // bytes of a character cut at the end of the last chunk
	for {
		n, err := io.ReadFull(r, buf[kept:kept+chunk])
		data := buf[:kept+n]
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return utf8.Valid(data), nil
		case err != nil:
			return false, err
		}
		cut := len(data) - partialRune(data)
		if !utf8.Valid(data[:cut]) {
			return false, nil
		}
		kept = copy(buf, data[cut:])
	}
}

// partialRune returns the length of an incomplete character at the end of
// b, 0 when b ends on a character boundary.
func partialRune(b []byte) int {
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		if c := b[len(b)-i]; utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}

// delimiter guesses the separator from the first line: a tab when it has
// tabs and no commas (Excel's "文本文件（制表符分隔）" and "Unicode 文本"),
// else a comma.
func delimiter(br *bufio.Reader) rune {
	peek, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(peek, '\n'); i >= 0 {
		peek = peek[:i]
	}
	if bytes.IndexByte(peek, '\t') >= 0 && bytes.IndexByte(peek, ',') < 0 {
		return '\t'
	}
	return ','
}

func (s *csvSource) next() (Row, error) {
	cells, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		advance(&s.pos, s.size)
		return Row{}, io.EOF
	}
	if err != nil {
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return Row{}, &FileError{Name: s.name, Line: line, Message: "无法读取这一行", Err: err}
	}
	line, _ := s.r.FieldPos(0)
	// What the csv.Reader has taken ends where this record does. The
	// buffer holds decoded text: for GB18030 and UTF-16 files this is an
	// estimate, a little ahead or behind.
	advance(&s.pos, s.consumed.n-int64(s.buf.Buffered()))
	return Row{Line: line, Cells: cells}, nil
}

func (s *csvSource) progress() float64 { return fraction(s.pos.Load(), s.size) }

func (s *csvSource) close() error { return nil }
