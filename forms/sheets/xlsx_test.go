package sheets

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestXLSXAgainstExcelize reads workbooks through Open and through excelize
// (openExcelize, the reader Open used before) and requires the same
// header, rows and line numbers: the proof that the own reader reads what
// excelize reads.
func TestXLSXAgainstExcelize(t *testing.T) {
	var bench [][]string
	for i := range 2000 {
		bench = append(bench, benchRow(i))
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"WriteSheet", xlsxOf(t, listHeader, listRows())},
		{"WriteSheetBench", xlsxOf(t, benchHeader, bench)},
		{"SharedStrings", excelizeBook(t, false, fillMixed)},
		{"Date1904", excelizeBook(t, true, fillMixed)},
		{"RichText", excelizeBook(t, false, fillRichText)},
		{"FirstSheetNotSheet1", secondSheetOnly(t)},
		{"NoReferences", handMadeBook(t, "", `<sheetData>
			<row><c t="inlineStr"><is><t>姓名</t></is></c><c t="inlineStr"><is><t>身份证号</t></is></c></row>
			<row><c t="inlineStr"><is><t>张三</t></is></c><c><v>12</v></c></row>
			<row r="7"><c r="B7"><v>3</v></c><c><v>4</v></c></row>
			<row><c t="inlineStr"><is><t>李四</t></is></c></row>
		</sheetData>`)},
		{"Prefixed", handMadeBook(t, "", `<x:sheetData>
			<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>身份证号</x:t></x:is></x:c></x:row>
			<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>王五</x:t></x:is></x:c><x:c r="C3"><x:v>46329</x:v></x:c></x:row>
		</x:sheetData>`)},
		{"SharedStringForms", handMadeBook(t, `<sst count="6" uniqueCount="6">
			<si><t>姓名</t></si>
			<si><r><rPr><b/></rPr><t>身份</t></r><r><t xml:space="preserve">证号 </t></r></si>
			<si><t>赵六</t><rPh sb="0" eb="2"><t>ZHAO LIU</t></rPh><phoneticPr fontId="1"/></si>
			<si><t>a_x000D__x000A_b_x005F_x0041_c_x0041_</t></si>
			<si><t/></si>
			<si><t>&lt;&amp;&gt; &#x4E2D;<![CDATA[<x>]]></t></si>
		</sst>`, `<sheetData>
			<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><r><t>备</t></r><r><t>注</t></r><rPh><t>BEIZHU</t></rPh></is></c></row>
			<row r="2"><c r="A2" t="s"><v> 2 </v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="s"><v>5</v></c></row>
			<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="inlineStr"><is><t>x_x0009_y</t></is></c></row>
		</sheetData>`)},
		{"CellTypes", handMadeBook(t, "", `<sheetData>
			<row r="1"><c r="A1" t="str"><v>a</v></c><c r="B1" t="str"><v>b</v></c><c r="C1" t="str"><v>c</v></c><c r="D1" t="str"><v>d</v></c><c r="E1" t="str"><v>e</v></c><c r="F1" t="str"><v>f</v></c></row>
			<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="e"><v>#N/A</v></c><c r="C2" t="d"><v>2026-11-03T00:00:00Z</v></c><c r="D2" t="str"><f>A1&amp;"_x0041_"</f><v>a_x0041_</v></c><c r="E2" s="3"><v>1234.5600000000002</v></c><c r="F2"><f>1/0</f></c><c r="G2" t="n"><v>-1.5E-3</v></c></row>
			<row r="4" spans="1:3" ht="20" customHeight="1"><c r="A4" t="b"><v>0</v></c><c r="B4"/><c r="C4" t="inlineStr"/><c r="D4"><v></v></c><c r="E4" t="inlineStr"><is><t xml:space="preserve">  两边空格  </t></is></c></row>
		</sheetData>`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := openExcelize(bytes.NewReader(tt.data), int64(len(tt.data)), "名单.xlsx")
			if err != nil {
				t.Fatalf("excelize: %v", err)
			}
			got, err := openBytes(tt.data, "名单.xlsx")
			if err != nil {
				want.Close()
				t.Fatalf("Open: %v", err)
			}
			if !reflect.DeepEqual(got.Header(), want.Header()) || got.HeaderLine() != want.HeaderLine() {
				t.Errorf("header = line %d %q, excelize reads line %d %q", got.HeaderLine(), got.Header(), want.HeaderLine(), want.Header())
			}
			gotRows, wantRows := readAll(t, got), readAll(t, want)
			if len(wantRows) == 0 {
				t.Fatal("excelize reads no rows: the case proves nothing")
			}
			for i := range max(len(gotRows), len(wantRows)) {
				var g, w Row
				if i < len(gotRows) {
					g = gotRows[i]
				}
				if i < len(wantRows) {
					w = wantRows[i]
				}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("row %d = %s, excelize reads %s", i, showRow(g), showRow(w))
				}
			}
		})
	}
}

