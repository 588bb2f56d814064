package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"jianfu/forms"
	"jianfu/workflows"
)

// The suite tests in this file hold SQLite and PostgreSQL to the same
// answer where the same SQL means different things: text PostgreSQL
// refuses (U+0000, invalid UTF-8) and SQLite keeps, case in LIKE, order of
// rows a statement does not order, and collation. Run them on a Chinese
// PostgreSQL with JIANFU_TEST_POSTGRES_LOCALE=zh_CN.UTF-8 (ent/storetest).

// testTextPostgreSQLCannotStore: a NUL in a form value is refused with the
// field named, a list row holding one is a problem of its line, a file
// name in GBK is kept readable, and a user name no account can have is a
// wrong password — on both databases, where PostgreSQL answered each with
// an internal error (a whole list import failed) and SQLite stored it.
func testTextPostgreSQLCannotStore(t *testing.T, f *fixture) {
	t.Run("FormValue", func(t *testing.T) {
		c := f.newCase(t, taoyuan)
		h, err := f.svc.Household(f.ctx, f.user(t, "county1"), c.HouseholdID)
		if err != nil {
			t.Fatal(err)
		}
		data := applicationData(h)
		data["reason"] = "家庭收入锐减\x00。"
		_, err = f.svc.Fire(f.ctx, f.user(t, cadreOf(taoyuan)), c.ID, "submit", data, c.Version)
		var we *workflows.Error
		if !errors.As(err, &we) || we.Code != workflows.Invalid ||
			!slices.Contains(we.Fields, forms.FieldError{Field: "reason", Message: "含有无效字符"}) {
			t.Errorf("submit with U+0000 in 申请理由: %v; want Invalid naming reason", err)
		}
	})
	yibao := f.liaison(t, "medical_insurance")
	t.Run("ListCell", func(t *testing.T) {
		a, b := f.newHousehold(t, taoyuan), f.newHousehold(t, taoyuan)
		bad := strings.Replace(medicalRow(a.HeadName, a.IDNumber, "2026-02-01", "2026-02-12"), "县人民医院", "县人民\x00医院", 1)
		up := workflows.ListUpload{Workflow: "department_warning", Period: "2026-02", FileName: "医保.csv",
			Content: csvList(bad, medicalRow(b.HeadName, b.IDNumber, "2026-02-01", "2026-02-12"))}
		got, err := f.svc.ImportList(f.ctx, yibao, up, nil)
		if err != nil || got.Status != workflows.ImportDone || got.Started != 1 || got.Problems != 1 {
			t.Fatalf("import with U+0000 in line 2 = %+v, %v; want done, line 3 started, line 2 a problem", got, err)
		}
		var msgs []string
		if err := f.svc.ListProblems(f.ctx, yibao, got.ID, func(p workflows.ListProblem) error {
			msgs = append(msgs, fmt.Sprintf("%d %s %q", p.Line, p.Message, p.Cells))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "2 ") || !strings.Contains(msgs[0], "含有无效字符") ||
			!strings.Contains(msgs[0], "县人民\uFFFD医院") {
			t.Errorf("problems = %q; want line 2 with 含有无效字符 and its cell shown as 县人民\uFFFD医院", msgs)
		}
	})
	t.Run("ListFileNameInGBK", func(t *testing.T) {
		a := f.newHousehold(t, taoyuan)
		up := workflows.ListUpload{Workflow: "department_warning", Period: "2026-03", FileName: "\xd2\xbd\xb1\xa3.csv", // 医保 in GBK
			Content: csvList(medicalRow(a.HeadName, a.IDNumber, "2026-03-01", "2026-03-12"))}
		got, err := f.svc.ImportList(f.ctx, yibao, up, nil)
		if err != nil || got.Status != workflows.ImportDone || got.Started != 1 {
			t.Fatalf("import named in GBK = %+v, %v; want done", got, err)
		}
		// \xd2\xbd happens to be UTF-8 (ҽ); the rest is not.
		if got.FileName != "ҽ\uFFFD.csv" {
			t.Errorf("file name stored as %q; want its undecodable bytes as U+FFFD", got.FileName)
		}
	})
	t.Run("LoginName", func(t *testing.T) {
		for _, name := range []string{"village11\x00", "\xff"} {
			if _, err := f.svc.Authenticate(f.ctx, name, "demo"); workflows.ErrorCode(err) != workflows.Unauthorized {
				t.Errorf("Authenticate(%q): %v; want Unauthorized", name, err)
			}
		}
	})
}

// testSharedMemberIDGoesToFirstHousehold: when two households list the same
// member 身份证号 (a child moved, or a typo), a list row naming it goes to
// the household registered first on both databases. Without an order the
// member rows came back in their physical order, which on PostgreSQL is
// the order of their latest updates.
func testSharedMemberIDGoesToFirstHousehold(t *testing.T, f *fixture) {
	a := f.newHousehold(t, taoyuan)
	b := f.newHousehold(t, taoyuan)
	shared := testID(2012, 555)
	// b's row is corrected first, so on PostgreSQL its new version comes
	// first in the table.
	for _, h := range []workflows.Household{b, a} {
		if _, err := f.db.SQL().ExecContext(f.ctx, rebind(f, "UPDATE members SET id_number = ? WHERE household_id = ?"), shared, h.ID); err != nil {
			t.Fatal(err)
		}
	}
	up := workflows.ListUpload{Workflow: "department_warning", Period: "2026-02", FileName: "医保.csv",
		Content: csvList(medicalRow("欧阳小", shared, "2026-02-01", "2026-02-12"))}
	if _, err := f.svc.ImportList(f.ctx, f.liaison(t, "medical_insurance"), up, nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		h    workflows.Household
		want int
	}{{"a (registered first)", a, 1}, {"b", b, 0}} {
		cases, err := f.svc.Cases(f.ctx, f.user(t, "county1"), tt.h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cases) != tt.want {
			t.Errorf("household %s has %d cases after the list; want %d", tt.name, len(cases), tt.want)
		}
	}
}

// rebind writes ? placeholders as $n on PostgreSQL.
func rebind(f *fixture, q string) string {
	if f.db.Dialect != "postgres" {
		return q
	}
	for n := 1; strings.Contains(q, "?"); n++ {
		q = strings.Replace(q, "?", "$"+strconv.Itoa(n), 1)
	}
	return q
}

// testNamePrefixIsCaseSensitive: SQLite's LIKE ignores ASCII case and
// PostgreSQL's does not; the range beside it keeps SQLite's answer the same.
func testNamePrefixIsCaseSensitive(t *testing.T, f *fixture) {
	cadre := f.user(t, cadreOf(taoyuan))
	h := workflows.Household{HeadName: "Maria 阿依", IDNumber: testID(1971, 901), Locality: taoyuan,
		Members: []workflows.Member{{Name: "阿依", Relation: "之女"}}}
	if _, err := f.svc.CreateHousehold(f.ctx, cadre, h); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q    string
		want int
	}{{"Maria", 1}, {"maria", 0}, {"MARIA", 0}, {"Mar", 1}, {"mar", 0}} {
		got, err := f.svc.Households(f.ctx, cadre, tt.q, 10)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, g := range got {
			if strings.HasPrefix(g.HeadName, "Maria") {
				n++
			}
		}
		if n != tt.want {
			t.Errorf("Households(%q) found %d, want %d", tt.q, n, tt.want)
		}
	}
}

// testDefinitionsInByteOrder: the definitions page lists ids in byte order
// on both databases; PostgreSQL's ORDER BY followed its collation, which in
// zh_CN ignores "_" and puts "a" before "B".
func testDefinitionsInByteOrder(t *testing.T, f *fixture) {
	admin := f.user(t, "admin")
	for _, id := range []string{"explanation_z", "explanationb", "Explanation"} {
		src := strings.Replace(string(forms.Builtin()["explanation.yaml"]), "id: explanation\n", "id: "+id+"\n", 1)
		if _, err := f.svc.PublishDefinition(f.ctx, admin, []byte(src)); err != nil {
			t.Fatalf("publish %s: %v", id, err)
		}
	}
	infos, err := f.svc.Definitions(f.ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range infos {
		if d.Kind == "form" && strings.HasPrefix(strings.ToLower(d.ID), "explanation") {
			got = append(got, d.ID)
		}
	}
	want := []string{"Explanation", "explanation", "explanation_z", "explanationb"}
	if !slices.Equal(got, want) {
		t.Errorf("definitions in order %q; want byte order %q", got, want)
	}
}
