package sheets

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// The parts of a workbook are read with encoding/xml's RawToken: one token
// at a time, by local name, with no namespace translation (so Strict OOXML
// and prefixed elements such as <x:row> read like the usual ones) and no
// struct decoding by reflection, which is where excelize spends its time.
// RawToken does not check that elements nest; tokens does.

// maxDepth bounds how deep elements nest: a sheet's text is seven levels
// down (worksheet, sheetData, row, c, is, r, t), and a forged part could
// otherwise grow the stack of open elements with every few bytes.
const maxDepth = 64

// tokens reads the tokens of a part and checks that every element is
// closed by its own end tag, as Decoder.Token would.
type tokens struct {
	d    *xml.Decoder
	open []xml.Name // the elements not yet closed
}

// newTokens reads a part. Parts are UTF-8 or UTF-16 in practice, but the
// format allows any encoding the declaration names.
func newTokens(r io.Reader) *tokens {
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		e, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("encoding %q: %w", label, err)
		}
		return e.NewDecoder().Reader(r), nil
	}
	return &tokens{d: d}
}

// next returns the next token, or io.EOF at the end of the part, which
// is an error inside an element. The token's bytes are valid until the
// next call.
func (t *tokens) next() (xml.Token, error) {
	tok, err := t.d.RawToken()
	switch {
	case errors.Is(err, io.EOF) && len(t.open) > 0:
		return nil, fmt.Errorf("<%s> not closed: %w", t.open[len(t.open)-1].Local, io.ErrUnexpectedEOF)
	case err != nil:
		return nil, err
	}
	switch e := tok.(type) {
	case xml.StartElement:
		if len(t.open) == maxDepth {
			return nil, t.syntaxError(fmt.Sprintf("elements nested over %d deep", maxDepth))
		}
		t.open = append(t.open, e.Name)
	case xml.EndElement:
		if len(t.open) == 0 || t.open[len(t.open)-1] != e.Name {
			return nil, t.syntaxError(fmt.Sprintf("unexpected end element </%s>", e.Name.Local))
		}
		t.open = t.open[:len(t.open)-1]
	}
	return tok, nil
}

func (t *tokens) syntaxError(msg string) error {
	line, _ := t.d.InputPos()
	return &xml.SyntaxError{Msg: msg, Line: line}
}

// The helpers below consume the rest of an element whose start tag was
// just read.

// skipElement consumes the rest of the element just started. (Decoder.Skip
// uses Token, whose element stack RawToken does not keep.)
func skipElement(t *tokens) error {
	for depth := 0; ; {
		tok, err := t.next()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// appendText appends the text of the element just started to buf, as
// excelize reads a <v>: all of its character data.
func appendText(t *tokens, buf []byte) ([]byte, error) {
	for depth := 0; ; {
		tok, err := t.next()
		if err != nil {
			return buf, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return buf, nil
			}
			depth--
		case xml.CharData:
			buf = append(buf, e...)
		}
	}
}

// appendRichText appends the text of a string item just started, an <si>
// of the shared strings or the <is> of an inline string, to buf: its <t>,
// or the <t> of each of its runs <r>. Phonetic runs (<rPh>, the reading
// of the text above it) are not part of the text. Escapes are decoded.
func appendRichText(t *tokens, buf []byte) ([]byte, error) {
	start := len(buf)
	var outer, inner string // the open elements, one and two levels down
	for depth := 0; ; {
		tok, err := t.next()
		if err != nil {
			return buf, err
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				outer = e.Name.Local
			case 2:
				inner = e.Name.Local
			}
		case xml.EndElement:
			if depth == 0 {
				return buf[:start+len(unescapeBasic(buf[start:]))], nil
			}
			depth--
		case xml.CharData:
			if (depth == 1 && outer == "t") || (depth == 2 && outer == "r" && inner == "t") {
				buf = append(buf, e...)
			}
		}
	}
}

// unescapeBasic decodes, in place, the escapes by which a string item
// carries characters XML 1.0 cannot: _xHHHH_ is the character HHHH, and
// _x005F_ a literal underscore, so that "_x005F_x0008_" is the text
// "_x0008_". It decodes like excelize, which drops the escape of a
// character that is not one (a lone surrogate).
func unescapeBasic(b []byte) []byte {
	w := 0
	for r := 0; r < len(b); {
		c, ok := basicEscape(b[r:])
		if !ok {
			b[w] = b[r]
			w, r = w+1, r+1
			continue
		}
		r += len("_xHHHH_")
		if utf8.ValidRune(c) {
			// A character takes at most 3 bytes here, the escape 7: w
			// stays behind r.
			w += utf8.EncodeRune(b[w:], c)
		}
	}
	return b[:w]
}

// basicEscape reads an escape _xHHHH_ at the start of b.
func basicEscape(b []byte) (rune, bool) {
	if len(b) < len("_xHHHH_") || b[0] != '_' || b[1] != 'x' || b[6] != '_' {
		return 0, false
	}
	var c rune
	for _, h := range b[2:6] {
		var v byte
		switch {
		case '0' <= h && h <= '9':
			v = h - '0'
		case 'a' <= h && h <= 'f':
			v = h - 'a' + 10
		case 'A' <= h && h <= 'F':
			v = h - 'A' + 10
		default:
			return 0, false
		}
		c = c<<4 | rune(v)
	}
	return c, true
}

// attr returns the value of the attribute with the local name, whatever
// its prefix.
func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}
