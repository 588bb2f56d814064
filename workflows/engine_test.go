package workflows

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"jianfu/forms"
)

// wantTransition checks the parts of a transition a test cares about.
func wantTransition(t *testing.T, tr *Transition, err error, from, trigger, to, form string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s from %s: %v, want a transition to %s", trigger, from, err, to)
	}
	if tr.From != from || tr.Trigger != trigger || tr.To != to || tr.Form != form {
		t.Fatalf("transition %s %s→%s form %q, want %s %s→%s form %q", tr.Trigger, tr.From, tr.To, tr.Form, trigger, from, to, form)
	}
	if form != "" && (tr.FormVersion != formVersion || tr.Values.Len() == 0) {
		t.Errorf("%s: form version %d values %v, want version %d with the validated values", trigger, tr.FormVersion, tr.Values.Map(), formVersion)
	}
}

func tasksOf(tr *Transition) string {
	var parts []string
	for _, nt := range tr.NewTasks {
		who := nt.Role
		if nt.Department != "" {
			who = "dept:" + nt.Department
		}
		due := "-"
		if !nt.Due.IsZero() {
			due = nt.Due.In(cst).Format("01-02 15:04:05")
		}
		parts = append(parts, fmt.Sprintf("%s/%s/%s", who, nt.Form, due))
	}
	return strings.Join(parts, " ")
}

// TestIdentificationWalkthrough takes one household through the five steps,
// across the 2026 Mid-Autumn and National Day holidays.
func TestIdentificationWalkthrough(t *testing.T) {
	d, e := identification(t)
	ctx := t.Context()
	cun := User{Username: "cun"}

	now := at(t, "2026-09-21 09:00")
	tr, err := e.Start(ctx, d, cun, household, now)
	wantTransition(t, tr, err, "", TriggerStart, "application", "")
	if got, want := tasksOf(tr), "village/application_authorization/-"; got != want {
		t.Errorf("tasks on start = %s, want %s", got, want)
	}
	s := after(Snapshot{Definition: d, Locality: household}, tr, now)

	now = at(t, "2026-09-21 10:00")
	tr, err = e.Fire(ctx, s, cun, "submit", applicationData(), now)
	wantTransition(t, tr, err, "application", "submit", "verification", "application_authorization")
	if v, _ := tr.Values.Get("head_name"); v != "张大山" {
		t.Errorf("submitted values = %v, want the application with head_name 张大山", tr.Values.Map())
	}
	// Sep 21–24, then Sep 25–27 are the Mid-Autumn holiday: the 5th working day is Mon Sep 28.
	if got, want := tasksOf(tr), "village/household_verification/09-28 23:59:59"; got != want {
		t.Errorf("tasks on entering verification = %s, want %s", got, want)
	}
	s = after(s, tr, now)

	now = at(t, "2026-09-24 15:00")
	tr, err = e.Fire(ctx, s, cun, "confirm", verificationData(), now)
	wantTransition(t, tr, err, "verification", "confirm", "deliberation", "household_verification")
	s = after(s, tr, now)

	now = at(t, "2026-09-29 10:00")
	tr, err = e.Fire(ctx, s, cun, "pass", deliberationData(10, 8, 6), now)
	wantTransition(t, tr, err, "deliberation", "pass", "notice", "deliberation_record")
	s = after(s, tr, now)

	if end, ok := e.HoldUntil(s); !ok || !end.Equal(at(t, "2026-10-11 00:00")) {
		t.Errorf("HoldUntil(notice) = %s, %v; want 2026-10-11 00:00 +08:00, true", end, ok)
	}
	_, err = e.Fire(ctx, s, cun, "no_objection", noticeData(), at(t, "2026-10-10 17:00"))
	wantError(t, err, Conflict, "公示期未满5个工作日，2026-10-11 起方可办理")

	now = at(t, "2026-10-12 09:00")
	tr, err = e.Fire(ctx, s, cun, "no_objection", noticeData(), now)
	wantTransition(t, tr, err, "notice", "no_objection", "township_review", "public_notice")
	wantTasks := "township/township_review/10-16 23:59:59 dept:education/department_check/10-16 23:59:59 " +
		"dept:housing/department_check/10-16 23:59:59 dept:water/department_check/10-16 23:59:59 " +
		"dept:health/department_check/10-16 23:59:59"
	if got := tasksOf(tr); got != wantTasks {
		t.Errorf("tasks on entering township_review =\n%s\nwant\n%s", got, wantTasks)
	}
	s = after(s, tr, now)

	xiang := User{Username: "xiang"}
	_, err = e.Fire(ctx, withDone(s, "education", "housing", "water"), xiang, "approve", townshipReviewData(), now)
	wantError(t, err, Conflict, "以下部门尚未完成：卫健")

	now = at(t, "2026-10-15 11:00")
	tr, err = e.Fire(ctx, withDone(s), xiang, "approve", townshipReviewData(), now)
	wantTransition(t, tr, err, "township_review", "approve", "county_decision", "township_review")
	if n := len(tr.NewTasks); n != 7 {
		t.Errorf("entering county_decision creates %d tasks, want 7 (county + 6 departments): %s", n, tasksOf(tr))
	}
	// Ten working days from Thu Oct 15: Oct 15, 16, 19–23, 26, 27, 28.
	if due := tr.NewTasks[1].Due; !due.Equal(time.Date(2026, 10, 28, 23, 59, 59, 0, cst)) {
		t.Errorf("comparison tasks due %s, want 2026-10-28 23:59:59 +08:00", due)
	}
	// The county decides after the comparison: its own task must not fall
	// due before the departments' (15 working days: Oct 15 to Nov 4).
	if due := tr.NewTasks[0].Due; !due.Equal(time.Date(2026, 11, 4, 23, 59, 59, 0, cst)) {
		t.Errorf("county decision task due %s, want 2026-11-04 23:59:59 +08:00, after the comparison's", due)
	}
	s = after(s, tr, now)

	now = at(t, "2026-10-22 16:00")
	tr, err = e.Fire(ctx, withDone(s), User{Username: "xian"}, "approve", countyDecisionData("纳入"), now)
	wantTransition(t, tr, err, "county_decision", "approve", "included", "county_decision")
	if !tr.Final || tr.Outcome != "纳入监测" || len(tr.NewTasks) != 0 {
		t.Errorf("included: final %v outcome %q tasks %s, want final, 纳入监测, no tasks", tr.Final, tr.Outcome, tasksOf(tr))
	}
}

