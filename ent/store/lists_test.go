package store_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"jianfu/ent"
	"jianfu/ent/event"
	"jianfu/ent/listentry"
	"jianfu/ent/submission"
	"jianfu/forms"
	"jianfu/forms/sheets"
	"jianfu/workflows"
)

// medicalHeader is the header of a 医保 list as the department exports it,
// with a column the form does not know.
const medicalHeader = "乡镇,村,姓名,身份证号,就诊医疗机构,入院时间,出院时间,费用总金额,报销金额,自付医疗费用,备注"

func medicalRow(name, id, admitted, discharged string) string {
	return fmt.Sprintf("东山镇,桃园村,%s,%s,县人民医院,%s,%s,42000,21000,18000.50,", name, id, admitted, discharged)
}

func csvList(rows ...string) []byte {
	return []byte(strings.Join(append([]string{medicalHeader}, rows...), "\r\n") + "\r\n")
}

func testScreeningList(t *testing.T, f *fixture) {
	a := f.newHousehold(t, taoyuan)
	b := f.newHousehold(t, qingsong)
	yibao := f.liaison(t, "medical_insurance")
	member := b.Members[0]
	content := csvList(
		medicalRow(a.HeadName, a.IDNumber, "2026-02-01", "2026/2/12"),       // line 2: the head
		medicalRow(member.Name, member.IDNumber, "2026年2月3日", "2026-02-20"), // 3: a member of b
		medicalRow("错号", wrongCheck(testID(1980, 77)), "2026-02-01", ""),    // 4: bad check digit
		medicalRow("无此人", testID(1981, 78), "2026-02-01", ""),               // 5: not registered
		medicalRow("倒填", testID(1982, 79), "2026-02-10", "2026-02-01"),      // 6: discharged before admitted
		medicalRow(a.HeadName, a.IDNumber, "2026-02-01", "2026-02-12"),      // 7: line 2 again
		medicalRow(b.HeadName, b.IDNumber, "2026-02-05", "2026-02-06"),      // 8: b's head, b has a case from line 3
	)
	var accepted []workflows.ListImport
	up := workflows.ListUpload{Workflow: "department_warning", Period: "2026-02", FileName: "医保2月.csv", Content: content}
	got, err := f.svc.ImportList(f.ctx, yibao, up, func(li workflows.ListImport) { accepted = append(accepted, li) })
	if err != nil {
		t.Fatalf("ImportList: %v", err)
	}
	if len(accepted) != 1 || accepted[0].Status != workflows.ImportRunning || accepted[0].ID != got.ID {
		t.Fatalf("accepted = %+v; want one call with the running import %d", accepted, got.ID)
	}
	want := workflows.ListImport{Status: workflows.ImportDone, Total: 7, Processed: 7, Started: 2, Duplicates: 1, OpenCases: 1, Problems: 3}
	if got.Status != want.Status || got.Total != want.Total || got.Processed != want.Processed || got.Started != want.Started ||
		got.Duplicates != want.Duplicates || got.OpenCases != want.OpenCases || got.Problems != want.Problems {
		t.Errorf("import = %+v; want status done, 7 rows, 2 started, 1 duplicate (line 7 repeats line 2), 1 open, 3 errors", got)
	}
	if got.Percent() != 100 || got.Title != "医保大额医疗费用预警" || !slices.Contains(got.Header, "备注") {
		t.Errorf("import = %d%%, title %q, header %v; want 100%%, the list's title and the file's header", got.Percent(), got.Title, got.Header)
	}

	var problems []workflows.ListProblem
	err = f.svc.ListProblems(f.ctx, yibao, got.ID, func(p workflows.ListProblem) error {
		problems = append(problems, p)
		return nil
	})
	if err != nil {
		t.Fatalf("ListProblems: %v", err)
	}
	wantProblems := []struct {
		line      int
		kind, msg string
	}{
		{4, workflows.ProblemError, "身份证号"},
		{5, workflows.ProblemError, "农户信息库中没有该身份证号"},
		{6, workflows.ProblemError, "出院时间不能早于入院时间"},
		{7, workflows.ProblemSkip, "与第2行的身份证号相同"},
		{8, workflows.ProblemSkip, "同户已由第3行生成核实任务"},
	}
	if len(problems) != len(wantProblems) {
		t.Fatalf("problems = %+v; want %d", problems, len(wantProblems))
	}
	for i, w := range wantProblems {
		p := problems[i]
		if p.Line != w.line || p.Kind != w.kind || !strings.Contains(p.Message, w.msg) || len(p.Cells) != 11 {
			t.Errorf("problem %d = %+v; want line %d, %s, message with %q, the row's 11 cells", i, p, w.line, w.kind, w.msg)
		}
	}

	// Each household got one case in verify, with a village task, the
	// row as its first submission and a start event.
	village := map[int]string{a.ID: "village11", b.ID: "village21"}
	for _, h := range []workflows.Household{a, b} {
		cases, err := f.svc.Cases(f.ctx, f.user(t, village[h.ID]), h.ID)
		if err != nil {
			t.Fatalf("Cases: %v", err)
		}
		if len(cases) != 1 || cases[0].Workflow != "department_warning" || cases[0].State != "verify" {
			t.Fatalf("cases of %s = %+v; want one department_warning case in verify", h.HeadName, cases)
		}
		c := cases[0]
		subs, err := f.db.Client.Submission.Query().Where(submission.CaseID(c.ID)).Order(ent.Asc(submission.FieldID)).All(f.ctx)
		if err != nil || len(subs) == 0 || subs[0].Form != "warning_medical" || subs[0].Trigger != workflows.TriggerImportList {
			t.Fatalf("submissions of case %d = %v, %v; want the row as the first, a warning_medical submission", c.ID, subs, err)
		}
		// Line 8, b's head, goes on the case line 3 started for b.
		wantWarnings := map[int]int{a.ID: 0, b.ID: 1}[h.ID]
		if len(subs) != 1+wantWarnings || wantWarnings == 1 &&
			(subs[1].Trigger != workflows.TriggerListWarning || subs[1].Data["id_number"] != b.IDNumber || subs[1].State != "verify") {
			t.Errorf("submissions of case %d = %v; want the starting row and %d warning(s)", c.ID, subs, wantWarnings)
		}
		if subs[0].Data["self_paid"] != float64(1800050) || subs[0].Data["hospital"] != "县人民医院" {
			t.Errorf("row data = %v; want the validated values (money in fen)", subs[0].Data)
		}
		form, err := f.svc.FormVersion(f.ctx, subs[0].Form, subs[0].FormVersion)
		if err != nil || form.Version != subs[0].FormVersion || form.Label("self_paid", "zh") != "自付医疗费用" {
			t.Errorf("FormVersion(%s, %d) = %v, %v; want the version the row was filed against", subs[0].Form, subs[0].FormVersion, form, err)
		}
		_, err = f.svc.FormVersion(f.ctx, subs[0].Form, subs[0].FormVersion+1)
		wantCode(t, err, workflows.NotFound)
		full, err := f.svc.Case(f.ctx, f.user(t, village[h.ID]), c.ID)
		if err != nil || len(full.History) == 0 || full.History[0].TriggerTitle != "部门预警推送" {
			t.Errorf("history of case %d = %+v, %v; want it to begin with 部门预警推送", c.ID, full.History, err)
		}
		n, err := f.db.Client.Event.Query().Where(event.CaseID(c.ID), event.Kind("start"),
			event.Trigger(workflows.TriggerImportList), event.Actor(yibao.Username)).Count(f.ctx)
		if err != nil || n != 1 {
			t.Errorf("start events of case %d = %d, %v; want 1 by the liaison", c.ID, n, err)
		}
		page, err := f.svc.Tasks(f.ctx, f.user(t, village[h.ID]), workflows.Page{})
		if err != nil {
			t.Fatalf("Tasks: %v", err)
		}
		if !slices.ContainsFunc(page.Tasks, func(tk workflows.Task) bool { return tk.CaseID == c.ID && tk.State == "verify" }) {
			t.Errorf("inbox of %s = %+v; want the verification task of case %d", village[h.ID], page.Tasks, c.ID)
		}
	}

	// The same file again starts nothing: the rows are already imported.
	again, err := f.svc.ImportList(f.ctx, yibao, up, nil)
	if err != nil {
		t.Fatalf("ImportList again: %v", err)
	}
	if again.Started != 0 || again.Duplicates != 4 || again.OpenCases != 0 || again.Problems != 3 {
		t.Errorf("re-upload = %+v; want nothing started, 4 duplicates (3 imported before, 1 in the file), 3 errors", again)
	}
	// Next month's list finds the checks still open: its rows are recorded
	// on them.
	up.Period = "2026-03"
	next, err := f.svc.ImportList(f.ctx, yibao, up, nil)
	if err != nil {
		t.Fatalf("ImportList next month: %v", err)
	}
	if next.Started != 0 || next.OpenCases != 3 || next.Duplicates != 1 {
		t.Errorf("next month = %+v; want nothing started, 3 rows on open checks, 1 duplicate in the file", next)
	}
	entries, err := f.db.Client.ListEntry.Query().Where(listentry.Department("medical_insurance")).Count(f.ctx)
	if err != nil || entries != 6 {
		t.Errorf("list entries = %d, %v; want 6 (lines 2, 3 and 8 of each month)", entries, err)
	}

	// The village verifies: at risk hands over to identification.
	cases, _ := f.svc.Cases(f.ctx, f.user(t, "village11"), a.ID)
	fired, err := f.svc.Fire(f.ctx, f.user(t, "village11"), cases[0].ID, "include", map[string]any{
		"visited": "2026-03-02", "checkers": "张明、李华", "at_risk": true, "risks": []any{"因病"}, "situation": "住院自付1.8万元，收入下降",
	}, cases[0].Version)
	if err != nil || !fired.Final {
		t.Fatalf("include = %+v, %v; want the check closed", fired, err)
	}
	after, _ := f.svc.Cases(f.ctx, f.user(t, "village11"), a.ID)
	if !slices.ContainsFunc(after, func(c workflows.Case) bool { return c.Workflow == "identification" && !c.Final }) {
		t.Errorf("cases after include = %+v; want an open identification case", after)
	}

	// Who may see the import.
	if _, err := f.svc.ListImport(f.ctx, f.user(t, "county1"), got.ID); err != nil {
		t.Errorf("ListImport by the county: %v", err)
	}
	_, err = f.svc.ListImport(f.ctx, f.liaison(t, "education"), got.ID)
	wantCode(t, err, workflows.Forbidden)
	list, err := f.svc.ListImports(f.ctx, yibao, 10)
	if err != nil || len(list) != 3 || list[0].ID != next.ID {
		t.Errorf("ListImports = %d imports, %v; want 3, newest first", len(list), err)
	}
	if other, _ := f.svc.ListImports(f.ctx, f.liaison(t, "education"), 10); len(other) != 0 {
		t.Errorf("ListImports of 教育 = %+v; want none of 医保's", other)
	}
}

