package ui

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jianfu/forms/sheets"
	"jianfu/workflows"
)

// The medical-insurance list as a liaison fills it: the template's columns.
var (
	listHeader = []string{"姓名", "身份证号", "就诊医疗机构", "自付医疗费用"}
	// goodRow matches household 1's head; badRow has a wrong check digit
	// and no 自付医疗费用.
	goodRow = []string{"张三", fakeHeadID, "县人民医院", "12000"}
	badRow  = []string{"赵六", "110105194912310021", "", ""}
)

// xlsxOf writes a list as an .xlsx, the way a liaison's spreadsheet does.
func xlsxOf(t testing.TB, header []string, rows ...[]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	i := 0
	next := func() ([]string, bool) {
		if i == len(rows) {
			return nil, false
		}
		i++
		return rows[i-1], true
	}
	if err := sheets.WriteSheet(&buf, "名单", header, next); err != nil {
		t.Fatalf("write test list: %v", err)
	}
	return buf.Bytes()
}

// listPost is a multipart upload: the period first, as the page sends it,
// then the file unless fileName is "".
type listPost struct {
	period   string
	fileName string
	content  []byte
}

func (p listPost) encode(t testing.TB) (contentType, body string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("period", p.period); err != nil {
		t.Fatal(err)
	}
	if p.fileName != "" {
		fw, err := w.CreateFormFile("file", p.fileName)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(p.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), buf.String()
}

// upload posts a list from the page as user.
func (ts *testServer) upload(t testing.TB, user string, p listPost) *httptest.ResponseRecorder {
	t.Helper()
	ct, body := p.encode(t)
	return ts.raw("POST", "/lists/department_warning", user, ct, body)
}

// uploadDone uploads a list, checks it was accepted and waits for it to
// finish; it returns the import's page path.
func (ts *testServer) uploadDone(t testing.TB, user string, p listPost) string {
	t.Helper()
	rec := ts.upload(t, user, p)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/lists/imports/") {
		t.Fatalf("expected 303 to /lists/imports/N, got %d %q: %s", rec.Code, loc, rec.Body)
	}
	ts.wait()
	return loc
}

func containsAll(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("expected %q on %s, got %s", w, what, body)
		}
	}
}

func TestListIndexPage(t *testing.T) {
	ts := newTestServer(t)
	t.Run("LiaisonSeesListColumnsTemplateAndForm", func(t *testing.T) {
		body := ts.browse("GET", "/lists", "yibao", nil).Body.String()
		containsAll(t, "/lists", body,
			"医保大额医疗费用预警", "部门预警核实", `href="/lists/department_warning/template.xlsx"`,
			`action="/lists/department_warning"`, `enctype="multipart/form-data"`,
			`type="month"`, `name="period" value="2026-10"`, // the fake clock's month
			`name="file"`, "就诊医疗机构",
			`href="/lists/imports/60"`, "医保预警名单-2026年9月.xlsx", "已完成", "错误 2")
		// 姓名, 身份证号 and 自付医疗费用 are required; the legend and the
		// two inputs' labels add three more marks.
		if n := strings.Count(body, `<abbr class="required" title="必填">*</abbr>`); n != 3+3 {
			t.Errorf("expected 6 required marks (3 columns, legend, 2 inputs), got %d", n)
		}
	})
	t.Run("CountySeesImportsWithoutUploadForm", func(t *testing.T) {
		body := ts.browse("GET", "/lists", "xian", nil).Body.String()
		containsAll(t, "the county's /lists", body, `href="/lists/imports/60"`, "（医保）")
		if strings.Contains(body, "multipart/form-data") || strings.Contains(body, "本部门暂无") {
			t.Errorf("expected no upload form and no liaison's note for a county cadre, got %s", body)
		}
	})
	t.Run("LiaisonWithoutListIsTold", func(t *testing.T) {
		body := ts.browse("GET", "/lists", "gongan", nil).Body.String()
		containsAll(t, "gongan's /lists", body, "本部门暂无需要导入的预警名单", "暂无导入记录")
		if strings.Contains(body, "/lists/imports/60") {
			t.Errorf("expected no import of another department, got %s", body)
		}
	})
}

