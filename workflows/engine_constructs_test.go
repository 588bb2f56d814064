package workflows

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Each test here exercises one construct of the language on a definition
// that uses it; without the construct the test fails.

const optionalStep = `id: optional
title: 可选的申请环节
start: apply
params: {with_application: true}
states:
  apply:
    title: 农户申请
    role: village
    form: application_authorization
    skip: {when: "!params.with_application", to: verify}
    on: {submit: verify}
  verify:
    title: 入户核实
    role: village
    on: {done: end}
  end: {title: 结束, final: true, outcome: 完成}
`

func TestOptionalStep(t *testing.T) {
	d, e := sourceEngine(t, optionalStep)
	now := at(t, "2026-03-02 09:00")
	tests := []struct {
		name        string
		params      map[string]any
		wantTo      string
		wantSkipped []string
	}{
		{"ApplicationRequiredByDefault", nil, "apply", nil},
		{"ApplicationSwitchedOffByParameter", map[string]any{"with_application": false}, "verify", []string{"apply"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := e.StartFor(t.Context(), Snapshot{Definition: d, Locality: household, Params: tt.params}, User{Username: "cun"}, now)
			if err != nil {
				t.Fatalf("StartFor: %v", err)
			}
			if tr.To != tt.wantTo || !slices.Equal(tr.Skipped, tt.wantSkipped) {
				t.Errorf("start leads to %s skipping %v, want %s skipping %v", tr.To, tr.Skipped, tt.wantTo, tt.wantSkipped)
			}
		})
	}
}

func TestSevenStepOrderIsAParameter(t *testing.T) {
	d, e := builtinEngine(t, "seven_step.yaml")
	xian, cun := User{Username: "xian"}, User{Username: "cun"}
	now := at(t, "2026-03-10 10:00")
	comparison := withDone(Snapshot{Definition: d, State: "comparison", EnteredAt: now, Locality: household,
		Tasks: openTasks("public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax")})
	tests := []struct {
		name       string
		visitFirst bool
		path       []string // states after approve, after the next step
	}{
		{"DeliberationBeforeVisit", false, []string{"deliberation", "visit"}},
		{"VisitBeforeDeliberation", true, []string{"visit", "late_deliberation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := comparison
			s.Params = map[string]any{"visit_first": tt.visitFirst}
			tr, err := e.Fire(t.Context(), s, xian, "approve", countyDecisionData("纳入"), now)
			if err != nil {
				t.Fatalf("approve: %v", err)
			}
			if tr.To != tt.path[0] {
				t.Fatalf("approve leads to %s (skipped %v), want %s", tr.To, tr.Skipped, tt.path[0])
			}
			s = after(s, tr, now)
			trigger, data := "pass", deliberationData(10, 8, 6)
			if tt.visitFirst {
				trigger, data = "confirm", verificationData()
			}
			tr, err = e.Fire(t.Context(), s, cun, trigger, data, now)
			if err != nil {
				t.Fatalf("%s: %v", trigger, err)
			}
			if tr.To != tt.path[1] {
				t.Errorf("%s leads to %s, want %s", trigger, tr.To, tt.path[1])
			}
			if tt.visitFirst {
				return
			}
			// Deliberation came first, so the later one is passed over.
			s = after(s, tr, now)
			tr, err = e.Fire(t.Context(), s, cun, "confirm", verificationData(), now)
			if err != nil {
				t.Fatalf("confirm: %v", err)
			}
			if tr.To != "record" || !slices.Equal(tr.Skipped, []string{"late_deliberation"}) {
				t.Errorf("confirm leads to %s skipping %v, want record skipping [late_deliberation]", tr.To, tr.Skipped)
			}
		})
	}
}

