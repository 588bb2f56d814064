package sheets

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// excelizeSource reads the first sheet with excelize's Rows iterator, as
// Open did before it had its own reader. It is the reference the
// differential tests hold that reader to, and the baseline of
// BenchmarkReadXLSX100kExcelize.
type excelizeSource struct {
	file     *excelize.File
	rows     *excelize.Rows
	line     int
	date1904 bool
}

// openExcelize opens a list like Open, through excelize.
func openExcelize(r io.ReaderAt, size int64, name string) (*Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, err
	}
	if err := checkParts(zr); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    xlsxUnzipLimit,
		UnzipXMLSizeLimit: 4 << 20, // larger parts go to temporary files
	})
	if err != nil {
		return nil, err
	}
	s := &excelizeSource{file: f}
	props, err := f.GetWorkbookProps()
	if err != nil {
		f.Close()
		return nil, err
	}
	s.date1904 = props.Date1904 != nil && *props.Date1904
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("no sheet")
	}
	if s.rows, err = f.Rows(sheets[0]); err != nil {
		f.Close()
		return nil, err
	}
	rd := &Reader{name: name, src: s}
	if err := rd.findHeader(); err != nil {
		s.close()
		return nil, err
	}
	return rd, nil
}

// next steps excelize's iterator, which stops at every row number.
func (s *excelizeSource) next() (Row, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return Row{}, err
		}
		return Row{}, io.EOF
	}
	s.line++
	if s.line > excelize.TotalRows {
		return Row{}, fmt.Errorf("row %d", s.line)
	}
	cells, err := s.rows.Columns()
	if err != nil {
		return Row{}, err
	}
	return Row{Line: s.line, Cells: cells, date1904: s.date1904}, nil
}

func (s *excelizeSource) progress() float64 { return 0 }

func (s *excelizeSource) close() error {
	err := s.rows.Close()
	if cerr := s.file.Close(); err == nil {
		err = cerr
	}
	return err
}