func showRow(r Row) string {
	return fmt.Sprintf("line %d %q 1904=%v", r.Line, r.Cells, r.date1904)
}

// excelizeBook builds a workbook with excelize's ordinary setters, which
// keep text in the shared strings, unlike WriteSheet's stream writer.
func excelizeBook(t *testing.T, date1904 bool, fill func(*testing.T, *excelize.File, string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			t.Fatal(err)
		}
	}
	fill(t, f, f.GetSheetName(0))
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mixedAdmitted is the date fillMixed writes as a date cell.
var mixedAdmitted = time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)

// fillMixed writes a title, a header two rows below it and rows with
// gaps between them and between their cells, of every kind of value.
func fillMixed(t *testing.T, f *excelize.File, sheet string) {
	set := func(cell string, v any) {
		t.Helper()
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatalf("%s: %v", cell, err)
		}
	}
	row := func(cell string, vs ...any) {
		t.Helper()
		if err := f.SetSheetRow(sheet, cell, &vs); err != nil {
			t.Fatalf("%s: %v", cell, err)
		}
	}
	set("A1", "2026年11月医保预警名单")
	row("A3", "姓名", "身份证号", "入院日期", "自付金额", "就诊次数", "是否参保", "联系电话")
	row("A4", "张三", idNumber("43010219900101123"), mixedAdmitted, 1234.56, 3, true, "13800000000")
	set("A6", "李四")
	set("C6", mixedAdmitted.AddDate(0, 0, 40))
	set("F6", false)
	set("B6", idNumber("43010219851231002"))
	row("A9", "  王五 ", idNumber("43010219800101001"), "2026/11/3", 0.1+0.2, int64(1)<<53, "否", "第一行\n第二行")
	set("K9", "_x0041_ 字面")
	set("A12", "赵六😀")
	set("D12", "&<>\"'")
	if err := f.SetCellFormula(sheet, "B12", "=1+1"); err != nil {
		t.Fatal(err)
	}
	set("A14", "   ") // blank to the reader: the row is skipped
}

// fillRichText writes rich text, which is shared strings of several runs.
func fillRichText(t *testing.T, f *excelize.File, sheet string) {
	if err := f.SetSheetRow(sheet, "A1", &[]any{"姓名", "身份证号"}); err != nil {
		t.Fatal(err)
	}
	runs := []excelize.RichTextRun{{Text: "张"}, {Text: "三", Font: &excelize.Font{Bold: true}}, {Text: " (户主)"}}
	if err := f.SetCellRichText(sheet, "A2", runs); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue(sheet, "B2", idNumber("43010219900101123")); err != nil {
		t.Fatal(err)
	}
}