func TestClassification(t *testing.T) {
	d, e := builtinEngine(t, "monitoring.yaml")
	now := at(t, "2026-10-23 10:00")
	plan := Snapshot{Definition: d, State: "plan", EnteredAt: now, StartedAt: now, Locality: household}
	tests := []struct {
		name       string
		perCapita  int
		guarantees bool
		want       string
	}{
		{"RedBelowEightyPercentOfLine", 5000, true, "红"},
		{"RedWhenGuaranteesUnmet", 9000, false, "红"},
		{"YellowBelowLine", 6500, true, "黄"},
		{"GreenAtLine", 7000, true, "绿"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := e.Fire(t.Context(), plan, User{Username: "cun"}, "submit", assistancePlanData(tt.perCapita, tt.guarantees), now)
			if err != nil {
				t.Fatalf("submit: %v", err)
			}
			if tr.Classification != tt.want {
				t.Errorf("classification = %q, want %q", tr.Classification, tt.want)
			}
		})
	}
	t.Run("ParamsOverlayMovesTheBand", func(t *testing.T) {
		s := plan
		s.Params = map[string]any{"income_line": 6000}
		tr, err := e.Fire(t.Context(), s, User{Username: "cun"}, "submit", assistancePlanData(6500, true), now)
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		if tr.Classification != "绿" {
			t.Errorf("classification with income line 6000 = %q, want 绿", tr.Classification)
		}
	})
}

func TestGuardsOverCaseAndHousehold(t *testing.T) {
	d, e := builtinEngine(t, "monitoring.yaml")
	included := at(t, "2026-01-31 10:00")
	tests := []struct {
		name      string
		now       string
		household map[string]any
		wantErr   bool
	}{
		{"FiveMonthsIsTooEarly", "2026-07-30 10:00", nil, true},
		{"SixMonthsSinceInclusion", "2026-07-31 10:00", nil, false},
		{"NoLabourAbilityNeverExits", "2027-03-01 10:00", map[string]any{"no_labour": true}, true},
		{"LabourAbilityExits", "2027-03-01 10:00", map[string]any{"no_labour": false}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Re-entered by a review last week: the months count from the
			// case's start, not from the state's entry.
			now := at(t, tt.now)
			s := Snapshot{Definition: d, State: "monitoring", EnteredAt: now.Add(-7 * 24 * time.Hour),
				StartedAt: included, Locality: household, Household: tt.household}
			tr, err := e.Fire(t.Context(), s, User{Username: "cun"}, "propose_exit", nil, now)
			if tt.wantErr {
				wantError(t, err, Invalid, "监测满6个月、且不是整户无劳动能力的，方可提出风险消除")
				return
			}
			if err != nil {
				t.Fatalf("propose_exit: %v", err)
			}
			if !tr.Final || tr.Then != "risk_elimination" {
				t.Errorf("propose_exit: final %v then %q, want final, then risk_elimination", tr.Final, tr.Then)
			}
		})
	}
}

func TestChainedWorkflows(t *testing.T) {
	chain := map[string]string{}
	for name := range Builtin() {
		d := parseBuiltin(t, name)
		for _, st := range d.States {
			if st.Then != "" {
				chain[d.ID+"."+st.Name] = st.Then
			}
		}
	}
	want := map[string]string{
		"identification.included":    "monitoring",
		"monitoring.handed_over":     "risk_elimination",
		"risk_elimination.continued": "monitoring",
	}
	for from, to := range want {
		if chain[from] != to {
			t.Errorf("%s hands over to %q, want %q", from, chain[from], to)
		}
	}
	t.Run("IdentificationHandsOverOnInclusion", func(t *testing.T) {
		d, e := identification(t)
		s := withDone(Snapshot{Definition: d, State: "county_decision", EnteredAt: at(t, "2026-10-20 09:00"), Locality: household,
			Tasks: openTasks("public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax")})
		tr, err := e.Fire(t.Context(), s, User{Username: "xian"}, "approve", countyDecisionData("纳入"), at(t, "2026-10-22 16:00"))
		if err != nil {
			t.Fatalf("approve: %v", err)
		}
		if tr.Then != "monitoring" {
			t.Errorf("inclusion hands over to %q, want monitoring", tr.Then)
		}
	})
}

