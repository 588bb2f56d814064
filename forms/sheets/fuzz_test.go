package sheets

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// maxFuzzRows bounds the rows a fuzz input is read for: a valid sheet may
// name row 1048576, and stepping through empty rows proves nothing more.
const maxFuzzRows = 10000

// checkRows reads up to maxFuzzRows rows of data and fails unless line
// numbers strictly increase from after the header, and errors are
// *FileError.
func checkRows(t *testing.T, data []byte, name string) {
	r, err := Open(bytes.NewReader(data), int64(len(data)), name)
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) || fe.Message == "" {
			t.Fatalf("Open error %v (%T) is not a *FileError with a message", err, err)
		}
		return
	}
	defer r.Close()
	if len(r.Header()) == 0 || r.HeaderLine() < 1 {
		t.Fatalf("header %q on line %d", r.Header(), r.HeaderLine())
	}
	last := r.HeaderLine()
	for range maxFuzzRows {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Next error %v (%T) is not a *FileError", err, err)
			}
			return
		}
		if row.Line <= last {
			t.Fatalf("line %d after line %d", row.Line, last)
		}
		if len(row.Cells) == 0 || strings.TrimSpace(row.Cells[len(row.Cells)-1]) == "" {
			t.Fatalf("line %d has cells %q: blank rows and trailing blanks must be dropped", row.Line, row.Cells)
		}
		last = row.Line
	}
}

func FuzzOpenCSV(f *testing.F) {
	f.Add([]byte("姓名,身份证号\r\n张三,1\r\n\r\n李四,2\r\n"))
	f.Add([]byte(utf8BOM + "a,b\n\"x\ny\",z\n,,\n"))
	f.Add([]byte("标题\n\n姓名\t身份证号\n张\"三\t1\n"))
	f.Add([]byte("\xD5\xC5\xC8\xFD,1\r\n\xC0\xEE\xCB\xC4,2\r\n")) // GBK 张三, 李四
	f.Add([]byte(utf16LEBOM + "a\x00,\x00b\x00\n\x001\x00,\x002\x00"))
	f.Add([]byte("\"unclosed,a\nb,c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.HasPrefix(data, []byte(zipMagic)) {
			return // FuzzOpenXLSX's ground
		}
		checkRows(t, data, "fuzz.csv")
	})
}

func FuzzOpenXLSX(f *testing.F) {
	f.Add(xlsxOf(f, []string{"姓名", "身份证号"}, [][]string{{"张三", "1"}, {}, {"李四"}}))
	f.Add(xlsxOf(f, []string{"2026年名单"}, [][]string{{"姓名", "身份证号"}, {"张三", "1"}}))
	f.Add(xlsxOf(f, listHeader, listRows()))
	f.Add([]byte(zipMagic))
	// Shared strings, rows and cells without numbers, a formula, the
	// other cell types: the paths WriteSheet's output does not take.
	// Stored without checksums, so that changes reach the XML.
	f.Add(zipParts(f, bookParts(`<sst><si><t>姓名</t></si><si><r><t>张</t></r><r><t>三_x0041_</t></r><rPh><t>z</t></rPh></si></sst>`,
		`<sheetData><row><c t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>身份证号</t></is></c></row>`+
			`<row r="3"><c t="s"><v>1</v></c><c t="b"><v>1</v></c><c r="D3"><f>1+1</f><v>2</v></c><c t="e"><v>#N/A</v></c></row></sheetData>`), true))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRows(t, data, "fuzz.xlsx")
	})
}

func FuzzMapColumns(f *testing.F) {
	def := parseDef(f, medicalYAML)
	f.Add("姓名\t身份证号\t入院日期\t自付金额")
	f.Add("*姓名\tid_number\t身份证号\t乡镇\t\t")
	f.Add("风险类型（必填）\t是否参保\tphone\tPHONE")
	f.Fuzz(func(t *testing.T, line string) {
		header := strings.Split(line, "\t")
		cols, err := MapColumns(def, header)
		if err != nil {
			var he *HeaderError
			if !errors.As(err, &he) || he.Error() == "" {
				t.Fatalf("error %v (%T) is not a *HeaderError with a message", err, err)
			}
			return
		}
		seen := map[int]bool{}
		fields := map[string]bool{}
		for _, c := range append(append([]Column(nil), cols.Mapped...), cols.Extra...) {
			if c.Index < 0 || c.Index >= len(header) || seen[c.Index] {
				t.Fatalf("column %d out of range or listed twice", c.Index)
			}
			seen[c.Index] = true
			if c.Field != nil {
				if fields[c.Field.Name] {
					t.Fatalf("field %s has two columns", c.Field.Name)
				}
				fields[c.Field.Name] = true
			}
		}
		for i, h := range header {
			if headerKey(h) != "" && !seen[i] {
				t.Fatalf("column %d %q is neither mapped nor extra", i, h)
			}
		}
		if !fields["name"] || !fields["id_number"] {
			t.Fatalf("accepted a header without the required fields: %q", header)
		}
		// Values must take any row of the header's width.
		cols.Values(Row{Line: 2, Cells: header})
	})
}
