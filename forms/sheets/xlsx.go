package sheets

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits on a workbook: it is untrusted input and a zip can expand far
// beyond its size. 100,000 rows × 12 columns take about 60 MB of XML.
const (
	xlsxUnzipLimit = 1 << 30
	// xlsxInMemoryLimit is the largest sheet or shared-string part
	// excelize keeps in memory; larger ones go to a temporary file and
	// are read from there as the rows are.
	xlsxInMemoryLimit = 4 << 20
	// xlsxPartLimit bounds every other part (styles, the workbook,
	// pictures): excelize allocates a part's declared size before reading
	// it, so a forged header of a few bytes could claim a gigabyte.
	xlsxPartLimit = 32 << 20
)

// msgCorruptXLSX is what the uploader reads about a workbook that cannot
// be read.
const msgCorruptXLSX = "无法读取 Excel 文件，文件可能已损坏；请在 Excel 或 WPS 中打开并另存为 .xlsx 后重新上传"

// xlsxSource streams the first sheet with excelize's Rows iterator.
type xlsxSource struct {
	name     string
	file     *excelize.File
	rows     *excelize.Rows
	line     int
	date1904 bool
}

// openXLSX opens the workbook and its first sheet. excelize parses
// untrusted input: a panic in it becomes a *FileError.
func openXLSX(r io.ReaderAt, size int64, name string) (src source, err error) {
	defer func() {
		if p := recover(); p != nil {
			src, err = nil, &FileError{Name: name, Message: msgCorruptXLSX, Err: fmt.Errorf("excelize: %v", p)}
		}
	}()
	if err := checkParts(r, size); err != nil {
		return nil, &FileError{Name: name, Message: msgCorruptXLSX, Err: err}
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		// Read what is stored, not what a number format shows: "#,##0"
		// would show 1234.56 as "1,235". Values reads serial dates.
		RawCellValue:      true,
		UnzipSizeLimit:    xlsxUnzipLimit,
		UnzipXMLSizeLimit: xlsxInMemoryLimit,
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, &FileError{Name: name, Message: msgCorruptXLSX, Err: err}
	}
	s := &xlsxSource{name: name, file: f}
	if err := s.openFirstSheet(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// checkParts refuses a workbook whose parts claim more than the limits or,
// for the large parts excelize streams, do not hold what they claim.
func checkParts(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return err
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > xlsxUnzipLimit {
			return fmt.Errorf("unzipped size over %d bytes", xlsxUnzipLimit)
		}
		large := f.UncompressedSize64 > xlsxInMemoryLimit
		switch {
		case large && streamedPart(f.Name):
			// excelize falls back to reading a part into memory, at its
			// declared size, when it cannot spill it: make sure it can.
			if err := readThrough(f); err != nil {
				return fmt.Errorf("part %s: %w", f.Name, err)
			}
		case f.UncompressedSize64 > xlsxPartLimit:
			return fmt.Errorf("part %s: %d bytes, over %d", f.Name, f.UncompressedSize64, xlsxPartLimit)
		}
	}
	return nil
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

// streamedPart reports whether excelize spills a part this large to a
// temporary file rather than reading it into memory (see its
// ReadZipReader): worksheets and the shared strings.
func streamedPart(name string) bool {
	name = strings.ToLower(strings.ReplaceAll(name, "\\", "/"))
	return strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml"
}

func (s *xlsxSource) openFirstSheet() error {
	sheets := s.file.GetSheetList()
	if len(sheets) == 0 {
		return &FileError{Name: s.name, Message: "Excel 文件中没有工作表"}
	}
	props, err := s.file.GetWorkbookProps()
	if err != nil {
		return &FileError{Name: s.name, Message: msgCorruptXLSX, Err: err}
	}
	s.date1904 = props.Date1904 != nil && *props.Date1904
	if s.rows, err = s.file.Rows(sheets[0]); err != nil {
		return &FileError{Name: s.name, Message: msgCorruptXLSX, Err: fmt.Errorf("sheet %s: %w", sheets[0], err)}
	}
	return nil
}

// next returns the next row. excelize's iterator stops at every row
// number, emulating the rows the file leaves out, so counting its steps
// gives the row number Excel shows.
func (s *xlsxSource) next() (row Row, err error) {
	defer func() {
		if p := recover(); p != nil {
			row, err = Row{}, &FileError{Name: s.name, Line: s.line, Message: msgCorruptXLSX, Err: fmt.Errorf("excelize: %v", p)}
		}
	}()
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return Row{}, &FileError{Name: s.name, Line: s.line + 1, Message: msgCorruptXLSX, Err: err}
		}
		return Row{}, io.EOF
	}
	s.line++
	if s.line > excelize.TotalRows {
		// Only a forged file gets here; stepping on to the row numbers it
		// names could take hours.
		return Row{}, &FileError{Name: s.name, Line: s.line, Message: fmt.Sprintf("行数超过 Excel 的上限 %d 行", excelize.TotalRows)}
	}
	cells, err := s.rows.Columns()
	if err != nil {
		return Row{}, &FileError{Name: s.name, Line: s.line, Message: msgCorruptXLSX, Err: err}
	}
	return Row{Line: s.line, Cells: cells, date1904: s.date1904}, nil
}

func (s *xlsxSource) close() error {
	var err error
	if s.rows != nil {
		err = s.rows.Close()
	}
	if cerr := s.file.Close(); err == nil {
		err = cerr
	}
	return err
}
