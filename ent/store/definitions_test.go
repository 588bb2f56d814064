package store_test

import (
	"fmt"
	"strings"
	"testing"

	"jianfu/ent/storetest"
	"jianfu/forms"
	"jianfu/workflows"
)

// tinyWorkflow is the smallest valid workflow: one step, one end. Line
// numbers below refer to it.
const tinyWorkflow = `id: tiny
title: 小流程
start: a
states:
  a:
    title: 甲
    role: village
    on:
      go: b
  b:
    title: 乙
    final: true
    outcome: 完成
`

// identificationV2 is the built-in identification with a county's
// changes: another title and a 10-working-day notice.
func identificationV2(t testing.TB) (v1, v2 []byte) {
	t.Helper()
	v1 = workflows.Builtin()["identification.yaml"]
	if v1 == nil {
		t.Fatal("no built-in identification.yaml")
	}
	s := strings.Replace(string(v1), "title: 监测对象识别纳入\n", "title: 监测对象识别纳入（县试行版）\n", 1)
	s = strings.Replace(s, "notice_days: 5 ", "notice_days: 10", 1)
	if s == string(v1) || !strings.Contains(s, "notice_days: 10") || !strings.Contains(s, "（县试行版）") {
		t.Fatal("the built-in identification.yaml no longer has the title and notice_days lines this test edits")
	}
	return v1, []byte(s)
}

