package sheets

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"jianfu/forms"
)

// Headers an error sheet adds after the list's own.
const (
	HeaderLine   = "行号"
	HeaderReason = "错误原因"
)

// columnWidth is wide enough for a 身份证号, so that Excel shows it whole.
const columnWidth = 20

// WriteSheet streams an .xlsx with one sheet to w: the header in bold and
// frozen, then the rows next returns until it returns false. Cells are
// written as text, so a 身份证号 or a leading zero survives. It is used for
// the error sheet (ErrorHeader, ErrorRow) and for generating big lists;
// memory stays flat, as excelize's StreamWriter spills to a temporary file.
func WriteSheet(w io.Writer, sheetName string, header []string, next func() ([]string, bool)) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheetName); err != nil {
		return fmt.Errorf("sheet name %q: %w", sheetName, err)
	}
	sw, err := newStream(f, sheetName, len(header))
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("header style: %w", err)
	}
	buf := make([]any, 0, len(header))
	if err := sw.SetRow("A1", cellValues(buf, header), excelize.RowOpts{StyleID: bold}); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	for n := 2; ; n++ {
		cells, ok := next()
		if !ok {
			break
		}
		if err := sw.SetRow("A"+strconv.Itoa(n), cellValues(buf, cells)); err != nil {
			return fmt.Errorf("write row %d: %w", n, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush sheet: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

// newStream opens the stream writer with the header row frozen and the
// columns wide enough to read.
func newStream(f *excelize.File, sheet string, columns int) (*excelize.StreamWriter, error) {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("stream writer: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, fmt.Errorf("freeze header: %w", err)
	}
	if columns > 0 {
		if err := sw.SetColWidth(1, min(columns, excelize.MaxColumns), columnWidth); err != nil {
			return nil, fmt.Errorf("column width: %w", err)
		}
	}
	return sw, nil
}

// cellValues fills buf with cells as excelize values, reusing its memory.
func cellValues(buf []any, cells []string) []any {
	buf = buf[:0]
	for _, c := range cells {
		buf = append(buf, c)
	}
	return buf
}

// ErrorHeader returns the header of an error sheet: the list's header,
// then 行号 and 错误原因.
func ErrorHeader(header []string) []string {
	out := make([]string, 0, len(header)+2)
	out = append(out, header...)
	return append(out, HeaderLine, HeaderReason)
}

// ErrorRow returns a row of an error sheet: the row's cells cut or padded
// to width (the length of the list's header), its line and the reason.
func ErrorRow(row Row, width int, reason string) []string {
	out := make([]string, width, width+2)
	copy(out, row.Cells)
	return append(out, strconv.Itoa(row.Line), reason)
}

// Reason words validation errors as one cell, by field label:
// "身份证号：身份证号校验位不正确；入院日期：请输入正确的日期，如2024-05-01".
func Reason(def *forms.Definition, errs forms.FieldErrors) string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		label := def.Label(e.Field, "zh")
		switch {
		case e.Field == "":
			parts[i] = e.Message
		case label == "":
			parts[i] = e.Field + "：" + e.Message
		case strings.HasPrefix(e.Message, label):
			// The message names its field already ("身份证号校验位不正确").
			parts[i] = e.Message
		default:
			parts[i] = label + "：" + e.Message
		}
	}
	return strings.Join(parts, "；")
}
