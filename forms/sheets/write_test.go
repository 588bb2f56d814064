package sheets

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The error sheet of a list: its header, 行号 and 错误原因, the refused
// rows as they came, read back by Open and by excelize.
func TestErrorSheet(t *testing.T) {
	def := parseDef(t, medicalYAML)
	header := []string{"乡镇", "姓名", "身份证号", "入院日期"}
	cols, err := MapColumns(def, header)
	if err != nil {
		t.Fatal(err)
	}
	list := []Row{
		{Line: 2, Cells: []string{"城关镇", "张三", "43010219900101123X", "2026-02-30"}},
		{Line: 7, Cells: []string{"河西乡", "", "0012"}},
	}
	var out [][]string
	for _, row := range list {
		_, errs := def.Validate(cols.Values(row), nil)
		if errs == nil {
			t.Fatalf("row %d passed; the test needs refused rows", row.Line)
		}
		out = append(out, ErrorRow(row, len(header), Reason(def, errs)))
	}
	i := 0
	var buf bytes.Buffer
	err = WriteSheet(&buf, "错误行", ErrorHeader(header), func() ([]string, bool) {
		if i == len(out) {
			return nil, false
		}
		i++
		return out[i-1], true
	})
	if err != nil {
		t.Fatal(err)
	}

	r, err := openBytes(buf.Bytes(), "错误行.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"乡镇", "姓名", "身份证号", "入院日期", "行号", "错误原因"}
	if !reflect.DeepEqual(r.Header(), wantHeader) {
		t.Errorf("header = %q, want %q", r.Header(), wantHeader)
	}
	rows := readAll(t, r)
	wantReasons := []string{
		"身份证号校验位不正确；入院日期：请输入正确的日期，如2024-05-01", // the message names its field
		"姓名：请填写姓名；身份证号应为18位",
	}
	for k, row := range rows {
		cells := row.Cells
		if !reflect.DeepEqual(cells[:3], padded(list[k].Cells, 4)[:3]) || cells[4] != []string{"2", "7"}[k] {
			t.Errorf("error row %d = %q, want the list's cells and line %d", k, cells, list[k].Line)
		}
		if cells[5] != wantReasons[k] {
			t.Errorf("reason of line %d = %q, want %q", list[k].Line, cells[5], wantReasons[k])
		}
	}

	// Cells are text: the leading zeros of "0012" survive, and the sheet
	// is named, its header bold.
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !reflect.DeepEqual(got, []string{"错误行"}) {
		t.Errorf("sheets = %q, want [错误行]", got)
	}
	if typ, _ := f.GetCellType("错误行", "C3"); typ != excelize.CellTypeInlineString {
		t.Errorf("C3 has type %v, want an inline string", typ)
	}
	if v, _ := f.GetCellValue("错误行", "C3"); v != "0012" {
		t.Errorf("C3 = %q, want 0012", v)
	}
	style, _ := f.GetCellStyle("错误行", "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %d is not bold", style)
	}
}

func padded(cells []string, n int) []string {
	out := make([]string, max(n, len(cells)))
	copy(out, cells)
	return out
}

func TestErrorRow(t *testing.T) {
	tests := []struct {
		name  string
		cells []string
		width int
		want  []string
	}{
		{"Short", []string{"a"}, 3, []string{"a", "", "", "12", "原因"}},
		{"Exact", []string{"a", "b"}, 2, []string{"a", "b", "12", "原因"}},
		{"Long", []string{"a", "b", "c"}, 2, []string{"a", "b", "12", "原因"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorRow(Row{Line: 12, Cells: tt.cells}, tt.width, "原因"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ErrorRow = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriteSheetErrors(t *testing.T) {
	none := func() ([]string, bool) { return nil, false }
	if err := WriteSheet(io.Discard, "bad/name", []string{"a"}, none); err == nil || !strings.Contains(err.Error(), "sheet name") {
		t.Errorf("WriteSheet with a bad sheet name: %v, want a sheet name error", err)
	}
	// A row beyond Excel's last column cannot be written.
	wide := func() func() ([]string, bool) {
		done := false
		return func() ([]string, bool) {
			if done {
				return nil, false
			}
			done = true
			return make([]string, excelize.MaxColumns+1), true
		}
	}()
	if err := WriteSheet(io.Discard, "s", []string{"a"}, wide); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Errorf("WriteSheet with a too wide row: %v, want an error naming row 2", err)
	}
}
