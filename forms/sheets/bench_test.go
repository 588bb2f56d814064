package sheets

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jianfu/forms"
)

// benchRows is the size of the largest list a department sends.
const benchRows = 100_000

// benchYAML is a 医保 list of twelve columns.
const benchYAML = `id: medical_list
title: 医保预警名单
fields:
  - {name: township, type: text, label: 乡镇}
  - {name: village, type: text, label: 村}
  - {name: name, type: text, label: 姓名, required: true}
  - {name: id_number, type: id_card, label: 身份证号, required: true}
  - {name: hospital, type: text, label: 就诊医院}
  - {name: admitted, type: date, label: 入院日期}
  - {name: discharged, type: date, label: 出院日期}
  - {name: total, type: money, label: 费用总额}
  - {name: reimbursed, type: money, label: 报销金额}
  - {name: self_paid, type: money, label: 自付金额}
  - {name: phone, type: phone, label: 联系电话}
  - {name: note, type: textarea, label: 备注}
`

var benchHeader = []string{"乡镇", "村", "姓名", "身份证号", "就诊医院", "入院日期", "出院日期", "费用总额", "报销金额", "自付金额", "联系电话", "备注"}

// benchRow makes the i-th row of the list: every value varies, so the
// shared-string and decoding work is what a real list costs. Dates come
// both as text and as serial numbers, amounts with separators.
func benchRow(i int) []string {
	towns := []string{"城关镇", "河西乡", "东山镇", "南坪乡", "北湖镇"}
	admitted := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%600)
	discharged := admitted.AddDate(0, 0, 3+i%11)
	total := 1000 + i%90000
	paid := total * 7 / 10
	row := []string{
		towns[i%len(towns)],
		fmt.Sprintf("第%d村", i%300),
		fmt.Sprintf("村民%05d", i),
		idNumber(fmt.Sprintf("430102%s%03d", time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%25000).Format("20060102"), i%1000)),
		fmt.Sprintf("县第%d人民医院", 1+i%3),
		admitted.Format("2006/1/2"),
		strconv.Itoa(excelSerial(discharged)),
		fmt.Sprintf("%d,%03d.%02d", total/1000, total%1000, i%100),
		fmt.Sprintf("%d.%02d", paid, i%100),
		fmt.Sprintf("%d.00", total-paid),
		fmt.Sprintf("138%08d", i),
		"",
	}
	if i%10 == 0 {
		row[11] = "慢性病，长期用药"
	}
	return row
}

// excelSerial is the 1900-system serial number of a date after 1900-03-01.
func excelSerial(t time.Time) int {
	return int(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// writeBenchList writes the list to dir and returns its path.
func writeBenchList(b *testing.B, dir string) string {
	b.Helper()
	path := filepath.Join(dir, "list.xlsx")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	i := 0
	err = WriteSheet(f, "名单", benchHeader, func() ([]string, bool) {
		if i == benchRows {
			return nil, false
		}
		i++
		return benchRow(i - 1), true
	})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// heapPeak samples HeapInuse until stopped and returns the highest seen.
// ReadMemStats stops the world briefly, so it samples every few
// milliseconds, not continuously.
func heapPeak() (stop func() uint64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peak = max(peak, m.HeapInuse)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak
	}
}

// BenchmarkReadXLSX100k opens a 100,000 × 12 list, maps its header and
// turns every row into form input. peak-heap-MB is the highest HeapInuse
// seen while it runs, the heap left from setup included.
func BenchmarkReadXLSX100k(b *testing.B) {
	benchmarkRead(b, Open)
}

// BenchmarkReadXLSX100kExcelize is the same through excelize's Rows
// iterator, which Open used before it had its own reader.
func BenchmarkReadXLSX100kExcelize(b *testing.B) {
	benchmarkRead(b, openExcelize)
}

type openFunc func(r io.ReaderAt, size int64, name string) (*Reader, error)

func benchmarkRead(b *testing.B, open openFunc) {
	path := writeBenchList(b, b.TempDir())
	def := parseDef(b, benchYAML)
	file, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		b.Fatal(err)
	}
	checkBenchRow(b, def, open, file, info.Size())
	b.Logf("list: %d rows, %.1f MB", benchRows, float64(info.Size())/1e6)

	runtime.GC()
	stop := heapPeak()
	b.ReportAllocs()
	for b.Loop() {
		if n := readList(b, def, open, file, info.Size(), func(cols *Columns, row Row) { cols.Values(row) }); n != benchRows {
			b.Fatalf("read %d rows, want %d", n, benchRows)
		}
	}
	peak := stop()
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// readList reads every row of the list, giving each to use; it returns
// the number of rows.
func readList(b *testing.B, def *forms.Definition, open openFunc, r io.ReaderAt, size int64, use func(*Columns, Row)) int {
	list, err := open(r, size, "list.xlsx")
	if err != nil {
		b.Fatal(err)
	}
	defer list.Close()
	cols, err := MapColumns(def, list.Header())
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for {
		row, err := list.Next()
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		use(cols, row)
		n++
	}
}

// checkBenchRow makes sure the generated rows are valid input, so the
// benchmark measures the path good lists take.
func checkBenchRow(b *testing.B, def *forms.Definition, open openFunc, r io.ReaderAt, size int64) {
	checked := 0
	readList(b, def, open, r, size, func(cols *Columns, row Row) {
		if row.Line%9973 != 2 {
			return
		}
		checked++
		if _, errs := def.Validate(cols.Values(row), nil); errs != nil {
			b.Fatalf("line %d (%s) is invalid: %s", row.Line, masked(row.Cells[3]), fieldErrors(errs))
		}
	})
	if checked == 0 {
		b.Fatal("no row checked")
	}
}

// BenchmarkReadXLSX100kGetRows is what Open avoids: excelize's GetRows,
// the whole sheet as [][]string, for comparison of peak-heap-MB.
func BenchmarkReadXLSX100kGetRows(b *testing.B) {
	path := writeBenchList(b, b.TempDir())
	runtime.GC()
	stop := heapPeak()
	b.ReportAllocs()
	for b.Loop() {
		f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil || len(rows) != benchRows+1 {
			b.Fatalf("GetRows: %d rows, %v", len(rows), err)
		}
		f.Close()
	}
	peak := stop()
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkWriteSheet100k streams a 100,000 × 12 list to nowhere.
func BenchmarkWriteSheet100k(b *testing.B) {
	runtime.GC()
	stop := heapPeak()
	b.ReportAllocs()
	for b.Loop() {
		i := 0
		err := WriteSheet(io.Discard, "名单", benchHeader, func() ([]string, bool) {
			if i == benchRows {
				return nil, false
			}
			i++
			return benchRow(i - 1), true
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	peak := stop()
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