func TestRoutedFanOut(t *testing.T) {
	d, e := builtinEngine(t, "seven_step.yaml")
	now := at(t, "2026-11-05 10:00")
	confirm := Snapshot{Definition: d, State: "county_confirm", EnteredAt: now, Locality: household}
	tests := []struct {
		name  string
		risks []any
		want  []string
	}{
		{"IllnessToHealthAndMedicalInsurance", []any{"因病"}, []string{"rural_revitalization", "health", "medical_insurance"}},
		{"SchoolingToEducation", []any{"因学"}, []string{"rural_revitalization", "education"}},
		{"HousingAndWater", []any{"住房安全", "饮水安全"}, []string{"rural_revitalization", "housing", "water"}},
		{"OtherOnlyToTheFixedDepartment", []any{"其他"}, []string{"rural_revitalization"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := e.Fire(t.Context(), confirm, User{Username: "xian"}, "confirm", riskWarningData(true, tt.risks...), now)
			if err != nil {
				t.Fatalf("confirm: %v", err)
			}
			var got []string
			for _, nt := range tr.NewTasks {
				if nt.Department != "" {
					got = append(got, nt.Department)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("department tasks %v, want %v", got, tt.want)
			}
		})
	}

	tr, err := e.Fire(t.Context(), confirm, User{Username: "xian"}, "confirm", riskWarningData(true, "因病"), now)
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	assistance := after(confirm, tr, now)
	t.Run("JoinAllWaitsForEveryRoutedDepartment", func(t *testing.T) {
		_, err := e.Fire(t.Context(), withDone(assistance, "rural_revitalization", "health"), User{Username: "xiang"}, "apply", nil, now)
		wantError(t, err, Conflict, "以下部门尚未完成：医保")
		if _, err := e.Fire(t.Context(), withDone(assistance), User{Username: "xiang"}, "apply", nil, now); err != nil {
			t.Errorf("apply with every routed task done: %v", err)
		}
	})
	t.Run("UnroutedDepartmentHasNoTask", func(t *testing.T) {
		e.Auth.(*fakeAuth).users["zhujian"] = User{Username: "zhujian", Role: RoleLiaison, Locality: "510100000000", Department: "housing"}
		_, err := e.CompleteTask(t.Context(), assistance, User{Username: "zhujian"}, "housing", departmentCheckData("housing"), at(t, "2026-10-15 10:00"))
		wantError(t, err, Conflict, "「补：限期帮扶」环节没有住建的任务")
	})
}

const deadlines = `id: deadlines
title: 时限
start: a
deadline: {working_days: 3}
states:
  a:
    title: 甲
    role: village
    due_working_days: 10
    on: {go: b}
  b:
    title: 乙
    role: township
    due_calendar_days: 2
    on: {go: c}
  c: {title: 丙, final: true, outcome: 完成}
`

func TestDeadlines(t *testing.T) {
	d, e := sourceEngine(t, deadlines)
	start := at(t, "2026-09-29 10:00") // Tuesday before the National Day holidays
	tr, err := e.Start(t.Context(), d, User{Username: "cun"}, household, start)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Run("ProcedureDeadlineCapsStepLimit", func(t *testing.T) {
		// 3 working days from Sep 29: Sep 29, Sep 30, Oct 8.
		want := at(t, "2026-10-08 23:59").Add(59 * time.Second)
		if got := tr.NewTasks[0].Due; !got.Equal(want) {
			t.Errorf("due %v, want %v (the whole procedure's limit, not the step's 10 working days)", got, want)
		}
	})
	t.Run("CalendarDayLimit", func(t *testing.T) {
		s := Snapshot{Definition: d, State: "a", EnteredAt: start, Locality: household} // start unknown: no procedure limit
		tr, err := e.Fire(t.Context(), s, User{Username: "cun"}, "go", nil, at(t, "2026-09-30 10:00"))
		if err != nil {
			t.Fatalf("go: %v", err)
		}
		want := at(t, "2026-10-01 23:59").Add(59 * time.Second)
		if got := tr.NewTasks[0].Due; !got.Equal(want) {
			t.Errorf("due %v, want %v (2 calendar days, holidays included)", got, want)
		}
	})
}

func TestTwoNoticesAndObjection(t *testing.T) {
	d, e := builtinEngine(t, "risk_elimination.yaml")
	cun, xiang := User{Username: "cun"}, User{Username: "xiang"}
	posted := at(t, "2027-06-01 09:00") // Tuesday
	village := Snapshot{Definition: d, State: "village_notice", EnteredAt: posted, Locality: household}
	township := Snapshot{Definition: d, State: "township_notice", EnteredAt: posted, Locality: household}
	tests := []struct {
		name      string
		s         Snapshot
		user      User
		trigger   string
		data      map[string]any
		now       string
		wantTo    string
		wantError string
	}{
		{"VillageNoticeRunsFiveWorkingDays", village, cun, "no_objection", noticeData(), "2027-06-07 10:00", "", "村级公示期未满5个工作日，2027-06-08 起方可办理"},
		{"VillageNoticeOver", village, cun, "no_objection", noticeData(), "2027-06-08 10:00", "township_review", ""},
		{"TownshipNoticeRunsSevenDays", township, xiang, "no_objection", noticeData(), "2027-06-07 10:00", "", "乡镇公告期未满7天，2027-06-08 起方可办理"},
		{"TownshipNoticeOver", township, xiang, "no_objection", noticeData(), "2027-06-08 10:00", "county_decision", ""},
		{"ObjectionSendsBackDuringNotice", township, xiang, "objection", sendBackData(), "2027-06-02 10:00", "verification", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := e.Fire(t.Context(), tt.s, tt.user, tt.trigger, tt.data, at(t, tt.now))
			if tt.wantError != "" {
				wantError(t, err, Conflict, tt.wantError)
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.trigger, err)
			}
			if tr.To != tt.wantTo {
				t.Errorf("%s leads to %s, want %s", tt.trigger, tr.To, tt.wantTo)
			}
		})
	}
}

