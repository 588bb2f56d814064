package sheets

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
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
}

func openCSV(r io.ReaderAt, size int64, name string) (source, error) {
	text, err := decodedText(r, size)
	if err != nil {
		return nil, &FileError{Name: name, Message: "无法读取文件", Err: err}
	}
	br := bufio.NewReaderSize(text, 64<<10)
	cr := csv.NewReader(br)
	cr.Comma = delimiter(br)
	cr.FieldsPerRecord = -1
	// Hand-made files have stray quotes (张"三); reading them as text is
	// kinder than refusing the file.
	cr.LazyQuotes = true
	return &csvSource{name: name, r: cr}, nil
}

// decodedText returns the file as UTF-8, without a byte-order mark.
func decodedText(r io.ReaderAt, size int64) (io.Reader, error) {
	var bom [3]byte
	n, err := r.ReadAt(bom[:], 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	start := string(bom[:min(int64(n), max(size, 0))])
	section := func(skip int) io.Reader { return io.NewSectionReader(r, int64(skip), size-int64(skip)) }
	switch {
	case len(start) >= 3 && start[:3] == utf8BOM:
		return section(3), nil
	case len(start) >= 2 && start[:2] == utf16LEBOM:
		return decoded(section(2), unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)), nil
	case len(start) >= 2 && start[:2] == utf16BEBOM:
		return decoded(section(2), unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)), nil
	}
	ok, err := validUTF8(section(0))
	if err != nil {
		return nil, err
	}
	if ok {
		return section(0), nil
	}
	// Excel's "CSV (逗号分隔)" on a Chinese Windows is GBK, which GB18030
	// extends.
	return decoded(section(0), simplifiedchinese.GB18030), nil
}

func decoded(r io.Reader, e encoding.Encoding) io.Reader {
	return transform.NewReader(r, e.NewDecoder())
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
	return Row{Line: line, Cells: cells}, nil
}

func (s *csvSource) close() error { return nil }
