package ui

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"jianfu/workflows"
)

// withWaitingCases adds case 3, at 县级审定 with one comparison still open
// (its approval waits for the departments), and case 4, in a public notice
// still running, both of household 1.
func withWaitingCases(t *testing.T, ts *testServer) {
	t.Helper()
	f := ts.svc
	f.mu.Lock()
	defer f.mu.Unlock()
	entered := fakeTime("2026-10-10T09:00:00+08:00")
	for id, state := range map[int]string{3: "county_decision", 4: "notice"} {
		f.cases[id] = &workflows.Case{
			ID: id, Workflow: "identification", WorkflowVersion: 2, WorkflowTitle: "监测对象识别纳入",
			State: state, StateTitle: fakeSteps(state).Title, HouseholdID: 1, HouseholdName: "张三",
			Locality: cunVillage, Version: 12, EnteredAt: entered, CreatedAt: fakeTime("2026-09-20T09:00:00+08:00"),
		}
	}
	f.tasks[10] = &workflows.Task{ID: 10, CaseID: 3, Workflow: "identification", State: "county_decision", StateTitle: "县级审定",
		Role: "county", Locality: cunVillage, Form: "county_decision", Status: workflows.TaskOpen, Household: "张三",
		Due: fakeTime("2026-10-30T23:59:59+08:00")}
	f.tasks[11] = &workflows.Task{ID: 11, CaseID: 3, Workflow: "identification", State: "county_decision", StateTitle: "县级审定",
		Role: "liaison", Department: "civil_affairs", Locality: cunVillage, Form: "check", Status: workflows.TaskOpen,
		Household: "张三", Due: fakeTime("2026-10-23T23:59:59+08:00")}
}

func TestCasePageTellsWhatActionsWaitFor(t *testing.T) {
	ts := newTestServer(t)
	withWaitingCases(t, ts)
	tests := []struct {
		name, user, url string
		want            []string
		not             []string
	}{
		{"JoinKeepsApproval", "xian", "/cases/3", []string{
			`<button type="button" class="button" disabled aria-describedby="waits-approve">审定纳入</button>`,
			`<p class="hint" id="waits-approve">以下部门尚未完成：民政、财政、自然资源、市场监管、税务</p>`,
			`href="/cases/3/fire/reject"`,
		}, []string{`/fire/approve`, "您当前没有可办理的操作"}},
		{"HoldKeepsNoObjection", "cun", "/cases/4", []string{
			`disabled aria-describedby="waits-no_objection">公示无异议，报乡镇审核</button>`,
			"公示期未满5个工作日，2026-10-17 起方可办理",
			`href="/cases/4/fire/objection"`,
		}, []string{`/fire/no_objection`}},
		{"OthersAreNotTold", "cun", "/cases/3", []string{"您当前没有可办理的操作"},
			[]string{"disabled", "尚未完成"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.browse("GET", tt.url, tt.user, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s as %s: %d", tt.url, tt.user, rec.Code)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("want %s on the page, got %s", w, body)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("want no %s on the page, got %s", n, body)
				}
			}
		})
	}
	t.Run("Golden", func(t *testing.T) {
		compareGolden(t, "case_blocked", ts.browse("GET", "/cases/3", "xian", nil).Body.String())
	})
}

func TestAPICaseListsBlockedActions(t *testing.T) {
	ts := newTestServer(t)
	withWaitingCases(t, ts)
	type blocked struct{ Trigger, Title, Reason string }
	tests := []struct {
		name, token string
		want        []blocked
	}{
		{"County", "tok-xian", []blocked{{"approve", "审定纳入", "以下部门尚未完成：民政、财政、自然资源、市场监管、税务"}}},
		{"OtherRoleGetsEmptyList", "tok-cun", []blocked{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.api("GET", "/api/v1/cases/3", tt.token, "")
			if rec.Code != http.StatusOK {
				t.Fatalf("GET case: %d %s", rec.Code, rec.Body)
			}
			var got struct {
				Blocked []blocked `json:"blocked_actions"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("decode %s: %v", rec.Body, err)
			}
			if got.Blocked == nil || len(got.Blocked) != len(tt.want) {
				t.Fatalf("blocked_actions = %v in %s, want %v (a list, never null)", got.Blocked, rec.Body, tt.want)
			}
			for i := range tt.want {
				if got.Blocked[i] != tt.want[i] {
					t.Errorf("blocked_actions[%d] = %+v, want %+v", i, got.Blocked[i], tt.want[i])
				}
			}
		})
	}
}

// TestTasksNamedByTheirForm: a task completed with its own form is shown by
// the form's title, which heads the page it opens, with its step after it;
// a role task by its step.
func TestTasksNamedByTheirForm(t *testing.T) {
	ts := newTestServer(t)
	withWaitingCases(t, ts)
	tests := []struct {
		name, user, url string
		want            []string
		not             []string
	}{
		{"InboxDepartmentTask", "gongan", "/tasks", []string{`<span class="card-line">部门核查（乡镇联合审核）</span>`},
			[]string{`<span class="card-line">乡镇联合审核</span>`}},
		{"InboxRecurringTask", "cun", "/tasks", []string{`<span class="card-line">月度走访（动态监测）</span>`},
			nil},
		{"InboxRoleTask", "cun", "/tasks", []string{`<span class="card-line">农户申请</span>`}, nil},
		{"CasePageDepartmentTask", "xian", "/cases/3", []string{
			`<span class="card-title">民政</span>`, `<span class="card-line">部门核查（县级审定）</span>`,
			// The county's own task keeps its step: its form is filled
			// through the action buttons.
			`<span class="card-line">县级审定</span>`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ts.browse("GET", tt.url, tt.user, nil).Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("want %s on %s, got %s", w, tt.url, body)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(body, n) {
					t.Errorf("want no %s on %s, got %s", n, tt.url, body)
				}
			}
		})
	}
	t.Run("UnknownFormFallsBackToStep", func(t *testing.T) {
		ts := newTestServer(t)
		ts.svc.mu.Lock()
		ts.svc.tasks[7].Form = "no_such_form"
		ts.svc.mu.Unlock()
		rec := ts.browse("GET", "/tasks", "gongan", nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<span class="card-line">乡镇联合审核</span>`) {
			t.Errorf("with its form unknown the task is shown %d: %s, want 200 naming it by its step", rec.Code, rec.Body)
		}
		if !strings.Contains(ts.logs.String(), "no_such_form") {
			t.Errorf("want the failed form lookup logged, got %s", ts.logs)
		}
	})
}
