package sheets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxTitleRows bounds the single-cell title rows skipped above the header.
const maxTitleRows = 3

// Row is one non-blank row of a list. Line is the 1-based row number the
// user sees in Excel, or the line of the CSV file the record starts on.
// Cells are as read, trailing empty cells dropped; a row may be shorter or
// longer than the header.
type Row struct {
	Line  int
	Cells []string

	// date1904 is set for rows of a workbook in the 1904 date system, in
	// which serial numbers count days from 1904-01-01.
	date1904 bool
}

// FileError says why a file cannot be read as a list. Message is Chinese
// and fit for the uploader; Err is the underlying cause, for the log.
type FileError struct {
	Name    string
	Line    int // the row the problem was met on; 0 for the whole file
	Message string
	Err     error
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.Name)
	if e.Line > 0 {
		fmt.Fprintf(&b, " 第%d行", e.Line)
	}
	b.WriteString("：")
	b.WriteString(e.Message)
	if e.Err != nil {
		b.WriteString("（")
		b.WriteString(e.Err.Error())
		b.WriteString("）")
	}
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// source is one format's row stream. next returns the next row, blank or
// not, with its line number, or io.EOF. progress tells how far through the
// file next has read, 0 to 1, and may be called from any goroutine.
type source interface {
	next() (Row, error)
	progress() float64
	close() error
}

// Reader streams the rows of a list: its header first (Header), then the
// data rows one by one (Next). It is not safe for concurrent use.
type Reader struct {
	name    string
	src     source
	header  []string
	line    int   // the header's line
	pending []Row // rows read while looking for the header
	done    bool
}

// Open detects the format by content (xlsx = zip magic "PK\x03\x04"; else
// CSV), name only for messages. For xlsx it reads the first sheet. It reads
// the header before returning; a file with no header row is a *FileError,
// as is one it cannot read. Close the Reader when done.
func Open(r io.ReaderAt, size int64, name string) (*Reader, error) {
	src, err := openSource(r, size, name)
	if err != nil {
		return nil, err
	}
	rd := &Reader{name: name, src: src}
	if err := rd.findHeader(); err != nil {
		src.close()
		return nil, err
	}
	return rd, nil
}

// Magic numbers of the formats Open tells apart.
const (
	zipMagic = "PK\x03\x04"
	// oleMagic starts a Compound File: an old .xls or an encrypted
	// workbook.
	oleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
)

func openSource(r io.ReaderAt, size int64, name string) (source, error) {
	head := make([]byte, 1024)
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &FileError{Name: name, Message: "无法读取文件", Err: err}
	}
	head = head[:min(int64(n), max(size, 0))]
	switch {
	case bytes.HasPrefix(head, []byte(zipMagic)):
		return openXLSX(r, size, name)
	case bytes.HasPrefix(head, []byte(oleMagic)):
		return nil, &FileError{Name: name, Message: "这是旧版 .xls 或加密的工作簿，无法读取；请在 Excel 或 WPS 中另存为 .xlsx（不设密码）或 .csv 后重新上传"}
	case markupTable(head):
		return nil, &FileError{Name: name, Message: "这是网页或 XML 格式的表格（常见于系统导出的 .xls），无法读取；请在 Excel 或 WPS 中打开后另存为 .xlsx 或 .csv 再上传"}
	}
	return openCSV(r, size, name)
}

// markupTable reports whether head starts an HTML or XML document, which
// many information systems export under an .xls name.
func markupTable(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte(utf8BOM))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '<' {
		return false
	}
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<html", "<table", "<?xml", "<!doctype"} {
		if bytes.HasPrefix(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

// findHeader reads up to the header row: the first non-blank row, unless
// up to maxTitleRows rows of a single cell come before a wider one. Those
// are titles (“2026年11月医保预警名单”, “填报单位：……”), often merged across
// the columns, and are skipped.
func (r *Reader) findHeader() error {
	var singles []Row
	header, err := r.nextNonBlank()
	for err == nil && filled(header.Cells) == 1 && len(singles) < maxTitleRows {
		singles = append(singles, header)
		header, err = r.nextNonBlank()
	}
	switch {
	case errors.Is(err, io.EOF) && len(singles) == 0:
		return &FileError{Name: r.name, Message: "文件中没有内容，找不到表头行"}
	case errors.Is(err, io.EOF):
		// Nothing wider came: the first single cell is the header.
		header, r.pending = singles[0], singles[1:]
	case err != nil:
		return err
	case filled(header.Cells) == 1:
		header, r.pending = singles[0], append(singles[1:], header)
	}
	r.line = header.Line
	r.header = make([]string, len(header.Cells))
	for i, c := range header.Cells {
		r.header[i] = strings.TrimSpace(c)
	}
	return nil
}

// Header returns the header row, each cell trimmed. The caller must not
// change it.
func (r *Reader) Header() []string { return r.header }

// HeaderLine returns the line of the header row.
func (r *Reader) HeaderLine() int { return r.line }

// Next returns the next non-blank data row, or io.EOF after the last. Any
// other error is a *FileError naming the line; the rows before it were
// good.
func (r *Reader) Next() (Row, error) {
	if len(r.pending) > 0 {
		row := r.pending[0]
		r.pending = r.pending[1:]
		return row, nil
	}
	return r.nextNonBlank()
}

// nextNonBlank returns the next row with a non-blank cell.
func (r *Reader) nextNonBlank() (Row, error) {
	for !r.done {
		row, err := r.src.next()
		if errors.Is(err, io.EOF) {
			r.done = true
			break
		}
		if err != nil {
			r.done = true
			return Row{}, err
		}
		row.Cells = trimTrailingBlanks(row.Cells)
		if len(row.Cells) > 0 {
			return row, nil
		}
	}
	return Row{}, io.EOF
}

// Progress tells how far through the file the rows read so far reach,
// from 0 to 1, so that an import can show a progress bar without counting
// the rows first. It measures bytes: the compressed sheet of an xlsx, the
// text of a CSV. Rows are much alike, so it tracks the share of rows read;
// in a small file it may jump ahead by the few kilobytes read at a time.
// Unlike the other methods it is safe to call from another goroutine
// while the Reader is in use.
func (r *Reader) Progress() float64 { return r.src.progress() }

// Close releases the file's resources.
func (r *Reader) Close() error {
	return r.src.close()
}

// filled counts the non-blank cells.
func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

// trimTrailingBlanks drops blank cells at the end: sheets often carry
// formatted but empty columns, and a row of them is a blank row.
func trimTrailingBlanks(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}