// TestListsNavLink checks who finds 预警名单 in the navigation: those with
// something to do there. The page itself stays open to a bookmark.
func TestListsNavLink(t *testing.T) {
	cases := []struct {
		name     string
		user     string
		url      string
		listsErr error
		link     bool
		// calls is the Lists calls the request makes: at most one, and
		// none for those whose link does not depend on it.
		calls int
		body  []string
	}{
		{name: "LiaisonWithListSeesIt", user: "yibao", url: "/tasks", link: true, calls: 1},
		{name: "LiaisonWithListOnThePage", user: "yibao", url: "/lists", link: true, calls: 1,
			body: []string{"医保大额医疗费用预警"}},
		{name: "LiaisonWithoutListDoesNot", user: "gongan", url: "/tasks", link: false, calls: 1},
		{name: "LiaisonWithoutListKeepsTheBookmark", user: "gongan", url: "/lists", link: false, calls: 1,
			body: []string{"<h1>预警名单</h1>", "本部门暂无需要导入的预警名单"}},
		{name: "CountyCadreFollowsImports", user: "xian", url: "/tasks", link: true, calls: 0},
		{name: "AdminFollowsImports", user: "admin", url: "/tasks", link: true, calls: 0},
		{name: "VillageCadreDoesNot", user: "cun", url: "/tasks", link: false, calls: 0},
		{name: "TownshipCadreDoesNot", user: "xiang", url: "/tasks", link: false, calls: 0},
		{name: "FailingListsHidesItAndKeepsThePage", user: "yibao", url: "/tasks", listsErr: errors.New("registry gone"),
			link: false, calls: 1, body: []string{"<h1>我的待办</h1>"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.svc.listsErr = tc.listsErr
			rec := ts.browse("GET", tc.url, tc.user, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("expected 200 on %s, got %d: %s", tc.url, rec.Code, rec.Body)
			}
			body := rec.Body.String()
			if got := strings.Contains(navOf(t, body), ">预警名单</a>"); got != tc.link {
				t.Errorf("%s on %s: link 预警名单 shown = %v, want %v", tc.user, tc.url, got, tc.link)
			}
			if ts.svc.listsCalls != tc.calls {
				t.Errorf("expected %d Lists calls, got %d", tc.calls, ts.svc.listsCalls)
			}
			containsAll(t, tc.url, body, tc.body...)
			if tc.listsErr != nil {
				logs := ts.logs.String()
				if !strings.Contains(logs, tc.listsErr.Error()) || !strings.Contains(logs, "user="+tc.user) {
					t.Errorf("expected the Lists error logged with the user, got %s", logs)
				}
			}
		})
	}
}

// navOf returns the main navigation of a page.
func navOf(t *testing.T, body string) string {
	t.Helper()
	_, nav, ok := strings.Cut(body, `<nav aria-label="主导航">`)
	if !ok {
		t.Fatalf("expected the main navigation, got %s", body)
	}
	nav, _, _ = strings.Cut(nav, "</nav>")
	return nav
}

func TestListTemplate(t *testing.T) {
	ts := newTestServer(t)
	t.Run("HeaderIsTheColumnLabels", func(t *testing.T) {
		rec := ts.browse("GET", "/lists/department_warning/template.xlsx", "yibao", nil)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != xlsxType {
			t.Fatalf("expected 200 %s, got %d %q: %.300s", xlsxType, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=utf-8''") {
			t.Errorf("expected an attachment with a UTF-8 file name, got %q", cd)
		}
		header, rows := readSheet(t, rec.Body.Bytes())
		if !slices.Equal(header, listHeader) || len(rows) != 0 {
			t.Errorf("expected the header %q and no rows, got %q and %d rows", listHeader, header, len(rows))
		}
	})
	t.Run("AnotherDepartmentsListIs404", func(t *testing.T) {
		rec := ts.browse("GET", "/lists/department_warning/template.xlsx", "gongan", nil)
		if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Disposition") != "" {
			t.Errorf("expected a 404 page, got %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
		}
	})
}

// readSheet reads a downloaded workbook back as a list: header and rows.
func readSheet(t *testing.T, data []byte) ([]string, []sheets.Row) {
	t.Helper()
	r, err := sheets.Open(bytes.NewReader(data), int64(len(data)), "download.xlsx")
	if err != nil {
		t.Fatalf("open the downloaded workbook: %v", err)
	}
	defer r.Close()
	var rows []sheets.Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return r.Header(), rows
		}
		if err != nil {
			t.Fatalf("read the downloaded workbook: %v", err)
		}
		rows = append(rows, row)
	}
}