// secondSheetOnly is a workbook whose only sheet is stored as sheet2.xml,
// so that the first sheet has to be found through the relationships.
func secondSheetOnly(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("名单"); err != nil {
		t.Fatal(err)
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("名单", "B2", &[]any{"姓名", "身份证号"}); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("名单", "B3", &[]any{"张三", 1}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// handMadeBook writes a workbook of the smallest parts excelize opens, so
// that a test can write the XML other programs write: sst is the shared
// strings part without its XML declaration (none when empty), sheetData
// the sheet's content. The prefix x names the main namespace too.
func handMadeBook(t testing.TB, sst, sheetData string) []byte {
	t.Helper()
	return zipParts(t, bookParts(sst, sheetData), false)
}

// bookParts are the parts of handMadeBook, in the order of the zip.
func bookParts(sst, sheetData string) [][2]string {
	const (
		main = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
		rel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
		decl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	)
	parts := [][2]string{
		{"[Content_Types].xml", decl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
			<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
			<Default Extension="xml" ContentType="application/xml"/>
			<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
			<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
			<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
		</Types>`},
		{"_rels/.rels", decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
			<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/>
		</Relationships>`},
		{"xl/workbook.xml", decl + `<workbook ` + main + ` xmlns:r="` + rel + `">
			<sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets>
		</workbook>`},
		{"xl/_rels/workbook.xml.rels", decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
			<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>
			<Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/>
		</Relationships>`},
	}
	if sst != "" {
		parts = append(parts, [2]string{"xl/sharedStrings.xml", decl + strings.Replace(sst, "<sst", "<sst "+main, 1)})
	}
	return append(parts, [2]string{"xl/worksheets/sheet1.xml", decl + `<x:worksheet ` + main + `>` + sheetData + `</x:worksheet>`})
}

// zipParts zips the parts, each a name and its content. Stored ones are
// not compressed and carry no checksum, which archive/zip then does not
// check: a fuzzer's changes reach the XML.
func zipParts(t testing.TB, parts [][2]string, stored bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		var (
			w   io.Writer
			err error
		)
		if stored {
			n := uint64(len(p[1]))
			w, err = zw.CreateRaw(&zip.FileHeader{Name: p[0], Method: zip.Store, CompressedSize64: n, UncompressedSize64: n})
		} else {
			w, err = zw.Create(p[0])
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A date written in a 1904 workbook comes out of Values as the date it is:
// the date system reaches the rows.
func TestXLSXDate1904Values(t *testing.T) {
	def := parseDef(t, medicalYAML)
	for _, date1904 := range []bool{false, true} {
		t.Run(fmt.Sprint(date1904), func(t *testing.T) {
			r, err := openBytes(excelizeBook(t, date1904, fillMixed), "名单.xlsx")
			if err != nil {
				t.Fatal(err)
			}
			cols, err := MapColumns(def, r.Header())
			if err != nil {
				t.Fatal(err)
			}
			rows := readAll(t, r)
			if got, want := cols.Values(rows[0])["admitted"], mixedAdmitted.Format("2006-01-02"); got != want {
				t.Errorf("入院日期 = %v, want %s (cell %q)", got, want, rows[0].Cells[2])
			}
		})
	}
}

func TestXLSXBrokenSheets(t *testing.T) {
	header := `<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>`
	tests := []struct {
		name   string
		sst    string
		rows   string
		want   string // in the message
		line   int
		atOpen bool
	}{
		{"SharedStringOutOfRange", `<sst><si><t>a</t></si></sst>`, `<row r="2"><c r="A2" t="s"><v>1</v></c></row>`, "无法读取 Excel 文件", 2, false},
		{"SharedStringNotANumber", `<sst><si><t>a</t></si></sst>`, `<row r="2"><c r="A2" t="s"><v>x</v></c></row>`, "无法读取 Excel 文件", 2, false},
		{"RowNumberNotANumber", "", `<row r="two"><c r="A2"><v>1</v></c></row>`, "无法读取 Excel 文件", 2, false},
		{"BadCellReference", "", `<row r="2"><c r="2A"><v>1</v></c></row>`, "无法读取 Excel 文件", 2, false},
		{"ColumnBeyondXFD", "", `<row r="2"><c r="XFE2"><v>1</v></c></row>`, "无法读取 Excel 文件", 2, false},
		{"RowBeyondLimit", "", `<row r="1048577"><c r="A1048577"><v>1</v></c></row>`, "行数超过", 1048577, false},
		{"Unclosed", "", `<row r="2"><c r="A2"><v>1</v>`, "无法读取 Excel 文件", 2, false},
		{"NestedTooDeep", "", `<row r="2">` + strings.Repeat("<a>", maxDepth) + strings.Repeat("</a>", maxDepth) + `</row>`, "无法读取 Excel 文件", 2, false},
		// Nesting up to the limit is read: the error is the next row's.
		{"NestedToTheLimit", "", `<row r="2">` + strings.Repeat("<a>", maxDepth-3) + strings.Repeat("</a>", maxDepth-3) + `<c r="A2"><v>1</v></c></row><row r="3"><c r="A3"><v>x</v>`, "无法读取 Excel 文件", 3, false},
		{"SharedStringsBroken", `<sst><si><t>a</si></sst>`, "", "无法读取 Excel 文件", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := openBytes(handMadeBook(t, tt.sst, "<sheetData>"+header+tt.rows+"</sheetData>"), "名单.xlsx")
			if (err != nil) != tt.atOpen {
				t.Fatalf("Open error = %v, want one: %v", err, tt.atOpen)
			}
			if err == nil {
				for err == nil {
					_, err = r.Next()
				}
				r.Close()
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error = %v (%T), want a *FileError", err, err)
			}
			if !strings.Contains(fe.Message, tt.want) || fe.Line != tt.line {
				t.Errorf("error = line %d %q, want line %d and %q", fe.Line, fe.Message, tt.line, tt.want)
			}
		})
	}
}

func TestSharedStringLimits(t *testing.T) {
	sst := `<sst><si><t>一二三</t></si><si><t>四</t></si><si><t/></si></sst>`
	tests := []struct {
		name  string
		limit sharedStringLimits
		ok    bool
	}{
		{"Within", sharedStringLimits{strings: 3, text: 12}, true},
		{"TooMany", sharedStringLimits{strings: 2, text: 100}, false},
		{"TooLong", sharedStringLimits{strings: 100, text: 11}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeSharedStrings(strings.NewReader(sst), tt.limit)
			if tt.ok != (err == nil) {
				t.Fatalf("error = %v, want one: %v", err, !tt.ok)
			}
			if !tt.ok {
				if !errors.Is(err, errTooManyStrings) {
					t.Errorf("error = %v, want errTooManyStrings", err)
				}
				return
			}
			for i, want := range []string{"一二三", "四", ""} {
				if got, ok := s.get(i); !ok || got != want {
					t.Errorf("get(%d) = %q, %v, want %q", i, got, ok, want)
				}
			}
			if _, ok := s.get(3); ok {
				t.Error("get(3) found a string past the end")
			}
		})
	}
}

func TestUnescapeBasic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain 文字", "plain 文字"},
		{"a_x000D__x000A_b", "a\r\nb"},
		{"_x005F_x0041_", "_x0041_"},
		{"_x4e2d__x6587_", "中文"},
		{"_xD800_", ""}, // a lone surrogate is dropped, as by excelize
		{"_x12G4_ _x123_ _x1234", "_x12G4_ _x123_ _x1234"},
		{"__x0041__", "_A_"},
	}
	for _, tt := range tests {
		if got := string(unescapeBasic([]byte(tt.in))); got != tt.want {
			t.Errorf("unescapeBasic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestColumnOf(t *testing.T) {
	tests := []struct {
		ref  string
		want int
		ok   bool
	}{
		{"A1", 1, true},
		{"b7", 2, true},
		{"Z10", 26, true},
		{"AA3", 27, true},
		{"$C$5", 3, true},
		{"XFD1048576", 16384, true},
		{"XFE1", 0, false},
		{"A", 0, false},
		{"1", 0, false},
		{"A0", 0, false},
		{"A1B", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := columnOf(tt.ref)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("columnOf(%q) = %d, %v, want %d, %v", tt.ref, got, ok, tt.want, tt.ok)
		}
	}
}