func wantError(t *testing.T, err error, code Code, message string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want *Error %s %q", err, code, message)
	}
	if e.Code != code || (message != "" && e.Message != message) {
		t.Fatalf("error %s %q, want %s %q", e.Code, e.Message, code, message)
	}
	return e
}

// snapshotAt fires the given triggers from the start with valid data and
// returns the case in the last state, entered at 2026-09-29 10:00.
func snapshotAt(t *testing.T, d *Definition, state string, tasks ...TaskState) Snapshot {
	t.Helper()
	if d.States[state] == nil {
		t.Fatalf("no state %s", state)
	}
	return Snapshot{Definition: d, State: state, EnteredAt: at(t, "2026-09-29 10:00"), Locality: household, Tasks: tasks}
}

func openTasks(departments ...string) []TaskState {
	out := make([]TaskState, len(departments))
	for i, dep := range departments {
		out[i] = TaskState{Department: dep}
	}
	return out
}

func TestFireRefusals(t *testing.T) {
	d, e := identification(t)
	township := openTasks("education", "housing", "water", "health")
	county := openTasks("public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax")
	late := at(t, "2026-10-12 09:00")
	quorum := "评议未通过：到会人数须达到应到人数的三分之二，且赞成票须超过到会人数的一半"
	tests := []struct {
		name    string
		s       Snapshot
		user    string
		trigger string
		data    map[string]any
		now     time.Time
		code    Code
		message string
		field   string // a field error expected with Invalid
	}{
		{"OtherVillageForbidden", snapshotAt(t, d, "application"), "other_cun", "submit", applicationData(), late,
			Forbidden, "无权在此环节执行该操作", ""},
		{"TownshipCannotVerify", snapshotAt(t, d, "verification"), "xiang", "confirm", verificationData(), late,
			Forbidden, "无权在此环节执行该操作", ""},
		{"LiaisonCannotApprove", withDone(snapshotAt(t, d, "county_decision", county...)), "gongan", "approve",
			countyDecisionData("纳入"), late, Forbidden, "无权在此环节执行该操作", ""},
		{"ForbiddenBeforeInvalid", snapshotAt(t, d, "application"), "other_cun", "submit", map[string]any{}, late,
			Forbidden, "", ""},
		{"TriggerNotInState", snapshotAt(t, d, "verification"), "admin", "approve", nil, late,
			Conflict, "「入户核实」环节不能办理此操作", ""},
		{"FinalStateAcceptsNothing", snapshotAt(t, d, "included"), "admin", "approve", nil, late,
			Conflict, "该案件已办结（纳入监测），不能再办理", ""},
		{"InvalidData", snapshotAt(t, d, "application"), "cun", "submit",
			without(applicationData(), "head_id"), late, Invalid, "", "head_id"},
		{"SendBackNeedsReason", snapshotAt(t, d, "township_review", township...), "xiang", "return",
			map[string]any{"reason": "补"}, late, Invalid, "", "reason"},
		{"InvalidBeforeHold", snapshotAt(t, d, "notice"), "cun", "no_objection",
			without(noticeData(), "place"), at(t, "2026-09-30 09:00"), Invalid, "", "place"},
		{"HoldNotOver", snapshotAt(t, d, "notice"), "cun", "no_objection", noticeData(), at(t, "2026-10-10 23:59"),
			Conflict, "公示期未满5个工作日，2026-10-11 起方可办理", ""},
		{"JoinIncomplete", snapshotAt(t, d, "township_review", township...), "xiang", "approve",
			townshipReviewData(), late, Conflict, "以下部门尚未完成：教育、住建、水利、卫健", ""},
		{"JoinIgnoresOtherStatesTasks", withDone(snapshotAt(t, d, "county_decision", township...)), "xian", "approve",
			countyDecisionData("纳入"), late, Conflict, "以下部门尚未完成：公安、民政、财政、自然资源、市场监管、税务", ""},
		{"ObjectionNotReportedAsNone", snapshotAt(t, d, "notice"), "cun", "no_objection",
			with(noticeData(), "objections", true, "objection_detail", "群众反映家中新购车辆"), late,
			Invalid, "公示期间有异议的，请选择“有异议，退回核实”", ""},
		{"QuorumNotReached", snapshotAt(t, d, "deliberation"), "cun", "pass", deliberationData(10, 6, 6), late,
			Invalid, quorum, ""},
		{"MajorityNotReached", snapshotAt(t, d, "deliberation"), "cun", "pass", deliberationData(9, 6, 3), late,
			Invalid, quorum, ""},
		{"CountyDecisionNotInclude", withDone(snapshotAt(t, d, "county_decision", county...)), "xian", "approve",
			countyDecisionData("不予纳入"), late, Invalid, "审定意见须为“纳入”才能审定纳入", ""},
		{"JoinBeforeGuard", snapshotAt(t, d, "county_decision", county...), "xian", "approve",
			countyDecisionData("不予纳入"), late, Conflict, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fmt.Sprintf("%+v", tt.s)
			tr, err := e.Fire(t.Context(), tt.s, User{Username: tt.user}, tt.trigger, tt.data, tt.now)
			if err == nil {
				t.Fatalf("Fire succeeded (%s→%s), want %s", tr.From, tr.To, tt.code)
			}
			got := wantError(t, err, tt.code, tt.message)
			if tt.field != "" && len(got.Fields.For(tt.field)) == 0 {
				t.Errorf("field errors %v, want one for %s", got.Fields, tt.field)
			}
			if tt.code == Invalid && tt.message != "" {
				want := forms.FieldErrors{{Field: "", Message: tt.message}}
				if !reflect.DeepEqual(got.Fields, want) {
					t.Errorf("guard field errors %v, want %v", got.Fields, want)
				}
			}
			if after := fmt.Sprintf("%+v", tt.s); after != before {
				t.Errorf("Fire changed the snapshot:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

func without(m map[string]any, key string) map[string]any {
	delete(m, key)
	return m
}

func TestFireBranches(t *testing.T) {
	d, e := identification(t)
	tests := []struct {
		name, state, user, trigger string
		data                       map[string]any
		now                        time.Time
		to                         string
		form                       string
	}{
		{"ObjectionIgnoresHold", "notice", "cun", "objection", sendBackData(), at(t, "2026-09-30 09:00"),
			"verification", "send_back"},
		{"RejectAtVerification", "verification", "cun", "reject", explanationData(), at(t, "2026-09-30 09:00"),
			"not_included", "explanation"},
		{"FailAtDeliberationTakesExplanation", "deliberation", "cun", "fail", explanationData(), at(t, "2026-09-30 09:00"),
			"not_included", "explanation"},
		{"TownshipReturnsWithoutJoin", "township_review", "xiang", "return", sendBackData(), at(t, "2026-09-30 09:00"),
			"verification", "send_back"},
		{"CountyRejectsWithoutJoin", "county_decision", "xian", "reject", explanationData(), at(t, "2026-09-30 09:00"),
			"not_included", "explanation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := snapshotAt(t, d, tt.state, openTasks("education", "public_security")...)
			tr, err := e.Fire(t.Context(), s, User{Username: tt.user}, tt.trigger, tt.data, tt.now)
			wantTransition(t, tr, err, tt.state, tt.trigger, tt.to, tt.form)
			if final := d.States[tt.to].Final; tr.Final != final {
				t.Errorf("Final = %v, want %v", tr.Final, final)
			}
			if tt.to == "not_included" && tr.Outcome != "不予纳入" {
				t.Errorf("Outcome = %q, want 不予纳入", tr.Outcome)
			}
		})
	}
}

func TestLocalityParams(t *testing.T) {
	d, e := identification(t)
	s := snapshotAt(t, d, "notice")
	s.Params = forms.Params{"notice_days": 7, "income_line": 7000}
	// Sep 29, 30, Oct 8, 9, 10 (make-up), 12, 13.
	if end, ok := e.HoldUntil(s); !ok || !end.Equal(at(t, "2026-10-14 00:00")) {
		t.Errorf("HoldUntil with notice_days 7 = %s, %v; want 2026-10-14 00:00, true", end, ok)
	}
	_, err := e.Fire(t.Context(), s, User{Username: "cun"}, "no_objection", noticeData(), at(t, "2026-10-13 09:00"))
	wantError(t, err, Conflict, "公示期未满7个工作日，2026-10-14 起方可办理")

	s.Params = forms.Params{"notice_days": 2.5}
	if _, ok := e.HoldUntil(s); ok {
		t.Error("HoldUntil with notice_days 2.5 reported a hold end, want none (not whole days)")
	}
	_, err = e.Fire(t.Context(), s, User{Username: "cun"}, "no_objection", noticeData(), at(t, "2026-10-13 09:00"))
	if err == nil || ErrorCode(err) != Internal {
		t.Errorf("Fire with notice_days 2.5: %v, want an internal error", err)
	}
	if _, ok := e.HoldUntil(snapshotAt(t, d, "verification")); ok {
		t.Error("HoldUntil(verification) reported a hold, want none")
	}
}

func TestActions(t *testing.T) {
	d, e := identification(t)
	township := openTasks("education", "housing", "water", "health")
	tests := []struct {
		name string
		s    Snapshot
		user string
		now  time.Time
		want string
	}{
		{"HoldHidesNoObjection", snapshotAt(t, d, "notice"), "cun", at(t, "2026-10-10 12:00"), "objection"},
		{"AfterHold", snapshotAt(t, d, "notice"), "cun", at(t, "2026-10-11 00:00"), "no_objection,objection"},
		{"JoinHidesApprove", snapshotAt(t, d, "township_review", township...), "xiang", at(t, "2026-10-12 09:00"), "return"},
		{"JoinDone", withDone(snapshotAt(t, d, "township_review", township...)), "xiang", at(t, "2026-10-12 09:00"), "approve,return"},
		{"GuardedTriggersListed", snapshotAt(t, d, "deliberation"), "cun", at(t, "2026-10-12 09:00"), "pass,fail"},
		{"OtherVillageSeesNothing", snapshotAt(t, d, "deliberation"), "other_cun", at(t, "2026-10-12 09:00"), ""},
		{"LiaisonFiresNothing", snapshotAt(t, d, "township_review", township...), "jiaoyu", at(t, "2026-10-12 09:00"), ""},
		{"FinalHasNone", snapshotAt(t, d, "not_included"), "admin", at(t, "2026-10-12 09:00"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, a := range e.Actions(t.Context(), tt.s, User{Username: tt.user}, tt.now) {
				got = append(got, a.Trigger)
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("Actions = %v, want [%s]", got, tt.want)
			}
		})
	}
	t.Run("ActionCarriesFormAndTarget", func(t *testing.T) {
		actions := e.Actions(t.Context(), snapshotAt(t, d, "notice"), User{Username: "cun"}, at(t, "2026-10-12 09:00"))
		want := Action{Trigger: "objection", Title: "有异议，退回核实", Form: "send_back", To: "verification", Negative: true}
		if len(actions) != 2 || actions[1] != want || actions[0].Negative {
			t.Errorf("Actions = %+v, want second %+v", actions, want)
		}
	})
}

func TestCompleteTask(t *testing.T) {
	d, e := identification(t)
	county := openTasks("public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax")
	cd := snapshotAt(t, d, "county_decision", county...)
	tests := []struct {
		name       string
		s          Snapshot
		user, dept string
		data       map[string]any
		code       Code
		field      string
	}{
		{"Completes", cd, "gongan", "public_security", assetComparisonData("public_security"), "", ""},
		{"OtherDepartmentForbidden", cd, "gongan", "civil_affairs", assetComparisonData("civil_affairs"), Forbidden, ""},
		{"CadreForbidden", cd, "xian", "public_security", assetComparisonData("public_security"), Forbidden, ""},
		{"NoTaskOfDepartmentHere", snapshotAt(t, d, "township_review", openTasks("education")...), "gongan",
			"public_security", assetComparisonData("public_security"), Conflict, ""},
		{"AlreadyDone", withDone(cd, "public_security"), "gongan", "public_security",
			assetComparisonData("public_security"), Conflict, ""},
		{"InvalidData", cd, "gongan", "public_security", without(assetComparisonData("public_security"), "items"),
			Invalid, "items"},
		// The record must not say another department compared.
		{"FormNamesAnotherDepartment", cd, "gongan", "public_security", assetComparisonData("civil_affairs"),
			Invalid, "department"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := e.CompleteTask(t.Context(), tt.s, User{Username: tt.user}, tt.dept, tt.data, at(t, "2026-10-15 10:00"))
			if tt.code == "" {
				if err != nil {
					t.Fatalf("CompleteTask: %v, want success", err)
				}
				if c.Form != "asset_comparison" || c.FormVersion != formVersion || !valueIs(c.Values, "overall", "符合") {
					t.Errorf("completion %+v, want asset_comparison v%d with the values", c, formVersion)
				}
				return
			}
			got := wantError(t, err, tt.code, "")
			if tt.field != "" && len(got.Fields.For(tt.field)) == 0 {
				t.Errorf("field errors %v, want one for %s", got.Fields, tt.field)
			}
		})
	}
}

// TestEngineConcurrentUse fires on one shared definition and snapshot from
// many goroutines; run with -race.
func TestEngineConcurrentUse(t *testing.T) {
	d, e := identification(t)
	s := snapshotAt(t, d, "deliberation")
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			yes := 6 - i%2*3 // odd goroutines fail the majority rule
			tr, err := e.Fire(t.Context(), s, User{Username: "cun"}, "pass", deliberationData(10, 8, yes), at(t, "2026-10-12 09:00"))
			switch {
			case yes == 6 && (err != nil || tr.To != "notice"):
				errs <- fmt.Errorf("goroutine %d: %v, want notice", i, err)
			case yes == 3 && ErrorCode(err) != Invalid:
				errs <- fmt.Errorf("goroutine %d: %v, want Invalid", i, err)
			}
			_ = e.Actions(t.Context(), s, User{Username: "cun"}, at(t, "2026-10-12 09:00"))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// valueIs reports whether the field name of values holds want.
func valueIs(values forms.Values, name string, want any) bool {
	v, ok := values.Get(name)
	return ok && v == want
}

// with is m with the pairs kv (key, value, …) set, on a copy.
func with(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}