func testScreeningListRefusals(t *testing.T, f *fixture) {
	h := f.newHousehold(t, taoyuan)
	good := csvList(medicalRow(h.HeadName, h.IDNumber, "2026-02-01", "2026-02-12"))
	var xlsx bytes.Buffer
	rows := [][]string{{"张三", h.IDNumber}}
	if err := sheets.WriteSheet(&xlsx, "名单", []string{"姓名", "身份证"}, func() ([]string, bool) {
		if len(rows) == 0 {
			return nil, false
		}
		r := rows[0]
		rows = rows[1:]
		return r, true
	}); err != nil {
		t.Fatalf("WriteSheet: %v", err)
	}
	tests := []struct {
		name  string
		user  string
		up    workflows.ListUpload
		code  workflows.Code
		field string
		msg   string
	}{
		{"village cadre", "village11", workflows.ListUpload{Workflow: "department_warning", Period: "2026-02", Content: good},
			workflows.Forbidden, "", ""},
		{"department without a list", "liaison-gongan", workflows.ListUpload{Workflow: "department_warning", Period: "2026-02", Content: good},
			workflows.Invalid, "", "不接收公安的名单"},
		{"no such workflow", "liaison-yibao", workflows.ListUpload{Workflow: "nosuch", Period: "2026-02", Content: good},
			workflows.NotFound, "", ""},
		{"bad period", "liaison-yibao", workflows.ListUpload{Workflow: "department_warning", Period: "2026-13", Content: good},
			workflows.Invalid, "period", "2026-11"},
		{"empty file", "liaison-yibao", workflows.ListUpload{Workflow: "department_warning", Period: "2026-02"},
			workflows.Invalid, "file", ""},
		{"corrupt workbook", "liaison-yibao", workflows.ListUpload{Workflow: "department_warning", Period: "2026-02",
			FileName: "坏.xlsx", Content: []byte("PK\x03\x04 not a zip")}, workflows.Invalid, "file", ""},
		{"header of another list", "liaison-yibao", workflows.ListUpload{Workflow: "department_warning", Period: "2026-02",
			FileName: "名单.xlsx", Content: xlsx.Bytes()}, workflows.Invalid, "file", "缺少必填列：身份证号、自付医疗费用"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			_, err := f.svc.ImportList(f.ctx, f.user(t, tt.user), tt.up, func(workflows.ListImport) { called = true })
			e := wantCode(t, err, tt.code)
			if called {
				t.Error("accepted was called for a refused upload")
			}
			if e != nil && tt.field != "" {
				wantField(t, e, tt.field)
			}
			if e != nil && !strings.Contains(e.Error(), tt.msg) && !slices.ContainsFunc(e.Fields, func(fe forms.FieldError) bool {
				return strings.Contains(fe.Message, tt.msg)
			}) {
				t.Errorf("error = %v (fields %v); want it to say %q", e, e.Fields, tt.msg)
			}
		})
	}
	n, err := f.db.Client.ListImport.Query().Count(f.ctx)
	if err != nil || n != 0 {
		t.Errorf("imports recorded = %d, %v; want none for refused uploads", n, err)
	}
}