func TestListUpload(t *testing.T) {
	list := xlsxOf(t, listHeader, goodRow, badRow)
	t.Run("AcceptedRedirectsToItsPage", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.upload(t, "yibao", listPost{period: "2026-10", fileName: "名单.xlsx", content: list})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/lists/imports/101" {
			t.Fatalf("expected 303 to /lists/imports/101, got %d %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
		}
		ts.wait()
		body := ts.browse("GET", "/lists/imports/101", "yibao", nil, cookie(rec, flashCookie)).Body.String()
		containsAll(t, "the finished import", body, "名单已上传", "名单.xlsx", "2026-10", "已完成",
			"已处理 2 / 共 2 行", `<progress id="import-progress" max="100" value="100">`,
			`<dd id="count-started">1</dd>`, `<dd id="count-problems">1</dd>`, `href="/lists/imports/101/problems.xlsx"`)
		if strings.Contains(body, "http-equiv") || strings.Contains(body, fakeHeadID) {
			t.Errorf("expected a finished page without refresh and without the full 身份证号, got %s", body)
		}
		inbox := ts.browse("GET", "/tasks", "cun", nil).Body.String()
		if !strings.Contains(inbox, "村级入户核实") {
			t.Errorf("expected the village cadre's new 村级入户核实 task in the inbox, got %s", inbox)
		}
	})
	refusals := []struct {
		name   string
		user   string
		post   listPost
		status int
		want   []string
	}{
		{name: "BadPeriodKeptWithItsError", user: "yibao", post: listPost{period: "2026-13", fileName: "名单.xlsx", content: list},
			status: 422, want: []string{`value="2026-13"`, `class="field has-error"`, "请填写名单所属年月，如 2026-11", `aria-invalid="true"`, `href="#list-0-period"`}},
		{name: "MissingFile", user: "yibao", post: listPost{period: "2026-10"},
			status: 422, want: []string{`value="2026-10"`, "请选择 .xlsx 或 .csv 文件", `href="#list-0-file"`}},
		{name: "EmptyFileInput", user: "yibao", post: listPost{period: "2026-09", fileName: "", content: nil},
			status: 422, want: []string{`value="2026-09"`, "请选择 .xlsx 或 .csv 文件"}},
		{name: "HeaderWithoutIDNumber", user: "yibao", post: listPost{period: "2026-10", fileName: "名单.xlsx",
			content: xlsxOf(t, []string{"姓名", "自付医疗费用"}, []string{"张三", "100"})},
			status: 422, want: []string{"缺少必填列：身份证号"}},
		{name: "TooLarge", user: "yibao", post: listPost{period: "2026-08", fileName: "名单.csv",
			content: bytes.Repeat([]byte("x"), maxListFile+1)},
			status: 422, want: []string{`value="2026-08"`, "文件超过 32 MB"}},
		// Above the 24 MiB of other uploads: the list's own limit applies.
		{name: "LargeFileReachesTheService", user: "yibao", post: listPost{period: "2026-08", fileName: "名单.csv",
			content: append([]byte("姓名,身份证号\n"), bytes.Repeat([]byte("张三,1\n"), (maxMultipartBody+1<<20)/len("张三,1\n"))...)},
			status: 422, want: []string{`value="2026-08"`, "缺少必填列：自付医疗费用"}},
		{name: "DepartmentWithoutThisList", user: "gongan", post: listPost{period: "2026-10", fileName: "名单.xlsx", content: list},
			status: 422, want: []string{"上传未成功", "该流程不接收本部门的名单"}},
		{name: "CountyCadreMayNotUpload", user: "xian", post: listPost{period: "2026-10", fileName: "名单.xlsx", content: list},
			status: 403, want: []string{"只有部门联络员可以导入", `href="/lists"`}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			rec := ts.upload(t, tc.user, tc.post)
			if rec.Code != tc.status {
				t.Fatalf("expected %d, got %d %q: %s", tc.status, rec.Code, rec.Header().Get("Location"), rec.Body)
			}
			containsAll(t, "the refused upload", rec.Body.String(), tc.want...)
			if imps, _ := ts.svc.ListImports(t.Context(), ts.svc.users["yibao"], 10); len(imps) != 1 {
				t.Errorf("expected only the fixture's import after a refusal, got %d", len(imps))
			}
		})
	}
	t.Run("NotMultipartIs400", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("POST", "/lists/department_warning", "yibao", url.Values{"period": {"2026-10"}})
		if rec.Code != http.StatusBadRequest {
			t.Errorf("expected 400, got %d: %s", rec.Code, rec.Body)
		}
	})
}

