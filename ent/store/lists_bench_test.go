package store_test

import (
	"fmt"
	"testing"

	"jianfu/ent/storetest"
	"jianfu/workflows"
)

// BenchmarkImportList imports a 医保 list of 2,000 rows naming freshly
// registered heads of household, so every row starts a case; the county
// grows by 2,000 households per op. `jianfu bench` measures the 100,000-row
// list at county scale; this one is for profiles:
//
//	go test ./ent/store -run '^$' -bench ImportList -cpuprofile /tmp/list.prof
func BenchmarkImportList(b *testing.B) {
	const rows = 2000
	for _, tdb := range storetest.TestDatabases(b) {
		b.Run(tdb.Name, func(b *testing.B) {
			f := newFixture(b, openDB(b, tdb), seedCounty)
			yibao := f.liaison(b, "medical_insurance")
			county := f.user(b, "county1")
			villages := []string{taoyuan, liuwan, qingsong}
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				hs := make([]workflows.Household, rows)
				lines := make([]string, rows)
				for k := range hs {
					seq := 1_000_000 + i*rows + k
					id := benchID(seq)
					hs[k] = workflows.Household{HeadName: "王建国", IDNumber: id, Locality: villages[k%3]}
					lines[k] = medicalRow("王建国", id, "2026-02-01", "2026-02-12")
				}
				if _, err := f.svc.LoadHouseholds(f.ctx, county, hs); err != nil {
					b.Fatalf("LoadHouseholds: %v", err)
				}
				content := csvList(lines...)
				b.StartTimer()
				got, err := f.svc.ImportList(f.ctx, yibao, workflows.ListUpload{Workflow: "department_warning",
					Period: "2026-02", FileName: "医保.csv", Content: content}, nil)
				if err != nil || got.Started != rows {
					b.Fatalf("ImportList = %+v, %v; want %d cases", got, err, rows)
				}
			}
			b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchID is a valid 身份证号 for seq < 10^7, distinct per seq.
func benchID(seq int) string {
	return withCheck(fmt.Sprintf("%06d19800101%03d", 500000+seq/1000, seq%1000))
}