// testScreeningListOtherCases checks what a row does for a household that
// already has an open case. On the road the list's workflow starts (a
// check, 识别纳入, 监测帮扶) the row starts nothing: it is recorded on that
// case, in its history with the department's values, without moving it.
// An open case off that road (the seven-step procedure) holds nothing back,
// and a re-upload of the period records nothing twice.
func testScreeningListOtherCases(t *testing.T, f *fixture) {
	county := f.user(t, "county1")
	identifying := f.newCase(t, taoyuan)
	monitored := f.moveTo(t, f.newCase(t, taoyuan), "included")
	cases, err := f.svc.Cases(f.ctx, county, monitored.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	var monitoring workflows.Case
	for _, c := range cases {
		if !c.Final {
			monitoring = c
		}
	}
	if !strings.HasPrefix(monitoring.Workflow, "monitoring") {
		t.Fatalf("open cases of the included household: %+v; want its 监测帮扶", cases)
	}
	offRoad := f.newHousehold(t, taoyuan)
	seven, err := f.svc.StartCase(f.ctx, f.user(t, townshipOf(taoyuan)), "seven_step", offRoad.ID)
	if err != nil {
		t.Fatalf("start seven_step: %v", err)
	}
	head := func(id int) (string, string) {
		h, err := f.svc.Household(f.ctx, county, id)
		if err != nil {
			t.Fatal(err)
		}
		return h.HeadName, h.IDNumber
	}
	var rows []string
	for _, id := range []int{identifying.HouseholdID, monitoring.HouseholdID, offRoad.ID} {
		name, number := head(id)
		rows = append(rows, medicalRow(name, number, "2026-04-01", "2026-04-09"))
	}
	yibao := f.liaison(t, "medical_insurance")
	up := workflows.ListUpload{Workflow: "department_warning", Period: "2026-04", FileName: "医保4月.csv", Content: csvList(rows...)}
	got, err := f.svc.ImportList(f.ctx, yibao, up, nil)
	if err != nil {
		t.Fatalf("ImportList: %v", err)
	}
	if got.Started != 1 || got.OpenCases != 2 || got.Problems != 0 {
		t.Errorf("import = %+v; want lines 2 and 3 recorded on their open cases and line 4 started despite 七步法", got)
	}
	for _, tt := range []struct {
		line int
		c    workflows.Case
	}{{2, identifying}, {3, monitoring}} {
		read, err := f.svc.Case(f.ctx, county, tt.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if read.State != tt.c.State || read.Version != tt.c.Version {
			t.Errorf("case %d after the list: %s v%d; want it left at %s v%d", tt.c.ID, read.State, read.Version, tt.c.State, tt.c.Version)
		}
		last := read.History[len(read.History)-1]
		if last.Trigger != workflows.TriggerListWarning || last.TriggerTitle != "部门预警（医保大额医疗费用预警）" ||
			!strings.Contains(last.Reason, fmt.Sprintf("医保4月.csv（2026-04）第%d行", tt.line)) || last.SubmissionID == 0 {
			t.Errorf("case %d ends its history with %+v; want the warning of line %d with its submission", tt.c.ID, last, tt.line)
		}
		sub := f.lastSubmission(t, tt.c.ID)
		if sub.ID != last.SubmissionID || sub.Form != "warning_medical" || sub.State != tt.c.State || sub.Data["hospital"] != "县人民医院" {
			t.Errorf("case %d's last submission = %+v; want line %d's values as warning_medical in %s", tt.c.ID, sub, tt.line, tt.c.State)
		}
	}
	var msgs []string
	err = f.svc.ListProblems(f.ctx, yibao, got.ID, func(p workflows.ListProblem) error {
		msgs = append(msgs, fmt.Sprintf("%d %s %s", p.Line, p.Kind, p.Message))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		fmt.Sprintf("2 skip 该户已有办理中的「监测对象识别纳入」（事项 %d），预警已记入该事项", identifying.ID),
		fmt.Sprintf("3 skip 该户已有办理中的「监测帮扶」（事项 %d），预警已记入该事项", monitoring.ID),
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("error sheet = %q; want %q", msgs, want)
	}
	offCases, err := f.svc.Cases(f.ctx, county, offRoad.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(offCases, func(c workflows.Case) bool { return c.Workflow == "department_warning" && c.State == "verify" }) ||
		!slices.ContainsFunc(offCases, func(c workflows.Case) bool { return c.ID == seven.ID && !c.Final }) {
		t.Errorf("cases of the 七步法 household = %+v; want its open seven_step case and a new check", offCases)
	}

	again, err := f.svc.ImportList(f.ctx, yibao, up, nil)
	if err != nil {
		t.Fatalf("ImportList again: %v", err)
	}
	if again.Started != 0 || again.Duplicates != 3 || again.OpenCases != 0 {
		t.Errorf("re-upload = %+v; want all three lines already imported", again)
	}
	warnings, err := f.db.Client.Event.Query().Where(event.Trigger(workflows.TriggerListWarning)).Count(f.ctx)
	if err != nil || warnings != 2 {
		t.Errorf("warning events = %d, %v; want 2 after the re-upload", warnings, err)
	}

	// Next month, the check line 4 started is still open: the row goes on it.
	up.Period, up.Content = "2026-05", csvList(rows[2])
	next, err := f.svc.ImportList(f.ctx, yibao, up, nil)
	if err != nil {
		t.Fatalf("ImportList next month: %v", err)
	}
	if next.Started != 0 || next.OpenCases != 1 {
		t.Errorf("next month = %+v; want the row recorded on the open check", next)
	}
}

// testListWarningMarksOpenTasks: a department warning recorded on an open
// case shows on the task its holder works from, in the inbox, on the task
// and on the case page, counted while that task is open; the task the next
// step opens starts at none, and the closed task keeps its count.
func testListWarningMarksOpenTasks(t *testing.T, f *fixture) {
	c := f.newCase(t, taoyuan)
	cadre := f.user(t, cadreOf(taoyuan))
	h, err := f.svc.Household(f.ctx, cadre, c.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	first := f.roleTask(t, c)
	warnings := func(id int) (inbox, task, casePage int) {
		t.Helper()
		tp, err := f.svc.Tasks(f.ctx, cadre, workflows.Page{Size: workflows.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		inbox = -1 // not in the inbox
		for _, x := range tp.Tasks {
			if x.ID == id {
				inbox = x.Warnings
			}
		}
		got, err := f.svc.Task(f.ctx, cadre, id)
		if err != nil {
			t.Fatal(err)
		}
		read, err := f.svc.Case(f.ctx, cadre, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		casePage = -1 // not open on the case
		for _, x := range read.Tasks {
			if x.ID == id {
				casePage = x.Warnings
			}
		}
		return inbox, got.Warnings, casePage
	}
	check := func(when string, id, wantInbox, wantTask, wantCase int) {
		t.Helper()
		if i, tk, cp := warnings(id); i != wantInbox || tk != wantTask || cp != wantCase {
			t.Errorf("%s: task %d warnings inbox/task/case page = %d/%d/%d; want %d/%d/%d",
				when, id, i, tk, cp, wantInbox, wantTask, wantCase)
		}
	}
	check("before any list", first, 0, 0, 0)

	yibao := f.liaison(t, "medical_insurance")
	warn := func(period string) {
		t.Helper()
		f.clock.Advance(time.Hour)
		up := workflows.ListUpload{Workflow: "department_warning", Period: period, FileName: "医保.csv",
			Content: csvList(medicalRow(h.HeadName, h.IDNumber, period+"-01", period+"-09"))}
		got, err := f.svc.ImportList(f.ctx, yibao, up, nil)
		if err != nil || got.OpenCases != 1 {
			t.Fatalf("import %s = %+v, %v; want the row recorded on case %d", period, got, err, c.ID)
		}
	}
	warn("2026-04")
	check("after one list", first, 1, 1, 1)
	warn("2026-05")
	check("after two lists", first, 2, 2, 2)

	f.clock.Advance(time.Hour)
	c = f.fire(t, cadreOf(taoyuan), c, "submit", applicationData(h))
	next := f.roleTask(t, c)
	check("the next step's task", next, 0, 0, 0)
	warn("2026-06")
	check("the next step's task after a third list", next, 1, 1, 1)
	check("the submitted task", first, -1, 2, -1)
}