func TestEliminationNomination(t *testing.T) {
	d, e := builtinEngine(t, "risk_elimination.yaml")
	s := Snapshot{Definition: d, State: "nomination", EnteredAt: at(t, "2027-05-06 09:00"), Locality: household}
	tests := []struct {
		name      string
		data      map[string]any
		household map[string]any
		ok        bool
	}{
		{"IncomeAboveLine", eliminationData(9000, false), nil, true},
		{"IncomeBelowLine", eliminationData(6000, false), nil, false},
		{"NoLabourAbilityOnForm", eliminationData(9000, true), nil, false},
		{"NoLabourAbilityOnHousehold", eliminationData(9000, false), map[string]any{"no_labour": true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := s
			s.Household = tt.household
			_, err := e.Fire(t.Context(), s, User{Username: "cun"}, "nominate", tt.data, at(t, "2027-05-06 10:00"))
			if tt.ok && err != nil {
				t.Errorf("nominate: %v, want success", err)
			}
			if !tt.ok && (ErrorCode(err) != Invalid || !strings.Contains(ErrorMessage(err), "整户无劳动能力")) {
				t.Errorf("nominate: %v, want Invalid naming the conditions", err)
			}
		})
	}
}

func TestMonthsBetween(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"SameDay", "2026-01-31 10:00", "2026-01-31 20:00", 0},
		{"DayBeforeTheMonthDay", "2026-01-31 10:00", "2026-07-30 10:00", 5},
		{"OnTheMonthDay", "2026-01-31 10:00", "2026-07-31 09:00", 6},
		{"AcrossYears", "2025-11-15 10:00", "2026-05-15 10:00", 6},
		{"ChinaDayNotUTCDay", "2026-01-01 01:00", "2026-02-01 00:30", 1},
		{"Backwards", "2026-05-01 10:00", "2026-01-01 10:00", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := monthsBetween(at(t, tt.from), at(t, tt.to)); got != tt.want {
				t.Errorf("monthsBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestHandOverStartsWithoutTheActor(t *testing.T) {
	d, e := builtinEngine(t, "monitoring.yaml")
	now := at(t, "2026-10-22 16:00") // Thursday
	if _, err := e.Start(t.Context(), d, User{Username: "xian"}, household, now); ErrorCode(err) != Forbidden {
		t.Fatalf("county cadre starting monitoring: %v, want Forbidden (only the village starts it)", err)
	}
	tr, err := e.HandOver(Snapshot{Definition: d, Locality: household, Classification: "黄"}, now)
	if err != nil {
		t.Fatalf("HandOver: %v", err)
	}
	if tr.To != "plan" || len(tr.NewTasks) != 1 || tr.NewTasks[0].Role != "village" {
		t.Fatalf("hand-over leads to %s with tasks %+v, want plan with the village's task", tr.To, tr.NewTasks)
	}
	// The plan is due within 10 working days of inclusion: Oct 22 … Nov 4.
	if want := at(t, "2026-11-04 23:59").Add(59 * time.Second); !tr.NewTasks[0].Due.Equal(want) {
		t.Errorf("plan due %v, want %v", tr.NewTasks[0].Due, want)
	}
}

// FuzzClassify feeds the monitoring plan's classification any income: it
// must always yield one of the three bands, never an error.
func FuzzClassify(f *testing.F) {
	for _, n := range []int{0, 5599, 5600, 6999, 7000, -1, 1 << 40} {
		f.Add(n, true)
	}
	f.Add(9000, false)
	d, e := builtinEngine(f, "monitoring.yaml")
	now := time.Date(2026, 10, 23, 10, 0, 0, 0, cst)
	plan := Snapshot{Definition: d, State: "plan", EnteredAt: now, Locality: household}
	f.Fuzz(func(t *testing.T, perCapita int, guarantees bool) {
		tr, err := e.Fire(t.Context(), plan, User{Username: "cun"}, "submit", assistancePlanData(perCapita, guarantees), now)
		if ErrorCode(err) == Invalid {
			return // the form refused the number
		}
		if err != nil {
			t.Fatalf("submit with per_capita %d: %v", perCapita, err)
		}
		if !slices.Contains([]string{"红", "黄", "绿"}, tr.Classification) {
			t.Errorf("per_capita %d, guarantees %v: classification %q, want 红, 黄 or 绿", perCapita, guarantees, tr.Classification)
		}
	})
}

func TestSkipCycleIsAnErrorNotAHang(t *testing.T) {
	d, e := sourceEngine(t, `id: cycle
title: 跳过成环
start: a
params: {on: true}
states:
  a:
    title: 甲
    role: village
    skip: {when: "params.on", to: b}
    on: {go: b}
  b:
    title: 乙
    role: village
    skip: {when: "params.on", to: a}
    on: {go: c}
  c: {title: 丙, final: true, outcome: 完成}
`)
	_, err := e.Start(t.Context(), d, User{Username: "cun"}, household, at(t, "2026-03-02 09:00"))
	if err == nil || ErrorCode(err) != Internal {
		t.Errorf("Start through a cycle of skips: %v, want an internal error", err)
	}
	s := Snapshot{Definition: d, Locality: household, Params: map[string]any{"on": false}}
	if tr, err := e.StartFor(t.Context(), s, User{Username: "cun"}, at(t, "2026-03-02 09:00")); err != nil || tr.To != "a" {
		t.Errorf("StartFor with the skips off: %v, %v; want state a", tr, err)
	}
}
