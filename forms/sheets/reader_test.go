package sheets

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var listHeader = []string{"乡镇", "村", "姓名", "身份证号", "入院日期", "自付金额"}

// listRows are the data rows every format below holds: a plain row, two
// blank rows, one with a comma and quotes, one with a line break and fewer
// cells than the header, one with blanks inside.
func listRows() [][]string {
	return [][]string{
		{"城关镇", "东风村", "张三", idNumber("43010219900101123"), "2026/11/3", "1,234.50"},
		{"", "", "", "", "", ""},
		{},
		{"河西乡", `北村,"二组"`, "李四", idNumber("43010219851231002"), "46329", "12"},
		{"备注\n两行", "", "王五"},
		{"赵六", "", "", "43010219800101001X"},
	}
}

// wantRows are listRows without the blank ones, trailing blanks dropped.
func wantRows(lines ...int) []Row {
	src := listRows()
	keep := []int{0, 3, 4, 5}
	out := make([]Row, len(keep))
	for i, k := range keep {
		out[i] = Row{Line: lines[i], Cells: src[k]}
	}
	return out
}

func TestOpenRoundTrip(t *testing.T) {
	utf8CSV := csvOf(t, ',', listHeader, listRows())
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf8CSV)
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(csvOf(t, '\t', listHeader, listRows()))
	if err != nil {
		t.Fatal(err)
	}
	// In a CSV file the line break inside 王五's first cell pushes the
	// next record one line down; Excel shows rows.
	csvLines := []int{2, 5, 6, 8}
	tests := []struct {
		name  string
		data  []byte
		lines []int
	}{
		{"XLSX", xlsxOf(t, listHeader, listRows()), []int{2, 5, 6, 7}},
		{"CSVUTF8", utf8CSV, csvLines},
		{"CSVUTF8BOM", append([]byte(utf8BOM), utf8CSV...), csvLines},
		{"CSVGB18030", gbk, csvLines},
		{"TSVUTF16", utf16, csvLines},
		{"TSVUTF8", csvOf(t, '\t', listHeader, listRows()), csvLines},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := openBytes(tt.data, "名单")
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if got := r.Header(); !reflect.DeepEqual(got, listHeader) {
				t.Errorf("Header() = %q, want %q", got, listHeader)
			}
			if r.HeaderLine() != 1 {
				t.Errorf("HeaderLine() = %d, want 1", r.HeaderLine())
			}
			got := readAll(t, r)
			want := wantRows(tt.lines...)
			if len(got) != len(want) {
				t.Fatalf("got %d rows, want %d: %v", len(got), len(want), got)
			}
			for i := range want {
				if got[i].Line != want[i].Line || !reflect.DeepEqual(got[i].Cells, want[i].Cells) {
					t.Errorf("row %d = line %d %q, want line %d %q", i, got[i].Line, got[i].Cells, want[i].Line, want[i].Cells)
				}
			}
		})
	}
}

// GBK text that happens to start with thousands of ASCII lines is still
// GBK: the whole file decides.
func TestOpenGB18030AfterLongASCII(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,id_number\r\n")
	for range 20000 {
		b.WriteString("zhang,1\r\n")
	}
	b.WriteString("张三,2\r\n")
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := openBytes(gbk, "long.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows := readAll(t, r)
	last := rows[len(rows)-1]
	if last.Line != 20002 || last.Cells[0] != "张三" {
		t.Errorf("last row = line %d %q, want line 20002 张三", last.Line, last.Cells)
	}
}

func TestPartialRune(t *testing.T) {
	zhong := []byte("中") // three bytes
	tests := []struct {
		name string
		b    []byte
		want int
	}{
		{"Complete", append([]byte("a"), zhong...), 0},
		{"OneOfThree", append([]byte("a"), zhong[:1]...), 1},
		{"TwoOfThree", append([]byte("a"), zhong[:2]...), 2},
		{"ASCII", []byte("ab"), 0},
		{"Empty", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := partialRune(tt.b); got != tt.want {
				t.Errorf("partialRune(% x) = %d, want %d", tt.b, got, tt.want)
			}
		})
	}
}