func testDefinitions(t *testing.T, f *fixture) {
	admin := f.user(t, "admin")
	v1, v2 := identificationV2(t)
	const v1Title, v2Title = "监测对象识别纳入", "监测对象识别纳入（县试行版）"

	t.Run("PublishByNonAdminForbidden", func(t *testing.T) {
		for _, u := range []string{"county1", "town1", "village11", "liaison-jiaoyu"} {
			_, err := f.svc.PublishDefinition(f.ctx, f.user(t, u), []byte(tinyWorkflow))
			wantCode(t, err, workflows.Forbidden)
		}
	})

	t.Run("InvalidDefinitionHasLineNumberedProblems", func(t *testing.T) {
		tests := []struct {
			name, src string
			line      int // 0: any line
			path      string
		}{
			{"YAMLSyntax", "id: x\ntitle: [\n", 0, ""},
			{"Empty", "", 1, ""},
			{"NotAMapping", "- a\n- b\n", 1, ""},
			{"UnknownKey", strings.Replace(tinyWorkflow, "    title: 甲", "    tilte: 甲", 1), 6, "states.a.tilte"},
			{"UnknownRole", strings.Replace(tinyWorkflow, "role: village", "role: mayor", 1), 7, "states.a.role"},
			{"UndefinedTarget", strings.Replace(tinyWorkflow, "go: b", "go: c", 1), 9, "states.a.on.go.to"},
			{"UnknownFieldType", "id: f\ntitle: 表\nfields:\n  - {name: a, label: 甲, type: nosuch}\n", 4, "fields[0].type"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.PublishDefinition(f.ctx, admin, []byte(tt.src))
				e := wantCode(t, err, workflows.Invalid)
				assertProblemsAnchored(t, e.Problems)
				for _, p := range e.Problems {
					if (tt.line == 0 || p.Line == tt.line) && p.Path == tt.path {
						return
					}
				}
				t.Errorf("problems %v, want one at line %d, path %q", e.Problems, tt.line, tt.path)
			})
		}
	})

	t.Run("SameTextSameVersion", func(t *testing.T) {
		// The built-in was published as version 1 when the service started.
		before := f.state(t)
		info, err := f.svc.PublishDefinition(f.ctx, admin, v1)
		if err != nil {
			t.Fatalf("publish the built-in text again: %v", err)
		}
		if info.Version != 1 {
			t.Errorf("publishing the built-in's text again gave version %d, want 1", info.Version)
		}
		unchanged(t, before, f.state(t))
	})

	// Cases started on version 1, before version 2 exists.
	finishing := f.moveTo(t, f.newCase(t, taoyuan), "deliberation")
	resting := f.moveTo(t, f.newCase(t, taoyuan), "deliberation")

	t.Run("ChangedTextNextVersion", func(t *testing.T) {
		for range 2 {
			info, err := f.svc.PublishDefinition(f.ctx, admin, v2)
			if err != nil {
				t.Fatalf("publish version 2: %v", err)
			}
			if info.Version != 2 || info.Title != v2Title {
				t.Errorf("publish changed text = v%d %q, want v2 %q", info.Version, info.Title, v2Title)
			}
		}
	})

	t.Run("CaseFinishesOnPinnedVersion", func(t *testing.T) {
		c := f.fire(t, "village11", finishing, "pass", deliberationData(10, 8, 6))
		assertPinned(t, c, 1, v1Title)
		// Version 1's notice lasts 5 working days; version 2's 10 would
		// refuse this.
		f.waitOutNotice(c, 5)
		c = f.fire(t, "village11", c, "no_objection", noticeData())
		c = f.moveTo(t, c, "included")
		assertPinned(t, c, 1, v1Title)
	})

	t.Run("NewCaseStartsOnNewestVersion", func(t *testing.T) {
		c := f.newCase(t, taoyuan)
		assertPinned(t, c, 2, v2Title)
		c = f.moveTo(t, c, "notice")
		f.waitOutNotice(c, 5)
		_, err := f.svc.Fire(f.ctx, f.user(t, "village11"), c.ID, "no_objection", noticeData(), c.Version)
		wantCode(t, err, workflows.Conflict)
		f.waitOutNotice(c, 10)
		c = f.fire(t, "village11", c, "no_objection", noticeData())
		assertPinned(t, c, 2, v2Title)
	})

	t.Run("RestartReloadsAllVersions", func(t *testing.T) {
		f.restart(t)
		defs, err := f.svc.Definitions(f.ctx, admin)
		if err != nil {
			t.Fatalf("list definitions: %v", err)
		}
		var versions []string
		for _, d := range defs {
			if d.Kind == "workflow" && d.ID == "identification" {
				versions = append(versions, fmt.Sprintf("v%d %s", d.Version, d.Title))
			}
		}
		if want := []string{"v1 " + v1Title, "v2 " + v2Title}; strings.Join(versions, ", ") != strings.Join(want, ", ") {
			t.Errorf("after a restart identification has %v, want %v", versions, want)
		}
		c := f.fire(t, "village11", resting, "pass", deliberationData(10, 8, 6))
		assertPinned(t, c, 1, v1Title)
		f.waitOutNotice(c, 5)
		c = f.moveTo(t, c, "included")
		assertPinned(t, c, 1, v1Title)
		assertPinned(t, f.newCase(t, liuwan), 2, v2Title)
	})

	t.Run("RestartKeepsUploadedWorkflow", func(t *testing.T) {
		info, err := f.svc.PublishDefinition(f.ctx, admin, []byte(tinyWorkflow))
		if err != nil || info.Version != 1 {
			t.Fatalf("publish tiny = v%d, %v; want v1", info.Version, err)
		}
		f.restart(t)
		h := f.newHousehold(t, taoyuan)
		c, err := f.svc.StartCase(f.ctx, f.user(t, "village11"), "tiny", h.ID)
		if err != nil {
			t.Fatalf("start tiny after a restart: %v", err)
		}
		assertPinned(t, c, 1, "小流程")
		if c = f.fire(t, "village11", c, "go", nil); !c.Final || c.State != "b" {
			t.Errorf("tiny's go leads to %s (final %v), want the final b", c.State, c.Final)
		}
	})
}

func assertPinned(t *testing.T, c workflows.Case, version int, title string) {
	t.Helper()
	if c.WorkflowVersion != version || c.WorkflowTitle != title {
		t.Errorf("case %d is on v%d %q, want v%d %q", c.ID, c.WorkflowVersion, c.WorkflowTitle, version, title)
	}
}

