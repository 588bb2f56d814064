package sheets

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on a workbook: it is untrusted input and a zip can expand far
// beyond its size. 100,000 rows × 12 columns take about 70 MB of XML.
const (
	xlsxUnzipLimit = 1 << 30
	// xlsxPartLimit bounds every part but the sheets and the shared
	// strings (styles, the workbook, pictures): a list has no business
	// with large ones.
	xlsxPartLimit = 32 << 20
)

// Messages the uploader reads about a workbook that cannot be read.
const (
	msgCorruptXLSX = "无法读取 Excel 文件，文件可能已损坏；请在 Excel 或 WPS 中打开并另存为 .xlsx 后重新上传"
	msgNoSheet     = "Excel 文件中没有工作表"
	msgTooManyRows = "行数超过 Excel 的上限 %d 行"
	msgTooMuchText = "Excel 文件中的文字过多，无法读取；请拆分成几个文件分别上传"
)

// xlsxSource streams the rows of the first sheet.
type xlsxSource struct {
	name     string
	part     io.ReadCloser // the sheet, inflating
	rows     *sheetRows
	read     *windowTracker
	date1904 bool
}

// openXLSX checks the workbook, reads its shared strings and opens its
// first sheet.
func openXLSX(r io.ReaderAt, size int64, name string) (source, error) {
	corrupt := func(err error) error { return &FileError{Name: name, Message: msgCorruptXLSX, Err: err} }
	read := &windowTracker{r: r}
	zr, err := zip.NewReader(read, size)
	if err != nil {
		return nil, corrupt(err)
	}
	if err := checkParts(zr); err != nil {
		return nil, corrupt(err)
	}
	book := newWorkbook(zr)
	l, err := book.locate()
	switch {
	case errors.Is(err, errNoSheet):
		return nil, &FileError{Name: name, Message: msgNoSheet}
	case err != nil:
		return nil, corrupt(err)
	}
	sst, err := readSharedStrings(l.strings)
	switch {
	case errors.Is(err, errTooManyStrings):
		return nil, &FileError{Name: name, Message: msgTooMuchText, Err: err}
	case err != nil:
		return nil, corrupt(fmt.Errorf("shared strings: %w", err))
	}
	start, err := l.sheet.DataOffset()
	if err != nil {
		return nil, corrupt(err)
	}
	read.watch(start, start+int64(l.sheet.CompressedSize64))
	part, err := l.sheet.Open()
	if err != nil {
		return nil, corrupt(fmt.Errorf("sheet %s: %w", l.sheet.Name, err))
	}
	return &xlsxSource{name: name, part: part, rows: newSheetRows(part, sst), read: read, date1904: l.date1904}, nil
}

// checkParts refuses a workbook whose parts claim more than the limits or
// do not hold what they claim. What a part claims binds, as archive/zip
// refuses one that holds more, so a zip bomb is stopped at xlsxUnzipLimit
// however it is built.
//
// Every part is inflated once, to nowhere, so that archive/zip checks its
// size and checksum: the store imports a list in batches as it reads, and
// a damaged workbook must be refused before its first row, not halfway.
// It costs about 0.1 s for 100,000 rows.
func checkParts(zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > xlsxUnzipLimit {
			return fmt.Errorf("unzipped size over %d bytes", xlsxUnzipLimit)
		}
		if f.UncompressedSize64 > xlsxPartLimit && !listPart(f.Name) {
			return fmt.Errorf("part %s: %d bytes, over %d", f.Name, f.UncompressedSize64, xlsxPartLimit)
		}
	}
	for _, f := range zr.File {
		if err := readThrough(f); err != nil {
			return fmt.Errorf("part %s: %w", f.Name, err)
		}
	}
	return nil
}

// listPart reports whether a part may hold a list's rows or their text,
// the parts that grow with it: worksheets and the shared strings.
func listPart(name string) bool {
	name = partKey(name)
	return strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
}

// readThrough decompresses a part to nowhere; archive/zip checks its size
// and checksum on the way.
func readThrough(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// next returns the next row the sheet holds.
func (s *xlsxSource) next() (Row, error) {
	line, cells, err := s.rows.next()
	switch {
	case errors.Is(err, io.EOF):
		return Row{}, io.EOF
	case errors.Is(err, errTooManyRows):
		// Only a forged file gets here.
		return Row{}, &FileError{Name: s.name, Line: line, Message: fmt.Sprintf(msgTooManyRows, excelize.TotalRows)}
	case err != nil:
		return Row{}, &FileError{Name: s.name, Line: line, Message: msgCorruptXLSX, Err: err}
	}
	return Row{Line: line, Cells: cells, date1904: s.date1904}, nil
}

func (s *xlsxSource) progress() float64 { return s.read.progress() }

func (s *xlsxSource) close() error { return s.part.Close() }
