package workflows

import (
	"errors"
	"strings"
	"testing"
)

// features exercises what the built-in workflow does not: a calendar-day
// hold, an N-of-M join, a trigger without a form, and re-entry.
const features = `id: features
title: 语言特性
start: review
params: {days: 3}
states:
  review:
    title: 公告
    role: township
    hold: {calendar_days: params.days}
    tasks: {departments: [education, housing, water], form: department_check, join: "2", due_working_days: 2}
    on:
      decide: {to: done, title: 决定, join: true}
      redo: {to: review, title: 重新派发, form: none, ignore_hold: true}
  done: {title: 结束, final: true, outcome: 完成}
`

func featureEngine(t *testing.T, join string) (*Definition, *Engine) {
	t.Helper()
	cat := builtinForms(t)
	d, err := Parse("features.yaml", []byte(strings.Replace(features, `join: "2"`, "join: "+join, 1)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if err := d.Compile(cat); err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return d, &Engine{Auth: newFakeAuth(d), Forms: formSource(cat), Calendar: BuiltinCalendar()}
}

func TestLanguageFeatures(t *testing.T) {
	xiang := User{Username: "xiang"}
	entered := at(t, "2026-10-01 10:00")
	snapshot := func(d *Definition, done ...string) Snapshot {
		s := Snapshot{Definition: d, State: "review", EnteredAt: entered, Locality: household,
			Tasks: openTasks("education", "housing", "water")}
		if len(done) > 0 {
			s = withDone(s, done...)
		}
		return s
	}

	t.Run("StartNeedsStartRole", func(t *testing.T) {
		d, e := featureEngine(t, `"2"`)
		if _, err := e.Start(t.Context(), d, User{Username: "cun"}, household, entered); ErrorCode(err) != Forbidden {
			t.Errorf("village cadre starting a township workflow: %v, want Forbidden", err)
		}
		tr, err := e.Start(t.Context(), d, xiang, household, entered)
		if err != nil {
			t.Fatalf("Start: %v", err)
		}
		// Oct 1–7 are off: the two working days are Oct 8 and 9.
		want := "township//- dept:education/department_check/10-09 23:59:59 " +
			"dept:housing/department_check/10-09 23:59:59 dept:water/department_check/10-09 23:59:59"
		if got := tasksOf(tr); got != want {
			t.Errorf("tasks on start = %s, want %s", got, want)
		}
	})
	t.Run("CalendarDayHold", func(t *testing.T) {
		d, e := featureEngine(t, `"2"`)
		_, err := e.Fire(t.Context(), snapshot(d, "education", "housing"), xiang, "decide", nil, at(t, "2026-10-03 23:00"))
		wantError(t, err, Conflict, "公告期未满3天，2026-10-04 起方可办理")
	})
	t.Run("TwoOfThreeNotJoined", func(t *testing.T) {
		d, e := featureEngine(t, `"2"`)
		_, err := e.Fire(t.Context(), snapshot(d, "education"), xiang, "decide", nil, at(t, "2026-10-04 00:00"))
		wantError(t, err, Conflict, "需至少2个部门完成，已完成1个；尚未完成：住建、水利")
	})
	t.Run("TwoOfThreeJoined", func(t *testing.T) {
		d, e := featureEngine(t, `"2"`)
		tr, err := e.Fire(t.Context(), snapshot(d, "education", "water"), xiang, "decide", map[string]any{"x": 1}, at(t, "2026-10-04 00:00"))
		wantTransition(t, tr, err, "review", "decide", "done", "")
		if tr.Values.Len() != 0 || tr.FormVersion != 0 || !tr.Final || tr.Outcome != "完成" {
			t.Errorf("transition %+v, want no form values and final outcome 完成", tr)
		}
	})
	t.Run("AnyNotJoined", func(t *testing.T) {
		d, e := featureEngine(t, "any")
		_, err := e.Fire(t.Context(), snapshot(d), xiang, "decide", nil, at(t, "2026-10-05 00:00"))
		wantError(t, err, Conflict, "需至少1个部门完成，已完成0个；尚未完成：教育、住建、水利")
	})
	t.Run("ReentryWithoutFormDuringHold", func(t *testing.T) {
		d, e := featureEngine(t, `"2"`)
		tr, err := e.Fire(t.Context(), snapshot(d, "education"), xiang, "redo", map[string]any{"reason": "x"}, at(t, "2026-10-02 09:00"))
		wantTransition(t, tr, err, "review", "redo", "review", "")
		if len(tr.NewTasks) != 4 {
			t.Errorf("re-entry creates %s, want the role task and three department tasks again", tasksOf(tr))
		}
	})
}

// FuzzDeliberationGuard fires the quorum guard with submitted counts: the
// engine must answer with a transition or an Invalid error, never anything
// else, and when the form accepts the counts the outcome must follow the
// rule "attended*3 >= invited*2 && yes*2 > attended".
func FuzzDeliberationGuard(f *testing.F) {
	f.Add(int64(10), int64(8), int64(6))
	f.Add(int64(10), int64(6), int64(6))
	f.Add(int64(9), int64(6), int64(3))
	f.Add(int64(3), int64(2), int64(2))
	f.Add(int64(0), int64(0), int64(0))
	f.Add(int64(1<<62), int64(1<<62), int64(1<<61))
	d, e := identification(f)
	s := Snapshot{Definition: d, State: "deliberation", EnteredAt: at(f, "2026-09-28 09:00"), Locality: household}
	now := at(f, "2026-09-29 09:00")
	f.Fuzz(func(t *testing.T, invited, attended, yes int64) {
		data := deliberationData(0, 0, 0)
		data["invited"], data["attended"], data["yes"] = invited, attended, yes
		tr, err := e.Fire(t.Context(), s, User{Username: "cun"}, "pass", data, now)
		if err != nil && ErrorCode(err) != Invalid {
			t.Fatalf("Fire(%d, %d, %d): %v, want a transition or Invalid", invited, attended, yes, err)
		}
		var fe *Error
		if errors.As(err, &fe) && (len(fe.Fields) != 1 || fe.Fields[0].Field != "") {
			return // the form refused the counts before the guard ran
		}
		want := attended*3 >= invited*2 && yes*2 > attended
		if got := err == nil; got != want {
			t.Fatalf("Fire(%d, %d, %d) passed = %v, want %v (transition %v, error %v)", invited, attended, yes, got, want, tr, err)
		}
	})
}