// assertProblemsAnchored checks that every problem can be found in the
// source: a line from 1 and a message.
func assertProblemsAnchored(t *testing.T, ps forms.Problems) {
	t.Helper()
	if len(ps) == 0 {
		t.Error("an Invalid definition came with no problems")
	}
	for _, p := range ps {
		if p.Line < 1 || p.Message == "" {
			t.Errorf("problem %v has no line or no message", p)
		}
	}
}

// FuzzPublishDefinition uploads arbitrary text as an administrator: it is
// published, or refused as Invalid with line-numbered problems and nothing
// written; never an internal error.
func FuzzPublishDefinition(f *testing.F) {
	v1, v2 := identificationV2(f)
	for _, seed := range []string{
		tinyWorkflow, string(v1), string(v2), "", "\x00\x01", "- a\n- b\n", "id: x\ntitle: [\n",
		"a: &x 1\nb: *x\n", "id: f\ntitle: 表\nfields:\n  - {name: a, label: 甲, type: nosuch}\n",
		strings.Replace(tinyWorkflow, "go: b", "go: a", 1), "id: tiny\ntitle: 小流程\nstart: a\nstates: {}\n",
	} {
		f.Add(seed)
	}
	var fixtures []*fixture
	for _, tdb := range storetest.TestDatabases(f) {
		fixtures = append(fixtures, newFixture(f, openDB(f, tdb), seedAdmin))
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, fx := range fixtures {
			before := fx.state(t)
			_, err := fx.svc.PublishDefinition(fx.ctx, fx.user(t, "admin"), []byte(src))
			if err == nil {
				continue
			}
			e := wantCode(t, err, workflows.Invalid)
			assertProblemsAnchored(t, e.Problems)
			unchanged(t, before, fx.state(t))
		}
	})
}

// relayV1 and relayV2: version 2 drops step b and gives step a to the
// township.
const (
	relayV1 = `id: relay
title: 接力
start: a
states:
  a:
    title: 甲
    role: village
    on: {go: b}
  b:
    title: 乙
    role: village
    on: {finish: c}
  c: {title: 丙, final: true, outcome: 完成}
`
	relayV2 = `id: relay
title: 接力
start: a
states:
  a:
    title: 甲
    role: township
    on: {go: c}
  c: {title: 丙, final: true, outcome: 完成}
`
)