func TestOpenTitleRows(t *testing.T) {
	header := []string{"姓名", "身份证号"}
	id := idNumber("43010219900101123")
	tests := []struct {
		name       string
		rows       [][]string // the whole sheet, header included
		header     []string
		headerLine int
		lines      []int
	}{
		{"Title", [][]string{{"2026年11月医保预警名单"}, header, {"张三", id}}, header, 2, []int{3}},
		{"TitleAndUnit", [][]string{{"医保预警名单"}, {}, {"填报单位：某县医保局"}, header, {"张三", id}}, header, 4, []int{5}},
		{"SingleColumnList", [][]string{{"身份证号"}, {id}, {id}}, []string{"身份证号"}, 1, []int{2, 3}},
		{"SingleColumnLongList", [][]string{{"身份证号"}, {id}, {id}, {id}, {id}, {id}}, []string{"身份证号"}, 1, []int{2, 3, 4, 5, 6}},
		{"LeadingBlankRows", [][]string{{}, {"", ""}, header, {"张三", id}}, header, 3, []int{4}},
	}
	for _, tt := range tests {
		for _, format := range []string{"xlsx", "csv"} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				var data []byte
				if format == "xlsx" {
					data = xlsxOf(t, tt.rows[0], tt.rows[1:])
				} else {
					data = csvOf(t, ',', tt.rows[0], tt.rows[1:])
				}
				r, err := openBytes(data, "名单."+format)
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				if !reflect.DeepEqual(r.Header(), tt.header) || r.HeaderLine() != tt.headerLine {
					t.Errorf("header = line %d %q, want line %d %q", r.HeaderLine(), r.Header(), tt.headerLine, tt.header)
				}
				var lines []int
				for _, row := range readAll(t, r) {
					lines = append(lines, row.Line)
				}
				if !reflect.DeepEqual(lines, tt.lines) {
					t.Errorf("data lines = %v, want %v", lines, tt.lines)
				}
			})
		}
	}
}

func TestOpenHeaderTrimmed(t *testing.T) {
	data := csvOf(t, ',', []string{" 姓名 ", "\u3000身份证号\u3000", "", "备注", "", ""}, [][]string{{"张三"}})
	r, err := openBytes(data, "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := []string{"姓名", "身份证号", "", "备注"}
	if !reflect.DeepEqual(r.Header(), want) {
		t.Errorf("Header() = %q, want %q", r.Header(), want)
	}
}

func TestOpenErrors(t *testing.T) {
	good := xlsxOf(t, listHeader, listRows())
	tests := []struct {
		name string
		data []byte
		want string // in the message
	}{
		{"Empty", nil, "没有内容"},
		{"OnlyBlankLines", []byte("\r\n,,,\r\n\r\n"), "没有内容"},
		{"ZipMagicThenJunk", append([]byte(zipMagic), bytes.Repeat([]byte{0x55}, 200)...), "无法读取 Excel 文件"},
		{"TruncatedXLSX", good[:len(good)/2], "无法读取 Excel 文件"},
		{"CorruptedXLSX", corrupt(good), "无法读取 Excel 文件"},
		{"ZipWithoutWorkbook", zipOf(t, map[string]string{"hello.txt": "你好"}), "无法读取 Excel 文件"},
		{"OldXLS", append([]byte(oleMagic), make([]byte, 512)...), "旧版 .xls"},
		{"HTMLTable", []byte("\xEF\xBB\xBF<html><body><table><tr><td>姓名</td></tr></table></body></html>"), "网页"},
		{"XMLSpreadsheet", []byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>`), "网页或 XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := openBytes(tt.data, "名单.xlsx")
			if err == nil {
				// A corruption excelize does not see at open must show
				// while reading.
				for err == nil {
					_, err = r.Next()
				}
				r.Close()
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v (%T), want a *FileError", err, err)
			}
			if !strings.Contains(fe.Message, tt.want) {
				t.Errorf("message = %q, want it to contain %q", fe.Message, tt.want)
			}
			if fe.Name != "名单.xlsx" || !strings.HasPrefix(err.Error(), "名单.xlsx") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

// corrupt flips bytes in the middle of the largest part of a zip, so that
// its checksum fails.
func corrupt(data []byte) []byte {
	out := bytes.Clone(data)
	for i := len(out) / 3; i < len(out)/3+64; i++ {
		out[i] ^= 0xFF
	}
	return out
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Hand-made CSV files have stray quotes; they are read as text rather than
// refused, and a quote never closed takes the rest of the file as one cell.
func TestCSVStrayQuotes(t *testing.T) {
	data := []byte("姓名,身份证号\r\n张\"三,1\r\n\"李四,2\r\n王五,3\r\n")
	r, err := openBytes(data, "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, r)
	want := []Row{
		{Line: 2, Cells: []string{`张"三`, "1"}},
		{Line: 3, Cells: []string{"李四,2\n王五,3\n"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows = %v, want %v", got, want)
	}
}

// A forged workbook whose parts claim far more than they hold is refused
// without allocating what they claim: excelize would.
func TestOpenForgedSizes(t *testing.T) {
	for _, part := range []string{"xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/sharedStrings.xml"} {
		t.Run(part, func(t *testing.T) {
			data := forgedZip(t, part, 1<<29)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, err := openBytes(data, "forged.xlsx")
			runtime.ReadMemStats(&after)
			if err == nil {
				r.Close()
				t.Fatal("Open accepted a part claiming 512 MB")
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v, want a *FileError", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
				t.Errorf("Open allocated %d MB for a %d-byte file", n>>20, len(data))
			}
		})
	}
}

// forgedZip writes a small workbook-like zip whose part claims size bytes.
func forgedZip(t *testing.T, part string, size uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", part} {
		content := []byte("<x/>")
		var comp bytes.Buffer
		fw, err := flate.NewWriter(&comp, flate.BestSpeed)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
		fw.Close()
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(content))}
		if name == part {
			h.UncompressedSize64 = size
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(comp.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
