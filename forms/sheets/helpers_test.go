package sheets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"testing"

	"jianfu/forms"
)

// medicalYAML is a 医保 screening list as a form: the fields the brief of
// every department list has, and a few of each other type.
const medicalYAML = `id: medical_warning
title: 医保预警
choices:
  source:
    - {value: dept, label: 部门预警}
    - {value: town, label: 乡镇排查}
  risk:
    - {value: illness, label: 因病}
    - {value: study, label: 因学}
    - {value: disaster, label: 因灾}
fields:
  - {name: name, type: text, label: 姓名, required: true}
  - {name: id_number, type: id_card, label: 身份证号, required: true}
  - {name: admitted, type: date, label: 入院日期}
  - {name: self_paid, type: money, label: 自付金额}
  - {name: visits, type: integer, label: 就诊次数}
  - {name: source, type: select, label: 线索来源, choices: source}
  - {name: risks, type: multiselect, label: 风险类型, choices: risk}
  - {name: insured, type: boolean, label: 是否参保}
  - {name: phone, type: phone, label: 联系电话}
`

func parseDef(t testing.TB, src string) *forms.Definition {
	t.Helper()
	d, err := forms.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse test form: %v", err)
	}
	return d
}

// idNumber completes 17 digits with their check character (GB 11643).
func idNumber(first17 string) string {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * weights[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

// masked shows a 身份证号 in test output without giving it whole.
func masked(id string) string {
	if len(id) < 8 {
		return id
	}
	return id[:4] + "…" + id[len(id)-2:]
}

// xlsxOf writes rows under header with WriteSheet.
func xlsxOf(t testing.TB, header []string, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	i := 0
	err := WriteSheet(&buf, "名单", header, func() ([]string, bool) {
		if i == len(rows) {
			return nil, false
		}
		i++
		return rows[i-1], true
	})
	if err != nil {
		t.Fatalf("WriteSheet: %v", err)
	}
	return buf.Bytes()
}

// csvOf writes header and rows as CSV text with the given separator.
func csvOf(t testing.TB, comma rune, header []string, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = comma
	w.UseCRLF = true
	for _, rec := range append([][]string{header}, rows...) {
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// openBytes opens data as a list named name.
func openBytes(data []byte, name string) (*Reader, error) {
	return Open(bytes.NewReader(data), int64(len(data)), name)
}

// readAll returns every data row of r, closing it.
func readAll(t testing.TB, r *Reader) []Row {
	t.Helper()
	defer r.Close()
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next after %d rows: %v", len(rows), err)
		}
		rows = append(rows, row)
	}
}

func fieldErrors(errs forms.FieldErrors) string {
	return fmt.Sprint([]forms.FieldError(errs))
}