// testOlderVersionKeepsItsSteps: a case stays on the version it started
// on, so publishing a version that drops a step must not strand the older
// cases waiting in it; a step both versions have follows the newest
// version's roles. Both hold after a restart, which rebuilds the rules.
func testOlderVersionKeepsItsSteps(t *testing.T, f *fixture) {
	f.publish(t, relayV1)
	village := f.user(t, cadreOf(taoyuan))
	inB := f.fire(t, village.Username, f.startIdentification(t, taoyuan, "relay"), "go", nil)
	inA := []workflows.Case{f.startIdentification(t, taoyuan, "relay"), f.startIdentification(t, taoyuan, "relay")}
	f.publish(t, relayV2)
	for round, restart := range []bool{false, true} {
		if restart {
			f.restart(t)
		}
		read, err := f.svc.Case(f.ctx, village, inB.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(read.Actions) != 1 || read.Actions[0].Trigger != "finish" {
			t.Errorf("restart %v: a version 1 case in the dropped step offers %+v, want finish", restart, read.Actions)
		}
		c := inA[round]
		_, err = f.svc.Fire(f.ctx, village, c.ID, "go", nil, c.Version)
		wantCode(t, err, workflows.Forbidden)
		if _, err := f.svc.Fire(f.ctx, f.user(t, "town1"), c.ID, "go", nil, c.Version); err != nil {
			t.Errorf("restart %v: the township moving a version 1 case on, by version 2's role: %v", restart, err)
		}
	}
	if _, err := f.svc.Fire(f.ctx, village, inB.ID, "finish", nil, inB.Version); err != nil {
		t.Fatalf("finishing the version 1 case in the dropped step: %v", err)
	}
}

// testDefinitionSource: an administrator reads back the text of every
// stored version, the newest by default; nobody else reads it.
func testDefinitionSource(t *testing.T, f *fixture) {
	admin := f.user(t, "admin")
	v1, v2 := identificationV2(t)
	f.publish(t, string(v2))
	newest, err := f.svc.DefinitionSource(f.ctx, admin, "workflow", "identification", 0)
	if err != nil {
		t.Fatal(err)
	}
	if newest.Version != 2 || newest.Source != string(v2) || newest.CreatedBy != "admin" || newest.Kind != "workflow" {
		t.Errorf("newest = v%d by %q (%s), want v2 by admin with the published text", newest.Version, newest.CreatedBy, newest.Kind)
	}
	first, err := f.svc.DefinitionSource(f.ctx, admin, "workflow", "identification", 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 || first.Source != string(v1) {
		t.Errorf("version 1 = v%d with another text, want the built-in text", first.Version)
	}
	_, err = f.svc.DefinitionSource(f.ctx, admin, "workflow", "identification", 3)
	wantCode(t, err, workflows.NotFound)
	_, err = f.svc.DefinitionSource(f.ctx, admin, "form", "identification", 0)
	wantCode(t, err, workflows.NotFound)
	_, err = f.svc.DefinitionSource(f.ctx, f.user(t, "county1"), "workflow", "identification", 0)
	wantCode(t, err, workflows.Forbidden)
}

// testCheckDefinition: a check lints as publishing does and stores
// nothing; a form variant comes back laid over its base.
func testCheckDefinition(t *testing.T, f *fixture) {
	admin := f.user(t, "admin")
	count := func() int {
		t.Helper()
		defs, err := f.svc.Definitions(f.ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		return len(defs)
	}
	before := count()
	out, err := f.svc.CheckDefinition(f.ctx, admin, []byte(dongshanForm))
	if err != nil {
		t.Fatal(err)
	}
	if out.Kind != "form" || out.ID != "household_verification_dongshan" || out.Form == nil ||
		out.Form.Field("members") == nil || !out.Form.Field("phone").Required {
		t.Errorf("check = %s %s with form %v, want the variant laid over 入户核实表 with a required phone", out.Kind, out.ID, out.Form != nil)
	}
	_, err = f.svc.CheckDefinition(f.ctx, admin, []byte("id: f\ntitle: 表\nfields:\n  - {name: a, label: 甲, type: nosuch}\n"))
	if e := wantCode(t, err, workflows.Invalid); len(e.Problems) == 0 || e.Problems[0].Line != 4 {
		t.Errorf("problems = %v, want one on line 4", e.Problems)
	}
	_, err = f.svc.CheckDefinition(f.ctx, f.user(t, "county1"), []byte(dongshanForm))
	wantCode(t, err, workflows.Forbidden)
	t.Run("PrefillSources", func(t *testing.T) {
		src := "id: visit_note\ntitle: 走访\nfields:\n" +
			"  - {name: a, type: text, label: 甲, prefill: household.head_name}\n" +
			"  - {name: b, type: text, label: 乙, prefill: household.phon}\n" +
			"  - {name: c, type: money, label: 丙, prefill: submission.household_verification.per_capita}\n" +
			"  - {name: d, type: text, label: 丁, prefill: submission.nosuch.x}\n" +
			"  - {name: e, type: text, label: 戊, prefill: household.household_no}\n"
		_, err := f.svc.CheckDefinition(f.ctx, admin, []byte(src))
		e := wantCode(t, err, workflows.Invalid)
		if len(e.Problems) != 2 || e.Problems[0].Line != 5 || !strings.Contains(e.Problems[0].Message, "household.phon 不存在") ||
			e.Problems[1].Line != 7 || !strings.Contains(e.Problems[1].Message, "没有表单 nosuch") {
			t.Errorf("problems = %v, want household.phon on line 5 and submission.nosuch.x on line 7", e.Problems)
		}
		for name, src := range forms.Builtin() {
			if workflows.SourceKind(src) != workflows.KindForm {
				continue
			}
			if _, err := f.svc.CheckDefinition(f.ctx, admin, src); err != nil {
				t.Errorf("built-in %s: %v", name, err)
			}
		}
	})
	if got := count(); got != before {
		t.Errorf("checking stored %d definitions", got-before)
	}
}

// testRefreshSeesOtherProcesses: a second process on the same database
// keeps what it loaded until Refresh, which adds what the first published
// since (a new workflow version with its roles, a form variant, a
// calendar) and nothing twice.
func testRefreshSeesOtherProcesses(t *testing.T, f *fixture) {
	admin := f.user(t, "admin")
	other := f.newService(t) // started before the publishing below
	_, v2 := identificationV2(t)
	f.publish(t, string(v2))
	f.publish(t, dongshanForm)
	cal := strings.Replace(string(workflows.BuiltinCalendarSource()), "holidays:\n", "holidays:\n  - 2026-03-04   # 测试：地方性假日\n", 1)
	if _, err := f.svc.PublishDefinition(f.ctx, admin, []byte(cal)); err != nil {
		t.Fatal(err)
	}
	if w, err := other.LatestWorkflow("identification"); err != nil || w.Version != 1 {
		t.Fatalf("before Refresh the other process has identification v%d (%v), want v1", w.Version, err)
	}
	n, err := other.Refresh(f.ctx)
	if err != nil || n != 3 {
		t.Fatalf("Refresh added %d (%v), want the 3 versions published", n, err)
	}
	if w, err := other.LatestWorkflow("identification"); err != nil || w.Version != 2 {
		t.Errorf("after Refresh: identification v%d (%v), want v2", w.Version, err)
	}
	form, err := other.Form(f.ctx, "household_verification", taoyuan)
	if err != nil || form.ID != "household_verification_dongshan" {
		t.Errorf("after Refresh 桃园村's 入户核实表 is %v (%v), want the 东山镇 variant", form, err)
	}
	// The new version's steps are authorized in the other process: its
	// village cadre may start and submit there.
	h := f.newHousehold(t, taoyuan)
	c, err := other.StartCase(f.ctx, f.user(t, cadreOf(taoyuan)), "identification", h.ID)
	if err != nil || c.WorkflowVersion != 2 {
		t.Fatalf("start on the other process: v%d, %v; want v2", c.WorkflowVersion, err)
	}
	if _, err := other.Fire(f.ctx, f.user(t, cadreOf(taoyuan)), c.ID, "submit", applicationData(h), c.Version); err != nil {
		t.Errorf("submit on v2 in the other process: %v", err)
	}
	if n, err := other.Refresh(f.ctx); err != nil || n != 0 {
		t.Errorf("a second Refresh added %d (%v), want 0", n, err)
	}
	if n, err := f.svc.Refresh(f.ctx); err != nil || n != 0 {
		t.Errorf("the publishing process added %d of its own versions again (%v), want 0", n, err)
	}
}

// testPublishUnixLines: a text posted with \r\n (a browser's text box, a
// Windows editor) is stored with \n, so publishing it again is the same
// version.
func testPublishUnixLines(t *testing.T, f *fixture) {
	admin := f.user(t, "admin")
	crlf := strings.ReplaceAll(dongshanForm, "\n", "\r\n")
	first, err := f.svc.PublishDefinition(f.ctx, admin, []byte(crlf))
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.PublishDefinition(f.ctx, admin, []byte(dongshanForm))
	if first.Unchanged || !again.Unchanged {
		t.Errorf("Unchanged = %v then %v, want false for the new text and true for the same again", first.Unchanged, again.Unchanged)
	}
	if err != nil || again.Version != first.Version {
		t.Errorf("the same text with \\n: v%d (%v), want the same v%d", again.Version, err, first.Version)
	}
	src, err := f.svc.DefinitionSource(f.ctx, admin, "form", first.ID, first.Version)
	if err != nil || src.Source != dongshanForm {
		t.Errorf("stored text %q (%v), want it with \\n line ends", src.Source, err)
	}
}