// While the rows are processed the page says 导入中 and reloads itself;
// once done it stops.
func TestListImportRunning(t *testing.T) {
	ts := newTestServer(t)
	hold := make(chan struct{})
	ts.svc.hold = hold
	rec := ts.upload(t, "yibao", listPost{period: "2026-10", fileName: "名单.xlsx", content: xlsxOf(t, listHeader, goodRow)})
	if rec.Code != http.StatusSeeOther {
		close(hold)
		t.Fatalf("expected the upload accepted before its rows are processed, got %d: %s", rec.Code, rec.Body)
	}
	path := rec.Header().Get("Location")
	running := ts.browse("GET", path, "yibao", nil).Body.String()
	close(hold)
	containsAll(t, "the running import", running, `<meta http-equiv="refresh" content="2">`, "导入中", "正在读取文件", `value="0"`)
	if strings.Contains(running, "下载问题行") {
		t.Errorf("expected no problem sheet while running, got %s", running)
	}
	ts.wait()
	done := ts.browse("GET", path, "yibao", nil).Body.String()
	containsAll(t, "the finished import", done, "已完成", `<dd id="count-started">1</dd>`)
	if strings.Contains(done, "http-equiv") || strings.Contains(done, "下载问题行") {
		t.Errorf("expected a finished import without problems to neither refresh nor offer a sheet, got %s", done)
	}
}

func TestListImportAccess(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		user   string
		path   string
		status int
	}{
		{"yibao", "/lists/imports/60", 200},
		{"xian", "/lists/imports/60", 200},
		{"admin", "/lists/imports/60", 200},
		{"gongan", "/lists/imports/60", 403}, // another department's
		{"cun", "/lists/imports/60", 403},
		{"yibao", "/lists/imports/999", 404},
		{"yibao", "/lists/imports/x", 400},
		{"yibao", "/lists/imports/60/problems.xlsx", 200},
		{"gongan", "/lists/imports/60/problems.xlsx", 403},
		{"yibao", "/lists/imports/999/problems.xlsx", 404},
	}
	for _, tc := range cases {
		t.Run(tc.user+tc.path, func(t *testing.T) {
			rec := ts.browse("GET", tc.path, tc.user, nil)
			if rec.Code != tc.status {
				t.Fatalf("expected %d, got %d: %.500s", tc.status, rec.Code, rec.Body)
			}
			if tc.status != 200 && rec.Header().Get("Content-Disposition") != "" {
				t.Errorf("a refusal came as a download")
			}
			if strings.HasSuffix(tc.path, "/60") && strings.Contains(rec.Body.String(), fakeHeadID) {
				t.Errorf("the import page shows a full 身份证号")
			}
		})
	}
}

