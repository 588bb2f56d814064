package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	"jianfu/ent/household"
	"jianfu/ent/store"
	"jianfu/forms/sheets"
	"jianfu/roles"
	"jianfu/workflows"
)

// listDepartment is the department whose screening list the bench imports:
// 医保's list of high self-paid medical costs, the largest list a county
// receives.
const listDepartment = "medical_insurance"

// listResult is one department list import: rows of the file, what they
// became, and the time and memory of ImportList alone.
type listResult struct {
	Rows, Started, Problems int
	FileBytes               int
	Elapsed                 time.Duration
	PeakRSS, StartRSS       int64
}

// measureListImport builds a 医保 list of sc.ImportRows rows as the
// department would upload it (.xlsx), then imports it through
// store.Service.ImportList, the path of the upload page: read, validate,
// match by 身份证号, start one 部门预警核实 case per household. Of the rows,
// 95 % name registered heads of household, 3 % valid numbers nobody
// registered and 2 % numbers with a wrong check character. Building the
// file is outside the measured phase (it arrives by upload).
func measureListImport(ctx context.Context, db *store.DB, svc *store.Service, sc benchScale) (listResult, error) {
	ids, err := db.Client.Household.Query().Order(household.ByID()).Limit(sc.ImportRows).
		Select(household.FieldIDNumber).Strings(ctx)
	if err != nil {
		return listResult{}, fmt.Errorf("pick households for the list: %w", err)
	}
	file, err := syntheticMedicalList(rand.New(rand.NewPCG(510100, 7)), ids, sc.ImportRows)
	if err != nil {
		return listResult{}, err
	}
	runtime.GC()
	debug.FreeOSMemory()
	before, err := readMemory()
	if err != nil {
		return listResult{}, err
	}
	if err := resetPeak(); err != nil {
		return listResult{}, err
	}
	liaison := workflows.User{Username: liaisonUser(listDepartment), Role: roles.Liaison, Locality: benchCounty,
		Department: listDepartment}
	start := time.Now()
	got, err := svc.ImportList(ctx, liaison, workflows.ListUpload{Workflow: "department_warning", Period: "2026-11",
		FileName: "医保预警名单.xlsx", Content: file}, nil)
	if err != nil {
		return listResult{}, fmt.Errorf("import the 医保 list: %w", err)
	}
	elapsed := time.Since(start)
	after, err := readMemory()
	if err != nil {
		return listResult{}, err
	}
	return listResult{Rows: got.Processed, Started: got.Started, Problems: got.Problems + got.Duplicates + got.OpenCases,
		FileBytes: len(file), Elapsed: elapsed, PeakRSS: after.Peak, StartRSS: before.RSS}, nil
}

// syntheticMedicalList writes an .xlsx of n rows in the columns of the
// warning_medical form, as a department's export has them.
func syntheticMedicalList(rng *rand.Rand, registered []string, n int) ([]byte, error) {
	header := []string{"乡镇", "村", "姓名", "身份证号", "就诊医疗机构", "医疗类别", "入院时间", "出院时间",
		"费用总金额", "报销金额", "自付医疗费用"}
	hospitals := []string{"县人民医院", "县中医院", "市第一人民医院", "省人民医院"}
	i := 0
	next := func() ([]string, bool) {
		if i >= n {
			return nil, false
		}
		i++
		var id string
		switch r := rng.IntN(100); {
		case r < 95 && len(registered) > 0:
			id = registered[(i-1)%len(registered)]
		case r < 98:
			id = syntheticID(rng, 1960, 9_000_000+i) // valid, registered by nobody
		default:
			id = syntheticID(rng, 1960, 9_500_000+i)
			id = id[:17] + string("0123456789X"[(stringIndex(id[17])+1)%11])
		}
		day := 1 + rng.IntN(20)
		total := 20_000 + rng.IntN(80_000)
		paid := total / 2
		return []string{"东山镇", "桃园村", string(benchSurnames[rng.IntN(len(benchSurnames))]) + benchGiven[rng.IntN(len(benchGiven))],
			id, hospitals[rng.IntN(len(hospitals))], "住院", fmt.Sprintf("2026-10-%02d", day),
			fmt.Sprintf("2026-10-%02d", day+1+rng.IntN(8)), strconv.Itoa(total), strconv.Itoa(paid),
			strconv.Itoa(total - paid)}, true
	}
	var buf bytes.Buffer
	if err := sheets.WriteSheet(&buf, "医保预警", header, next); err != nil {
		return nil, fmt.Errorf("write the 医保 list: %w", err)
	}
	return buf.Bytes(), nil
}

func stringIndex(c byte) int {
	if c == 'X' {
		return 10
	}
	return int(c - '0')
}
