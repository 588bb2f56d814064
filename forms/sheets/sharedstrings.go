package sheets

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// Limits on the shared strings, which are held in memory while the sheet
// is read. A list of 100,000 rows × 12 columns has at most 1.2 million
// distinct cells; the limits leave room for lists several times larger and
// stop a small zip that inflates into millions of strings.
const (
	maxSharedStrings    = 1 << 23
	maxSharedStringText = 64 << 20
)

// sharedStringLimits bound the shared strings: how many, how many bytes.
type sharedStringLimits struct {
	strings, text int
}

// errTooManyStrings is a workbook over the limits above.
var errTooManyStrings = errors.New("shared strings over the limit")

// sharedStrings is the table of text cells refer to by index (t="s"). The
// text of all of them is one string, so that looking one up allocates
// nothing and the table costs 4 bytes a string beyond its text.
type sharedStrings struct {
	text string
	ends []uint32 // string i is text[ends[i-1]:ends[i]]
}

// get returns string i.
func (s *sharedStrings) get(i int) (string, bool) {
	if i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.text[start:s.ends[i]], true
}

// readSharedStrings reads the shared strings part; a workbook without one
// has none.
func readSharedStrings(f *zip.File) (*sharedStrings, error) {
	if f == nil {
		return &sharedStrings{}, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return decodeSharedStrings(rc, sharedStringLimits{strings: maxSharedStrings, text: maxSharedStringText})
}

// decodeSharedStrings reads the <si> items of a shared strings part.
func decodeSharedStrings(r io.Reader, limit sharedStringLimits) (*sharedStrings, error) {
	toks := newTokens(r)
	var (
		text []byte
		ends []uint32
	)
	for {
		tok, err := toks.next()
		if errors.Is(err, io.EOF) {
			return &sharedStrings{text: string(text), ends: ends}, nil
		}
		if err != nil {
			return nil, err
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "si" {
			continue
		}
		if text, err = appendRichText(toks, text); err != nil {
			return nil, fmt.Errorf("string %d: %w", len(ends), err)
		}
		if len(ends) == limit.strings || len(text) > limit.text {
			return nil, fmt.Errorf("%w: %d strings, %d bytes", errTooManyStrings, len(ends)+1, len(text))
		}
		ends = append(ends, uint32(len(text)))
	}
}