func TestListProblemsSheet(t *testing.T) {
	t.Run("RoundTripsWithLinesAndReasons", func(t *testing.T) {
		ts := newTestServer(t)
		list := xlsxOf(t, listHeader, goodRow, badRow)
		ts.uploadDone(t, "yibao", listPost{period: "2026-10", fileName: "名单.xlsx", content: list})
		// The same list again: the good row is a duplicate of the period.
		path := ts.uploadDone(t, "yibao", listPost{period: "2026-10", fileName: "名单.xlsx", content: list})
		page := ts.browse("GET", path, "yibao", nil).Body.String()
		containsAll(t, "the second import", page, `<dd id="count-duplicates">1</dd>`, `<dd id="count-problems">1</dd>`, "下载问题行（.xlsx）")

		rec := ts.browse("GET", path+"/problems.xlsx", "yibao", nil)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != xlsxType {
			t.Fatalf("expected the sheet, got %d %q: %.300s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		header, rows := readSheet(t, rec.Body.Bytes())
		if want := sheets.ErrorHeader(listHeader); !slices.Equal(header, want) {
			t.Errorf("expected the header %q, got %q", want, header)
		}
		if len(rows) != 2 {
			t.Fatalf("expected 2 problem rows, got %d: %v", len(rows), rows)
		}
		wantRows := []struct {
			cells  []string
			line   string
			reason string
		}{
			{goodRow, "2", "跳过：本期名单已导入过该身份证号"},
			{badRow, "3", "身份证号校验位不正确"},
		}
		for i, w := range wantRows {
			cells := rows[i].Cells
			if len(cells) < len(listHeader)+2 {
				t.Errorf("row %d: expected %d cells, got %q", i, len(listHeader)+2, cells)
				continue
			}
			if !slices.Equal(cells[:2], w.cells[:2]) || cells[4] != w.line || !strings.HasPrefix(cells[5], w.reason) {
				t.Errorf("row %d: expected %q … line %s, reason starting %q; got %q", i, w.cells[:2], w.line, w.reason, cells)
			}
		}
		if strings.HasPrefix(rows[1].Cells[5], skipPrefix) {
			t.Errorf("an error row reads as a skip: %q", rows[1].Cells[5])
		}
	})
	t.Run("FixtureSkipsAndErrors", func(t *testing.T) {
		ts := newTestServer(t)
		rec := ts.browse("GET", "/lists/imports/60/problems.xlsx", "xian", nil)
		_, rows := readSheet(t, rec.Body.Bytes())
		var reasons []string
		for _, r := range rows {
			reasons = append(reasons, r.Cells[len(r.Cells)-1])
		}
		want := []string{"身份证号：身份证号应为18位", "农户信息库中没有该身份证号（户主或家庭成员）",
			"跳过：本期名单已导入过该身份证号", "跳过：该户已有办理中的部门预警核实"}
		if !slices.Equal(reasons, want) {
			t.Errorf("expected the reasons %q, got %q", want, reasons)
		}
	})
	t.Run("FailedReadIsAnErrorPageNotAFile", func(t *testing.T) {
		ts := newTestServer(t)
		ts.svc.problemsErr = errors.New("database gone: SECRET-DETAIL")
		rec := ts.browse("GET", "/lists/imports/60/problems.xlsx", "yibao", nil)
		if rec.Code != http.StatusInternalServerError || rec.Header().Get("Content-Disposition") != "" {
			t.Fatalf("expected a 500 page, got %d %q", rec.Code, rec.Header().Get("Content-Disposition"))
		}
		if strings.Contains(rec.Body.String(), "SECRET-DETAIL") || !strings.Contains(ts.logs.String(), "SECRET-DETAIL") {
			t.Errorf("expected the cause logged, not shown; body %s", rec.Body)
		}
	})
}

// The import's own rows never put a full 身份证号 on a page: a file named
// after one is shown masked.
func TestListFileNameMasked(t *testing.T) {
	ts := newTestServer(t)
	path := ts.uploadDone(t, "yibao", listPost{period: "2026-10", fileName: fakeHeadID + ".xlsx", content: xlsxOf(t, listHeader, goodRow)})
	for _, p := range []string{path, "/lists"} {
		body := ts.browse("GET", p, "yibao", nil).Body.String()
		if strings.Contains(body, fakeHeadID) || !strings.Contains(body, "110***********002X.xlsx") {
			t.Errorf("%s: expected the file name masked, got %s", p, body)
		}
	}
}

// statusOfImport covers every status, including one it does not know.
func TestStatusOfImport(t *testing.T) {
	for status, want := range map[string]string{
		workflows.ImportRunning: "导入中", workflows.ImportDone: "已完成", workflows.ImportFailed: "已中断", "odd": "odd",
	} {
		if got := statusOfImport(status).Label; got != want {
			t.Errorf("statusOfImport(%q) = %q, want %q", status, got, want)
		}
	}
}

// TestImportPageListsRowsInError: a finished import lists its first rows in
// error with their reasons on the page, at most listErrorsShown, and says
// how many there are; skipped rows stay in the spreadsheet.
func TestImportPageListsRowsInError(t *testing.T) {
	ts := newTestServer(t)
	imp := ts.svc.imports[60]
	imp.problems = nil
	for i := range 12 {
		imp.problems = append(imp.problems, workflows.ListProblem{Line: i + 2, Kind: workflows.ProblemError,
			Message: "身份证号应为18位：51010419800101123" + strconv.Itoa(i%10)})
	}
	imp.problems = append(imp.problems, workflows.ListProblem{Line: 20, Kind: workflows.ProblemSkip, Message: "本期名单已导入过该身份证号"})
	imp.Problems = 12
	body := ts.browse("GET", "/lists/imports/60", "yibao", nil).Body.String()
	if !strings.Contains(body, "错误行（前10行，共12行）") || strings.Count(body, `<span class="line">`) != 10 {
		t.Errorf("expected the first 10 of 12 rows in error listed:\n%s", body)
	}
	if strings.Contains(body, "本期名单已导入过") || strings.Contains(body, "510104198001011230") {
		t.Errorf("the page lists a skipped row or a full 身份证号")
	}
}
