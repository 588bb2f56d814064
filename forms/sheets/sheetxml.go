package sheets

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// sheetRows reads the <row> elements of a worksheet part one by one.
// Cells are read raw, as excelize's RawCellValue reads them: the text of a
// string, the stored number of a number or date, "1" or "0" for a
// boolean, the cached result of a formula.
type sheetRows struct {
	toks  *tokens
	sst   *sharedStrings
	line  int    // the number of the row last read
	width int    // the most cells a row has had, to size the next
	value []byte // the <v> of the cell being read
	text  []byte // the <is> of the cell being read
}

func newSheetRows(part io.Reader, sst *sharedStrings) *sheetRows {
	return &sheetRows{toks: newTokens(part), sst: sst}
}

// next returns the number and cells of the next row the sheet holds, or
// io.EOF after the last. On an error, line is the row it was met in.
func (s *sheetRows) next() (line int, cells []string, err error) {
	for {
		tok, err := s.toks.next()
		if err != nil {
			return s.line + 1, nil, err // io.EOF included
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local == "row" {
				return s.row(e)
			}
		case xml.EndElement:
			if e.Name.Local == "sheetData" {
				return s.line + 1, nil, io.EOF
			}
		}
	}
}

// row reads a row just started. A row without a number follows the one
// before, like excelize; so does one whose number is not above it, which
// only a broken file has: line numbers must increase.
func (s *sheetRows) row(start xml.StartElement) (int, []string, error) {
	line := s.line + 1
	if v, ok := attr(start, "r"); ok {
		n, ok := parseIndex(v)
		if !ok {
			return line, nil, fmt.Errorf("row number %q", v)
		}
		line = max(n, line) // r="0" is no number, as for excelize
	}
	s.line = line
	if line > excelize.TotalRows {
		return line, nil, errTooManyRows
	}
	cells := make([]string, 0, s.width)
	col := 0
	for {
		tok, err := s.toks.next()
		if err != nil {
			return line, nil, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Local != "c" {
				err = skipElement(s.toks)
			} else if cells, col, err = s.cell(e, cells, col); err == nil && col > excelize.MaxColumns {
				err = fmt.Errorf("column %d over %d", col, excelize.MaxColumns)
			}
			if err != nil {
				return line, nil, err
			}
		case xml.EndElement:
			s.width = max(s.width, len(cells))
			return line, cells, nil
		}
	}
}

// errTooManyRows is a row number beyond Excel's last row.
var errTooManyRows = errors.New("row number over the limit")

// cell reads a cell just started and appends its value to cells at its
// column, the column after prev unless it names one. Like excelize, it
// leaves out a cell that has neither a value nor a formula, and appends
// a cell whose column is not right of the last at the end.
func (s *sheetRows) cell(start xml.StartElement, cells []string, prev int) ([]string, int, error) {
	col, typ := prev+1, ""
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			n, ok := columnOf(a.Value)
			if !ok {
				return cells, col, fmt.Errorf("cell reference %q", a.Value)
			}
			col = n
		case "t":
			typ = a.Value
		}
	}
	s.value, s.text = s.value[:0], s.text[:0]
	var inline, formula bool
	for {
		tok, err := s.toks.next()
		if err != nil {
			return cells, col, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "v":
				s.value, err = appendText(s.toks, s.value[:0])
			case "is":
				inline = true
				s.text, err = appendRichText(s.toks, s.text[:0])
			case "f":
				formula = true
				err = skipElement(s.toks)
			default:
				err = skipElement(s.toks)
			}
			if err != nil {
				return cells, col, err
			}
		case xml.EndElement:
			v, err := s.cellValue(typ, inline)
			if err != nil || (v == "" && !formula) {
				return cells, col, err
			}
			for len(cells) < col-1 {
				cells = append(cells, "")
			}
			return append(cells, v), col, nil
		}
	}
}

// cellValue is the text of the cell just read, by its type.
func (s *sheetRows) cellValue(typ string, inline bool) (string, error) {
	switch {
	case typ == "s" && len(s.value) > 0:
		i, ok := parseIndex(trimSpace(s.value))
		if !ok {
			return "", fmt.Errorf("shared string index %q", s.value)
		}
		v, ok := s.sst.get(i)
		if !ok {
			return "", fmt.Errorf("shared string %d of %d", i, len(s.sst.ends))
		}
		return v, nil
	case typ == "inlineStr" && inline:
		return string(s.text), nil
	}
	return string(s.value), nil
}

// columnOf returns the 1-based column of a cell reference such as "B7" or
// "$B$7".
func columnOf(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c == '$':
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a') + 1
		default:
			row, ok := parseIndex(ref[i:])
			return col, ok && col > 0 && row > 0
		}
		if col > excelize.MaxColumns {
			return 0, false
		}
	}
	return 0, false
}

// parseIndex reads a decimal number of up to 9 digits.
func parseIndex[T string | []byte](b T) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for i := range len(b) {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// trimSpace trims XML white space.
func trimSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
