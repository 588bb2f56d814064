package sheets

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// errNoSheet is a workbook that lists no sheet.
var errNoSheet = errors.New("no sheet")

// workbook is the zip of an .xlsx, its parts by normalised name: part
// names are case-insensitive (ECMA-376 Part 2) and some writers put
// backslashes in them.
type workbook map[string]*zip.File

func newWorkbook(zr *zip.Reader) workbook {
	w := make(workbook, len(zr.File))
	for _, f := range zr.File {
		w[partKey(f.Name)] = f
	}
	return w
}

func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, "\\", "/"), "/"))
}

// layout is where the parts a list is read from are.
type layout struct {
	sheet    *zip.File // the first sheet
	strings  *zip.File // the shared strings; nil if there are none
	date1904 bool      // serial dates count from 1904-01-01
}

// locate follows the relationships from the package to the workbook and
// from the workbook to its first sheet and its shared strings.
func (w workbook) locate() (layout, error) {
	book := "xl/workbook.xml"
	rels, err := w.relationships("_rels/.rels")
	if err != nil {
		return layout{}, err
	}
	for _, r := range rels {
		if r.is("officeDocument") {
			book = strings.TrimPrefix(r.target, "/")
			break
		}
	}
	id, date1904, err := w.readBook(book)
	if err != nil {
		return layout{}, err
	}
	rels, err = w.relationships(path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"))
	if err != nil {
		return layout{}, err
	}
	l := layout{date1904: date1904}
	// Where Excel puts them; excelize looks nowhere else.
	sst := "xl/sharedStrings.xml"
	for _, r := range rels {
		switch {
		case r.id == id:
			l.sheet = w[partKey(resolve(book, r.target))]
		case r.is("sharedStrings"):
			sst = resolve(book, r.target)
		}
	}
	if l.sheet == nil {
		return layout{}, fmt.Errorf("first sheet (relationship %q) missing", id)
	}
	l.strings = w[partKey(sst)]
	return l, nil
}

// resolve returns the part a relationship of from targets.
func resolve(from, target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)
	}
	return path.Join(path.Dir(from), target)
}

// readBook reads the workbook part for the relationship id of its first
// sheet and its date system.
func (w workbook) readBook(name string) (sheetID string, date1904 bool, err error) {
	f, ok := w[partKey(name)]
	if !ok {
		return "", false, fmt.Errorf("workbook %s missing", name)
	}
	rc, err := f.Open()
	if err != nil {
		return "", false, fmt.Errorf("workbook %s: %w", name, err)
	}
	defer rc.Close()
	toks := newTokens(rc)
	for {
		tok, err := toks.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", false, fmt.Errorf("workbook %s: %w", name, err)
		}
		e, ok := tok.(xml.StartElement)
		switch {
		case !ok:
		case e.Name.Local == "workbookPr":
			v, _ := attr(e, "date1904")
			date1904, _ = strconv.ParseBool(strings.TrimSpace(v))
		case e.Name.Local == "sheet" && sheetID == "":
			// r:id; the other attributes are name, sheetId and state.
			sheetID, _ = attr(e, "id")
		}
	}
	if sheetID == "" {
		return "", false, errNoSheet
	}
	return sheetID, date1904, nil
}

// relationship is one <Relationship> of a .rels part.
type relationship struct {
	id, kind, target string
}

// is reports whether the relationship is of the kind, the last segment of
// its type: transitional and Strict OOXML differ only before it.
func (r relationship) is(kind string) bool {
	return strings.HasSuffix(r.kind, "/"+kind)
}

// relationships reads a .rels part; a part that is missing has none.
func (w workbook) relationships(name string) ([]relationship, error) {
	f, ok := w[partKey(name)]
	if !ok {
		return nil, nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("relationships %s: %w", name, err)
	}
	defer rc.Close()
	var rels []relationship
	toks := newTokens(rc)
	for {
		tok, err := toks.next()
		if errors.Is(err, io.EOF) {
			return rels, nil
		}
		if err != nil {
			return nil, fmt.Errorf("relationships %s: %w", name, err)
		}
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "Relationship" {
			var r relationship
			r.id, _ = attr(e, "Id")
			r.kind, _ = attr(e, "Type")
			r.target, _ = attr(e, "Target")
			rels = append(rels, r)
		}
	}
}
