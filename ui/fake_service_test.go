package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"jianfu/forms"
	"jianfu/forms/sheets"
	"jianfu/workflows"
)

// fakeService is a small in-memory workflows.Service: enough rules
// (visibility by locality, actions by role, optimistic version, required
// fields) for the transport to show each kind of answer.
type fakeService struct {
	mu         sync.Mutex
	now        time.Time
	passwords  map[string]string
	users      map[string]workflows.User
	tokens     map[string]string // token → username
	households map[int]workflows.Household
	cases      map[int]*workflows.Case
	tasks      map[int]*workflows.Task
	forms      map[string]*forms.Definition
	defs       []workflows.DefinitionInfo
	localities []workflows.Locality
	nextID     int

	fired     []fireCall
	completed []map[string]any
	clock     []time.Time
	// readers lists, by attachment id, who may read it (the fake's
	// stand-in for uploads and the cases that use them).
	readers map[string][]string

	imports map[int]*fakeImport
	// entries holds department|period|身份证号 of the rows that started a
	// case, to skip them in a later upload of the period.
	entries map[string]bool
	// hold, when set, keeps an accepted import from processing its rows
	// until it is closed: a test looks at a running import meanwhile.
	hold chan struct{}
	// problemsErr, when set, makes ListProblems fail after the first row.
	problemsErr error
	// listsErr, when set, makes Lists fail.
	listsErr error
	// listsCalls counts Lists calls.
	listsCalls int

	// submissions holds each case's submissions, newest first.
	submissions map[int][]workflows.Submission
	// submissionsErr, when set, makes Submissions fail.
	submissionsErr error
	// submissionCalls counts Submissions calls.
	submissionCalls int
}

// fakeImport is an import with what the service keeps beside it.
type fakeImport struct {
	workflows.ListImport
	locality string
	problems []workflows.ListProblem
}

type fireCall struct {
	CaseID  int
	Trigger string
	Data    map[string]any
	Version int
}

// fakeStep is a state of the fake workflow: who acts and what they may do
// now, and what they may do once a hold or a join lets them (Blocked).
type fakeStep struct {
	Title   string
	Role    string
	Actions []workflows.Action
	Blocked []workflows.BlockedAction
}

func fakeSteps(state string) fakeStep {
	switch state {
	case "application":
		return fakeStep{Title: "农户申请", Role: "village", Actions: []workflows.Action{
			{Trigger: "submit", Title: "提交申请", Form: "application", To: "verification"},
		}}
	case "verification":
		return fakeStep{Title: "入户核实", Role: "village", Actions: []workflows.Action{
			{Trigger: "confirm", Title: "核实通过", To: "deliberation"},
		}}
	case "township_review":
		return fakeStep{Title: "乡镇联合审核", Role: "township", Actions: []workflows.Action{
			{Trigger: "approve", Title: "审核通过", To: "county_decision"},
			{Trigger: "return", Title: "退回重新核实", To: "verification", Negative: true},
		}}
	case "notice":
		// A public notice still running: only the objection is offered.
		return fakeStep{Title: "公示", Role: "village", Actions: []workflows.Action{
			{Trigger: "objection", Title: "有异议，退回核实", To: "verification", Negative: true},
		}, Blocked: []workflows.BlockedAction{
			{Action: workflows.Action{Trigger: "no_objection", Title: "公示无异议，报乡镇审核", To: "township_review"},
				Reason: "公示期未满5个工作日，2026-10-17 起方可办理"},
		}}
	case "county_decision":
		// The departments' comparisons are not all in.
		return fakeStep{Title: "县级审定", Role: "county", Actions: []workflows.Action{
			{Trigger: "reject", Title: "不予纳入", To: "not_included", Negative: true},
			{Trigger: "return", Title: "退回乡镇重新审核", To: "township_review", Negative: true},
		}, Blocked: []workflows.BlockedAction{
			{Action: workflows.Action{Trigger: "approve", Title: "审定纳入", To: "included"},
				Reason: "以下部门尚未完成：民政、财政、自然资源、市场监管、税务"},
		}}
	}
	return fakeStep{Title: state}
}

const (
	fakeHeadID   = "11010519491231002X"
	fakeSpouseID = "110105195203150027"
	fakeOtherID  = "510104198001011234"
	cunVillage   = "510104001001"
)

func fakeTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// newFakeService returns the fixture every test starts from: a village
// cadre (cun), a township cadre (xiang), a public-security liaison
// (gongan), a medical-insurance liaison (yibao), a county cadre (xian) and
// an admin; two households in two villages; case 1 waiting for the
// application, case 2 at township review with a department task; import 60,
// a finished medical-insurance list.
func newFakeService(t testing.TB) *fakeService {
	t.Helper()
	f := &fakeService{
		now:       fakeTime("2026-10-12T09:00:00+08:00"),
		passwords: map[string]string{"cun": "pw", "xiang": "pw", "gongan": "pw", "admin": "pw", "yibao": "pw", "xian": "pw"},
		users: map[string]workflows.User{
			"cun":    {ID: 1, Username: "cun", Name: "王村干", Role: "village", Locality: cunVillage},
			"xiang":  {ID: 2, Username: "xiang", Name: "赵乡干", Role: "township", Locality: "510104001000"},
			"gongan": {ID: 3, Username: "gongan", Name: "孙警官", Role: "liaison", Locality: "510104000000", Department: "public_security"},
			"admin":  {ID: 4, Username: "admin", Name: "管理员", Role: "admin", Locality: "510104000000"},
			"yibao":  {ID: 5, Username: "yibao", Name: "钱医保", Role: "liaison", Locality: "510104000000", Department: "medical_insurance"},
			"xian":   {ID: 6, Username: "xian", Name: "周县干", Role: "county", Locality: "510104000000"},
		},
		tokens: map[string]string{},
		households: map[int]workflows.Household{
			1: {ID: 1, HeadName: "张三", IDNumber: fakeHeadID, Locality: cunVillage, Members: []workflows.Member{
				{Name: "张三", IDNumber: fakeHeadID, Relation: "户主", Gender: "男", Birth: "1949-12-31"},
				{Name: "李梅", IDNumber: fakeSpouseID, Relation: "配偶", Gender: "女"},
			}},
			2: {ID: 2, HeadName: "李四", IDNumber: fakeOtherID, Locality: "510104002001"},
		},
		cases: map[int]*workflows.Case{},
		tasks: map[int]*workflows.Task{},
		forms: map[string]*forms.Definition{
			"application":     parseForm(t, applicationYAML),
			"check":           parseForm(t, checkYAML),
			"visit":           parseForm(t, visitYAML),
			"warning_medical": parseForm(t, warningYAML),
			"verification":    parseForm(t, verificationYAML),
		},
		defs: []workflows.DefinitionInfo{
			{Kind: "form", ID: "application", Version: 1, Title: "申请及承诺授权书", Published: true, CreatedAt: fakeTime("2026-09-01T08:00:00+08:00")},
			{Kind: "calendar", ID: "calendar", Version: 1, Title: "法定节假日与调休", Published: true, CreatedAt: fakeTime("2026-01-02T08:00:00+08:00")},
			{Kind: "workflow", ID: "identification", Version: 1, Title: "监测对象识别纳入", Published: true, CreatedAt: fakeTime("2026-08-02T08:00:00+08:00")},
			{Kind: "workflow", ID: "identification", Version: 2, Title: "监测对象识别纳入", Published: true, CreatedAt: fakeTime("2026-09-02T08:00:00+08:00")},
		},
		nextID:  100,
		imports: map[int]*fakeImport{60: fakeFinishedImport()},
		entries: map[string]bool{},
	}
	for name := range f.users {
		f.tokens["tok-"+name] = name
	}
	f.cases[1] = &workflows.Case{
		ID: 1, Workflow: "identification", WorkflowVersion: 2, WorkflowTitle: "监测对象识别纳入",
		State: "application", StateTitle: "农户申请", HouseholdID: 1, HouseholdName: "张三",
		Locality: cunVillage, Version: 3,
		EnteredAt: fakeTime("2026-10-09T10:30:00+08:00"), CreatedAt: fakeTime("2026-10-09T10:30:00+08:00"),
		History: []workflows.Event{{At: fakeTime("2026-10-09T10:30:00+08:00"), Actor: "cun", Role: "village", Trigger: "start", To: "application",
			ActorName: "王村干", TriggerTitle: "发起", ToTitle: "农户申请"}},
	}
	f.cases[2] = &workflows.Case{
		ID: 2, Workflow: "identification", WorkflowVersion: 2, WorkflowTitle: "监测对象识别纳入",
		State: "township_review", StateTitle: "乡镇联合审核", HouseholdID: 1, HouseholdName: "张三",
		Locality: cunVillage, Version: 9, Classification: "黄",
		EnteredAt: fakeTime("2026-10-01T09:00:00+08:00"), CreatedAt: fakeTime("2026-09-20T09:00:00+08:00"),
		History: []workflows.Event{
			{At: fakeTime("2026-09-20T09:00:00+08:00"), Actor: "cun", Role: "village", Trigger: "start", To: "application",
				ActorName: "王村干", TriggerTitle: "发起", ToTitle: "农户申请"},
			{At: fakeTime("2026-09-21T10:00:00+08:00"), Actor: "cun", Role: "village", Trigger: "submit", From: "application", To: "verification",
				ActorName: "王村干", TriggerTitle: "提交申请", FromTitle: "农户申请", ToTitle: "入户核实", SubmissionID: 30},
			// An event of a definition that no longer names its step.
			{At: fakeTime("2026-09-22T10:00:00+08:00"), Actor: "cun", Role: "village", Trigger: "confirm", From: "verification", To: "township_review",
				SubmissionID: 31},
		},
	}
	f.tasks[5] = &workflows.Task{ID: 5, CaseID: 1, Workflow: "identification", WorkflowTitle: "监测对象识别纳入", State: "application", StateTitle: "农户申请",
		Role: "village", Locality: cunVillage, Form: "application", Status: workflows.TaskOpen, Household: "张三",
		Due: fakeTime("2026-10-10T23:59:59+08:00"), EscalatedTo: "township", Warnings: 2}
	f.tasks[7] = &workflows.Task{ID: 7, CaseID: 2, Workflow: "identification", State: "township_review", StateTitle: "乡镇联合审核",
		Role: "liaison", Department: "public_security", Locality: cunVillage, Form: "check", Status: workflows.TaskOpen,
		Household: "张三", Due: fakeTime("2026-10-20T23:59:59+08:00")}
	f.tasks[8] = &workflows.Task{ID: 8, CaseID: 2, Workflow: "identification", State: "township_review", StateTitle: "乡镇联合审核",
		Role: "liaison", Department: "public_security", Locality: cunVillage, Form: "check", Status: workflows.TaskDone,
		Household: "张三", CompletedBy: "孙警官", CompletedAt: fakeTime("2026-10-05T15:00:00+08:00")}
	f.tasks[9] = &workflows.Task{ID: 9, CaseID: 2, Workflow: "monitoring", State: "monitoring", StateTitle: "动态监测",
		Role: "village", Locality: cunVillage, Form: "visit", Status: workflows.TaskOpen, Household: "张三",
		Due: fakeTime("2026-10-30T23:59:59+08:00"), Recurring: true}
	f.submissions = map[int][]workflows.Submission{2: fakeCaseSubmissions()}
	f.localities = []workflows.Locality{
		{Code: "510104000000", Name: "示范区", Level: "county"},
		{Code: "510104001000", Name: "东山镇", Level: "township"},
		{Code: cunVillage, Name: "桃园村", Level: "village"},
		{Code: "510104001002", Name: "柳湾村", Level: "village"},
		{Code: "510104002000", Name: "西河乡", Level: "township"},
		{Code: "510104002001", Name: "青松村", Level: "village"},
	}
	return f
}

const applicationYAML = `id: application
title: 申请及承诺授权书
fields:
  - {name: head_name, type: text, label: 户主姓名, required: true}
  - {name: head_id, type: id_card, label: 户主身份证号, required: true, hint: 18位，末位可为X}
  - {name: phone, type: phone, label: 联系电话}
  - name: members
    type: repeat
    label: 家庭成员
    min: 1
    fields:
      - {name: name, type: text, label: 姓名, required: true}
      - {name: relation, type: select, label: 与户主关系, choices: [户主, 配偶, 子女, 其他]}
  - {name: income, type: money, label: 家庭年收入}
  - {name: channel, type: select, label: 申请渠道, choices: [书面, APP, "12317", 干部代申请]}
  - {name: risks, type: multiselect, label: 风险类型, choices: [因病, 因学, 因残]}
  - {name: reason, type: textarea, label: 申请理由}
  - {name: date, type: date, label: 申请日期}
  - {name: promise, type: boolean, label: 承诺所填信息真实, required: true}
`

const checkYAML = `id: check
title: 部门核查
fields:
  - {name: result, type: select, label: 核查结果, required: true, choices: [无异常, 有异常]}
  - {name: finding, type: textarea, label: 核查发现}
`

// visitYAML is the monthly visit: a section (group) and a photo.
const visitYAML = `id: visit
title: 月度走访
fields:
  - name: situation
    type: group
    label: 家庭情况
    fields:
      - {name: income_changed, type: boolean, label: 收入有明显变化, required: true}
      - {name: note, type: textarea, label: 走访记录, required: true}
  - {name: house_photo, type: photo, label: 房屋照片, required: true, max_size: 1KB}
  - {name: proof, type: file, label: 证明材料, accept: [application/pdf, .pdf]}
`

// verificationYAML is the 入户核实表 of case 2: choices whose stored values
// differ from their labels, a section, a repeat with 身份证号 and a photo.
const verificationYAML = `id: verification
title: 入户核实表
fields:
  - {name: visit_date, type: date, label: 核实日期, required: true}
  - {name: head_id, type: id_card, label: 户主身份证号, required: true}
  - name: income_section
    type: group
    label: 收入与住房
    fields:
      - {name: income, type: money, label: 家庭年纯收入, required: true}
      - name: housing
        type: select
        label: 住房安全
        choices: [{value: ok, label: 达标}, {value: not_ok, label: 不达标}]
  - name: risks
    type: multiselect
    label: 风险类型
    choices: [{value: illness, label: 因病}, {value: school, label: 因学}, {value: disability, label: 因残}]
  - name: members
    type: repeat
    label: 家庭成员
    fields:
      - {name: name, type: text, label: 姓名}
      - {name: id_number, type: id_card, label: 身份证号}
      - {name: relation, type: text, label: 与户主关系}
  - {name: two_people, type: boolean, label: 两人同行}
  - {name: note, type: textarea, label: 备注}
  - {name: photo, type: photo, label: 入户照片}
`

func parseForm(t testing.TB, src string) *forms.Definition {
	t.Helper()
	d, err := forms.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse test form: %v", err)
	}
	d.Version = 1
	return d
}

// visible is the fake's locality rule: a user sees households at or
// below their own code (trailing zero groups are "and below").
func visible(u workflows.User, locality string) bool {
	prefix := strings.TrimRight(u.Locality, "0")
	return strings.HasPrefix(locality, prefix)
}

func notFound(what string) error { return workflows.Errorf(workflows.NotFound, "%s不存在", what) }
func forbidden() error {
	return workflows.Errorf(workflows.Forbidden, "无权在此环节执行该操作")
}

func (f *fakeService) Authenticate(_ context.Context, username, password string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if pw, ok := f.passwords[username]; !ok || pw != password {
		return "", workflows.Errorf(workflows.Unauthorized, "用户名或密码错误")
	}
	token := "tok-" + username
	f.tokens[token] = username
	return token, nil
}

func (f *fakeService) UserByToken(_ context.Context, token string) (workflows.User, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name, ok := f.tokens[token]
	if !ok {
		return workflows.User{}, workflows.Errorf(workflows.Unauthorized, "登录已失效，请重新登录")
	}
	return f.users[name], nil
}

func (f *fakeService) Logout(_ context.Context, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.tokens, token)
	return nil
}

func (f *fakeService) SearchHouseholds(_ context.Context, actor workflows.User, query string, page workflows.Page) (workflows.HouseholdPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	page = page.Normal()
	out := workflows.HouseholdPage{Households: []workflows.Household{}, Page: page}
	for id := 1; id < f.nextID+1; id++ {
		h, ok := f.households[id]
		if !ok || !visible(actor, h.Locality) {
			continue
		}
		if query != "" && !strings.Contains(h.HeadName, query) && !strings.HasSuffix(h.IDNumber, query) {
			continue
		}
		if out.Total == workflows.MaxListedHouseholds {
			out.Capped = true
			break
		}
		if out.Total >= page.Offset() && len(out.Households) < page.Size {
			out.Households = append(out.Households, h)
		}
		out.Total++
	}
	return out, nil
}

func (f *fakeService) Household(_ context.Context, actor workflows.User, id int) (workflows.Household, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.households[id]
	if !ok {
		return workflows.Household{}, notFound("农户")
	}
	if !visible(actor, h.Locality) {
		return workflows.Household{}, workflows.Errorf(workflows.Forbidden, "无权查看该农户")
	}
	return h, nil
}

func (f *fakeService) CreateHousehold(_ context.Context, actor workflows.User, h workflows.Household) (workflows.Household, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if actor.Role != "village" && actor.Role != "township" && actor.Role != "county" {
		return workflows.Household{}, workflows.Errorf(workflows.Forbidden, "仅村、乡镇、县级干部可登记农户")
	}
	if h.Locality != "" && !visible(actor, h.Locality) {
		return workflows.Household{}, workflows.Errorf(workflows.Forbidden, "无权在该村登记农户")
	}
	var errs forms.FieldErrors
	if h.HeadName == "" {
		errs = append(errs, forms.FieldError{Field: "head_name", Message: "请填写户主姓名"})
	}
	if len(h.IDNumber) != 18 {
		errs = append(errs, forms.FieldError{Field: "id_number", Message: "身份证号应为18位"})
	}
	if h.Locality == "" {
		errs = append(errs, forms.FieldError{Field: "locality", Message: "请选择所在村"})
	}
	for i, m := range h.Members {
		if m.Name == "" {
			errs = append(errs, forms.FieldError{Field: fmt.Sprintf("members[%d].name", i), Message: "请填写成员姓名"})
		}
	}
	if len(errs) > 0 {
		return workflows.Household{}, &workflows.Error{Code: workflows.Invalid, Message: "填写有误", Fields: errs}
	}
	f.nextID++
	h.ID = f.nextID
	f.households[h.ID] = h
	return h, nil
}

func (f *fakeService) StartCase(_ context.Context, actor workflows.User, workflow string, householdID int) (workflows.Case, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if workflow != "identification" {
		return workflows.Case{}, notFound("流程")
	}
	h, ok := f.households[householdID]
	if !ok {
		return workflows.Case{}, notFound("农户")
	}
	if actor.Role != "village" || !visible(actor, h.Locality) {
		return workflows.Case{}, workflows.Errorf(workflows.Forbidden, "无权为该农户发起识别纳入")
	}
	f.nextID++
	c := &workflows.Case{
		ID: f.nextID, Workflow: workflow, WorkflowVersion: 2, WorkflowTitle: "监测对象识别纳入",
		State: "application", StateTitle: "农户申请", HouseholdID: h.ID, HouseholdName: h.HeadName,
		Locality: h.Locality, Version: 1, EnteredAt: f.now, CreatedAt: f.now,
		History: []workflows.Event{{At: f.now, Actor: actor.Username, Role: actor.Role, Trigger: "start", To: "application",
			ActorName: actor.Name, TriggerTitle: "发起", ToTitle: "农户申请"}},
	}
	f.cases[c.ID] = c
	return f.view(actor, c), nil
}

func (f *fakeService) StartCheck(_ context.Context, actor workflows.User, workflow string, householdID int) (workflows.StartCheck, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if workflow != "identification" {
		return workflows.StartCheck{}, notFound("流程")
	}
	h, ok := f.households[householdID]
	if !ok {
		return workflows.StartCheck{}, notFound("农户")
	}
	if !visible(actor, h.Locality) {
		return workflows.StartCheck{}, workflows.Errorf(workflows.Forbidden, "无权查看该农户")
	}
	out := workflows.StartCheck{Title: "监测对象识别纳入"}
	for id := 1; id <= f.nextID; id++ {
		if c, ok := f.cases[id]; ok && c.HouseholdID == householdID && c.Workflow == workflow && !c.Final {
			out.OpenCaseID = id
			return out, nil
		}
	}
	out.Allowed = actor.Role == "village"
	return out, nil
}

// view is the case as the actor sees it, with the actions they may take
// and the open tasks.
func (f *fakeService) view(actor workflows.User, c *workflows.Case) workflows.Case {
	out := *c
	out.History = slices.Clone(c.History)
	out.Actions, out.Blocked = nil, nil
	if step := fakeSteps(c.State); step.Role == actor.Role && !c.Final {
		out.Actions, out.Blocked = step.Actions, step.Blocked
	}
	out.Tasks = nil
	for id := 1; id <= f.nextID; id++ {
		if t, ok := f.tasks[id]; ok && t.CaseID == c.ID {
			out.Tasks = append(out.Tasks, *t)
		}
	}
	return out
}

func (f *fakeService) Case(_ context.Context, actor workflows.User, id int) (workflows.Case, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id == 999 {
		// A storage failure whose text must never reach the client.
		return workflows.Case{}, errors.New("database exploded: SECRET-DETAIL")
	}
	c, ok := f.cases[id]
	if !ok {
		return workflows.Case{}, notFound("案件")
	}
	if !visible(actor, c.Locality) {
		return workflows.Case{}, workflows.Errorf(workflows.Forbidden, "无权查看该案件")
	}
	return f.view(actor, c), nil
}

func (f *fakeService) Cases(_ context.Context, actor workflows.User, householdID int) ([]workflows.Case, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []workflows.Case
	for id := 1; id <= f.nextID; id++ {
		if c, ok := f.cases[id]; ok && c.HouseholdID == householdID && visible(actor, c.Locality) {
			out = append(out, f.view(actor, c))
		}
	}
	return out, nil
}

func (f *fakeService) Fire(_ context.Context, actor workflows.User, caseID int, trigger string, data map[string]any, version int) (workflows.Fired, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.cases[caseID]
	if !ok {
		return workflows.Fired{}, notFound("案件")
	}
	step := fakeSteps(c.State)
	i := slices.IndexFunc(step.Actions, func(a workflows.Action) bool { return a.Trigger == trigger })
	if i < 0 || step.Role != actor.Role || !visible(actor, c.Locality) {
		return workflows.Fired{}, forbidden()
	}
	if version != c.Version {
		return workflows.Fired{}, workflows.Errorf(workflows.Conflict, "案件已被他人更新，请刷新后重试")
	}
	action := step.Actions[i]
	if action.Form != "" {
		if errs := requiredErrors(f.forms[action.Form].Fields, data, ""); len(errs) > 0 {
			return workflows.Fired{}, &workflows.Error{Code: workflows.Invalid, Message: "填写有误，请修改后重新提交", Fields: errs}
		}
	}
	f.fired = append(f.fired, fireCall{CaseID: caseID, Trigger: trigger, Data: data, Version: version})
	c.History = append(c.History, workflows.Event{At: f.now, Actor: actor.Username, Role: actor.Role, Trigger: trigger, From: c.State, To: action.To,
		ActorName: actor.Name, TriggerTitle: action.Title, FromTitle: c.StateTitle, ToTitle: fakeSteps(action.To).Title})
	from := c.State
	c.State, c.StateTitle = action.To, fakeSteps(action.To).Title
	c.Version++
	c.EnteredAt = f.now
	return workflows.Fired{CaseID: c.ID, From: from, To: c.State, Version: c.Version, Final: c.Final}, nil
}

func (f *fakeService) AttachmentUploaded(_ context.Context, actor workflows.User, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.readers == nil {
		f.readers = map[string][]string{}
	}
	f.readers[id] = append(f.readers[id], actor.Username)
	return nil
}

func (f *fakeService) MayReadAttachment(_ context.Context, actor workflows.User, id string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Contains(f.readers[id], actor.Username), nil
}

// requiredErrors is the fake's validation: required fields, repeat
// minimum rows, and the length of an id_card. It reads the nested shape
// DecodeValues produces or a JSON client sends.
func requiredErrors(fields []*forms.Field, data map[string]any, prefix string) forms.FieldErrors {
	var errs forms.FieldErrors
	for _, fd := range fields {
		path := prefix + fd.Name
		v := data[fd.Name]
		if fd.Type == "group" {
			// A group's fields sit on its own level.
			errs = append(errs, requiredErrors(fd.Fields, data, prefix)...)
			continue
		}
		if fd.Type == "repeat" {
			rows := rowsOf(v)
			if fd.Min != nil && len(rows) < *fd.Min {
				errs = append(errs, forms.FieldError{Field: path, Message: fmt.Sprintf("至少填写%d行", *fd.Min)})
			}
			for i, row := range rows {
				errs = append(errs, requiredErrors(fd.Fields, row, fmt.Sprintf("%s[%d].", path, i))...)
			}
			continue
		}
		if fd.Required && isEmpty(v) {
			errs = append(errs, forms.FieldError{Field: path, Message: "请填写" + fd.Label})
			continue
		}
		if s, ok := v.(string); ok && fd.Type == "id_card" && s != "" && len(s) != 18 {
			errs = append(errs, forms.FieldError{Field: path, Message: "身份证号应为18位"})
		}
	}
	return errs
}

func rowsOf(v any) []map[string]any {
	switch rows := v.(type) {
	case []map[string]any:
		return rows
	case []any:
		out := make([]map[string]any, 0, len(rows))
		for _, r := range rows {
			if m, ok := r.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	}
	return false
}

func (f *fakeService) Tasks(_ context.Context, actor workflows.User, page workflows.Page) (workflows.TaskPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var all []workflows.Task
	for id := 1; id <= f.nextID; id++ {
		t, ok := f.tasks[id]
		if ok && t.Status == workflows.TaskOpen && f.mayWork(actor, t) {
			all = append(all, *t)
		}
	}
	page = page.Normal()
	out := workflows.TaskPage{Page: page, Total: len(all)}
	if from := page.Offset(); from < len(all) {
		out.Tasks = all[from:min(from+page.Size, len(all))]
	}
	return out, nil
}

func (f *fakeService) mayWork(actor workflows.User, t *workflows.Task) bool {
	if t.Department != "" {
		return actor.Role == "liaison" && actor.Department == t.Department
	}
	return (actor.Role == t.Role || actor.Role == t.EscalatedTo) && visible(actor, t.Locality)
}

// Localities lists the fake county's localities the actor covers.
func (f *fakeService) Localities(_ context.Context, actor workflows.User) ([]workflows.Locality, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []workflows.Locality
	for _, l := range f.localities {
		if visible(actor, l.Code) {
			out = append(out, l)
		}
	}
	return out, nil
}

func (f *fakeService) Task(_ context.Context, actor workflows.User, id int) (workflows.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tasks[id]
	if !ok {
		return workflows.Task{}, notFound("任务")
	}
	if !f.mayWork(actor, t) {
		return workflows.Task{}, workflows.Errorf(workflows.Forbidden, "无权查看该任务")
	}
	out := *t
	out.MayComplete = true
	return out, nil
}

func (f *fakeService) CompleteTask(_ context.Context, actor workflows.User, taskID int, data map[string]any) (workflows.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tasks[taskID]
	if !ok {
		return workflows.Task{}, notFound("任务")
	}
	if !f.mayWork(actor, t) {
		return workflows.Task{}, forbidden()
	}
	if t.Status != workflows.TaskOpen {
		return workflows.Task{}, workflows.Errorf(workflows.Conflict, "该任务已办结")
	}
	if errs := requiredErrors(f.forms[t.Form].Fields, data, ""); len(errs) > 0 {
		return workflows.Task{}, &workflows.Error{Code: workflows.Invalid, Message: "填写有误", Fields: errs}
	}
	f.completed = append(f.completed, data)
	t.Status, t.CompletedBy, t.CompletedAt = workflows.TaskDone, actor.Name, f.now
	return *t, nil
}

func (f *fakeService) Submissions(_ context.Context, actor workflows.User, caseID int) ([]workflows.Submission, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.submissionCalls++
	if f.submissionsErr != nil {
		return nil, f.submissionsErr
	}
	c, ok := f.cases[caseID]
	if !ok {
		return nil, notFound("事项")
	}
	if !visible(actor, c.Locality) {
		return nil, forbidden()
	}
	return slices.Clone(f.submissions[caseID]), nil
}

// fakeCaseSubmissions are what case 2 filed, newest first, in the shape
// stored data has after a JSON round trip (numbers as float64, rows as
// []any): the application, then the 入户核实表 with a field of every kind
// the case page draws.
func fakeCaseSubmissions() []workflows.Submission {
	return []workflows.Submission{
		{ID: 31, CaseID: 2, Form: "verification", FormVersion: 1, CreatedBy: "cun", CreatedAt: fakeTime("2026-09-22T10:00:00+08:00"),
			Data: map[string]any{
				"visit_date": "2026-09-22",
				"head_id":    fakeHeadID,
				"income":     float64(1800050),
				"housing":    "not_ok",
				"risks":      []any{"illness", "school"},
				"members": []any{
					map[string]any{"name": "张三", "id_number": fakeHeadID, "relation": "户主"},
					map[string]any{"name": "李梅", "id_number": fakeSpouseID, "relation": "配偶"},
				},
				"two_people": false,
				"note":       "",
				"photo":      map[string]any{"id": "att-7", "name": "入户照片.jpg", "type": "image/jpeg", "size": float64(2048)},
			}},
		{ID: 30, CaseID: 2, Form: "application", FormVersion: 1, CreatedBy: "cun", CreatedAt: fakeTime("2026-09-21T10:00:00+08:00"),
			Data: map[string]any{
				"head_name": "张三",
				"head_id":   fakeHeadID,
				"members":   []any{map[string]any{"name": "张三", "relation": "户主"}},
				"income":    float64(600000),
				"channel":   "干部代申请",
				"promise":   true,
			}},
	}
}

func (f *fakeService) Definitions(_ context.Context, actor workflows.User) ([]workflows.DefinitionInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.defs), nil
}

func (f *fakeService) PublishDefinition(_ context.Context, actor workflows.User, src []byte) (workflows.DefinitionInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if actor.Role != "admin" {
		return workflows.DefinitionInfo{}, workflows.Errorf(workflows.Forbidden, "仅管理员可发布定义")
	}
	if _, err := forms.Parse("upload.yaml", src); err != nil {
		var ps forms.Problems
		if !errors.As(err, &ps) {
			return workflows.DefinitionInfo{}, fmt.Errorf("parse upload: %w", err)
		}
		return workflows.DefinitionInfo{}, &workflows.Error{Code: workflows.Invalid, Message: "定义有误", Problems: ps}
	}
	info := workflows.DefinitionInfo{Kind: "form", ID: "check", Version: 2, Title: "部门核查", Published: true, CreatedAt: f.now}
	for _, d := range f.defs {
		if d.Kind == info.Kind && d.ID == info.ID && d.Version == info.Version {
			info.Unchanged = true // the fake stores one text per id
			return info, nil
		}
	}
	f.defs = append(f.defs, info)
	return info, nil
}

// MigrateCases reports every chosen case of the fake workflow as mappable
// and moves it unless it is a dry run.
func (f *fakeService) MigrateCases(_ context.Context, actor workflows.User, m workflows.Migration) (workflows.MigrationReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if actor.Role != "admin" {
		return workflows.MigrationReport{}, workflows.Errorf(workflows.Forbidden, "只有管理员可以迁移事项")
	}
	report := workflows.MigrationReport{Workflow: m.Workflow, ToVersion: m.ToVersion, DryRun: m.DryRun}
	for _, id := range m.CaseIDs {
		c, ok := f.cases[id]
		if !ok {
			return workflows.MigrationReport{}, notFound("事项")
		}
		line := workflows.CaseMigration{CaseID: id, FromVersion: c.WorkflowVersion, State: c.State, Mappable: true}
		if !m.DryRun {
			c.WorkflowVersion, line.Migrated = m.ToVersion, true
		}
		report.Cases = append(report.Cases, line)
	}
	return report, nil
}

func (f *fakeService) Form(_ context.Context, id, _ string) (*forms.Definition, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.forms[id]
	if !ok {
		return nil, notFound("表单")
	}
	return d, nil
}

// FormVersion answers the fake's one version of each form.
func (f *fakeService) FormVersion(ctx context.Context, id string, _ int) (*forms.Definition, error) {
	return f.Form(ctx, id, "")
}

func (f *fakeService) setClock(t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = append(f.clock, t)
	f.now = t
	return nil
}

func (f *fakeService) firedCalls() []fireCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.fired)
}

// warningYAML is the medical-insurance screening list: one person a row.
const warningYAML = `id: warning_medical
title: 医保大额医疗费用预警
fields:
  - {name: name, type: text, label: 姓名, required: true}
  - {name: id_number, type: id_card, label: 身份证号, required: true}
  - {name: hospital, type: text, label: 就诊医疗机构}
  - {name: self_paid, type: money, label: 自付医疗费用, required: true}
`

// The fake's one screening list: medical insurance starts 部门预警核实.
const (
	fakeListWorkflow = "department_warning"
	fakeListDept     = "medical_insurance"
	fakeListTitle    = "医保大额医疗费用预警"
	fakeListForm     = "warning_medical"
)

// fakeFinishedImport is import 60: a September list, done, with two rows
// in error and two skipped.
func fakeFinishedImport() *fakeImport {
	header := []string{"姓名", "身份证号", "就诊医疗机构", "自付医疗费用"}
	return &fakeImport{
		ListImport: workflows.ListImport{ID: 60, Department: fakeListDept, DepartmentTitle: "医保",
			Workflow: fakeListWorkflow, Form: fakeListForm, Title: fakeListTitle, Period: "2026-09",
			FileName: "医保预警名单-2026年9月.xlsx", Status: workflows.ImportDone, Header: header,
			Total: 12, Processed: 12, Started: 8, Duplicates: 1, OpenCases: 1, Problems: 2, CreatedBy: "yibao",
			CreatedAt: fakeTime("2026-10-08T10:00:00+08:00"), FinishedAt: fakeTime("2026-10-08T10:01:00+08:00")},
		locality: "510104000000",
		problems: []workflows.ListProblem{
			{Line: 3, Kind: workflows.ProblemError, Cells: []string{"王五", "51010419800101123", "县医院", "8000"}, Message: "身份证号：身份证号应为18位"},
			{Line: 5, Kind: workflows.ProblemError, Cells: []string{"赵六", "510104197501010012", "", "9000"}, Message: "农户信息库中没有该身份证号（户主或家庭成员）"},
			{Line: 8, Kind: workflows.ProblemSkip, Cells: []string{"张三", fakeHeadID, "县医院", "12000"}, Message: "本期名单已导入过该身份证号"},
			{Line: 11, Kind: workflows.ProblemSkip, Cells: []string{"李梅", fakeSpouseID, "", "7000"}, Message: "该户已有办理中的部门预警核实"},
		},
	}
}

func (f *fakeService) listsOf(actor workflows.User) []workflows.ListInfo {
	if actor.Role != "liaison" || actor.Department != fakeListDept {
		return nil
	}
	form := f.forms[fakeListForm]
	info := workflows.ListInfo{Workflow: fakeListWorkflow, WorkflowTitle: "部门预警核实", Department: fakeListDept,
		Title: fakeListTitle, Form: form.ID}
	for _, fd := range form.Fields {
		info.Columns = append(info.Columns, workflows.ListColumn{Name: fd.Name, Label: fd.Label, Required: fd.Required})
	}
	return []workflows.ListInfo{info}
}

func (f *fakeService) Lists(_ context.Context, actor workflows.User) ([]workflows.ListInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listsCalls++
	if f.listsErr != nil {
		return nil, f.listsErr
	}
	return f.listsOf(actor), nil
}

func fieldError(field, msg string) error {
	return &workflows.Error{Code: workflows.Invalid, Message: msg, Fields: forms.FieldErrors{{Field: field, Message: msg}}}
}

// ImportList checks the upload as the store does (right, list, period,
// file, header), calls accepted, waits for hold if set, then validates,
// matches and starts each row in the calling goroutine.
func (f *fakeService) ImportList(_ context.Context, actor workflows.User, up workflows.ListUpload, accepted func(workflows.ListImport)) (workflows.ListImport, error) {
	r, cols, err := f.acceptList(actor, up)
	if err != nil {
		return workflows.ListImport{}, err
	}
	defer r.Close()
	imp := f.recordImport(actor, up, r.Header())
	if accepted != nil {
		accepted(imp.ListImport)
	}
	f.mu.Lock()
	hold := f.hold
	f.mu.Unlock()
	if hold != nil {
		<-hold
	}
	var rows []sheets.Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return f.failImport(imp, err)
		}
		rows = append(rows, row)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	imp.Total = len(rows)
	for _, row := range rows {
		f.importRow(actor, imp, cols, row)
	}
	imp.Status, imp.FinishedAt = workflows.ImportDone, f.now
	return imp.ListImport, nil
}

func (f *fakeService) acceptList(actor workflows.User, up workflows.ListUpload) (*sheets.Reader, *sheets.Columns, error) {
	f.mu.Lock()
	lists, form := f.listsOf(actor), f.forms[fakeListForm]
	f.mu.Unlock()
	switch {
	case actor.Role != "liaison":
		return nil, nil, workflows.Errorf(workflows.Forbidden, "只有部门联络员可以导入本部门的预警名单")
	case len(lists) == 0 || lists[0].Workflow != up.Workflow:
		return nil, nil, workflows.Errorf(workflows.Invalid, "该流程不接收本部门的名单")
	case !regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`).MatchString(up.Period):
		return nil, nil, fieldError("period", "请填写名单所属年月，如 2026-11")
	case len(up.Content) == 0:
		return nil, nil, fieldError("file", "请选择 .xlsx 或 .csv 文件")
	}
	r, err := sheets.Open(bytes.NewReader(up.Content), int64(len(up.Content)), up.FileName)
	var fe *sheets.FileError
	if errors.As(err, &fe) {
		return nil, nil, fieldError("file", fe.Message)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open list: %w", err)
	}
	cols, err := sheets.MapColumns(form, r.Header())
	if err != nil {
		r.Close()
		return nil, nil, fieldError("file", err.Error())
	}
	return r, cols, nil
}

func (f *fakeService) recordImport(actor workflows.User, up workflows.ListUpload, header []string) *fakeImport {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	imp := &fakeImport{locality: actor.Locality, ListImport: workflows.ListImport{ID: f.nextID,
		Department: actor.Department, DepartmentTitle: "医保", Workflow: up.Workflow, Form: fakeListForm,
		Title: fakeListTitle, Period: up.Period, FileName: up.FileName, Status: workflows.ImportRunning,
		Header: header, CreatedBy: actor.Username, CreatedAt: f.now}}
	f.imports[imp.ID] = imp
	return imp
}

func (f *fakeService) failImport(imp *fakeImport, err error) (workflows.ListImport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	imp.Status, imp.Message, imp.FinishedAt = workflows.ImportFailed, "导入中断", f.now
	return imp.ListImport, fmt.Errorf("read list %d: %w", imp.ID, err)
}

// importRow starts the row's case, or records why not. f.mu is held.
func (f *fakeService) importRow(actor workflows.User, imp *fakeImport, cols *sheets.Columns, row sheets.Row) {
	imp.Processed++
	problem := func(kind, msg string) {
		imp.problems = append(imp.problems, workflows.ListProblem{Line: row.Line, Kind: kind,
			Cells: sheets.ErrorRow(row, len(imp.Header), "")[:len(imp.Header)], Message: msg})
	}
	form := f.forms[fakeListForm]
	values, errs := form.ValidateWith(cols.Values(row), forms.Context{Now: f.now})
	if len(errs) > 0 {
		imp.Problems++
		problem(workflows.ProblemError, sheets.Reason(form, errs))
		return
	}
	id, _ := values["id_number"].(string)
	h, ok := f.householdOf(id)
	key := imp.Department + "|" + imp.Period + "|" + id
	switch {
	case !ok:
		imp.Problems++
		problem(workflows.ProblemError, "农户信息库中没有该身份证号（户主或家庭成员）")
	case f.entries[key]:
		imp.Duplicates++
		problem(workflows.ProblemSkip, "本期名单已导入过该身份证号")
	case f.openCheck(h.ID):
		imp.OpenCases++
		problem(workflows.ProblemSkip, "该户已有办理中的部门预警核实")
	default:
		f.entries[key] = true
		imp.Started++
		f.startCheck(actor, h)
	}
}

func (f *fakeService) householdOf(id string) (workflows.Household, bool) {
	for _, h := range f.households {
		if h.IDNumber == id {
			return h, true
		}
		for _, m := range h.Members {
			if m.IDNumber == id {
				return h, true
			}
		}
	}
	return workflows.Household{}, false
}

func (f *fakeService) openCheck(household int) bool {
	for _, c := range f.cases {
		if c.Workflow == fakeListWorkflow && c.HouseholdID == household && !c.Final {
			return true
		}
	}
	return false
}

// startCheck opens a 部门预警核实 case with its village task.
func (f *fakeService) startCheck(actor workflows.User, h workflows.Household) {
	f.nextID++
	c := &workflows.Case{ID: f.nextID, Workflow: fakeListWorkflow, WorkflowVersion: 1, WorkflowTitle: "部门预警核实",
		State: "verify", StateTitle: "村级入户核实", HouseholdID: h.ID, HouseholdName: h.HeadName, Locality: h.Locality,
		Version: 1, EnteredAt: f.now, CreatedAt: f.now,
		History: []workflows.Event{{At: f.now, Actor: actor.Username, Role: actor.Role, Trigger: workflows.TriggerImportList,
			To: "verify", ActorName: actor.Name, TriggerTitle: "导入名单", ToTitle: "村级入户核实"}}}
	f.cases[c.ID] = c
	f.nextID++
	f.tasks[f.nextID] = &workflows.Task{ID: f.nextID, CaseID: c.ID, Workflow: fakeListWorkflow, State: "verify",
		StateTitle: "村级入户核实", Role: "village", Locality: h.Locality, Form: "warning_verification",
		Status: workflows.TaskOpen, Household: h.HeadName}
}

// maySeeImport is the store's rule: the department's liaisons of the
// county, and the county's cadres and administrators.
func maySeeImport(actor workflows.User, imp *fakeImport) bool {
	if actor.Role == "liaison" {
		return actor.Department == imp.Department && actor.Locality == imp.locality
	}
	return (actor.Role == "county" || actor.Role == "admin") && visible(actor, imp.locality)
}

func (f *fakeService) ListImport(_ context.Context, actor workflows.User, id int) (workflows.ListImport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	imp, ok := f.imports[id]
	if !ok {
		return workflows.ListImport{}, notFound("导入记录")
	}
	if !maySeeImport(actor, imp) {
		return workflows.ListImport{}, forbidden()
	}
	return imp.ListImport, nil
}

func (f *fakeService) ListImports(_ context.Context, actor workflows.User, limit int) ([]workflows.ListImport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []workflows.ListImport
	for id := f.nextID; id > 0 && len(out) < limit; id-- {
		if imp, ok := f.imports[id]; ok && maySeeImport(actor, imp) {
			out = append(out, imp.ListImport)
		}
	}
	return out, nil
}

func (f *fakeService) ListProblems(ctx context.Context, actor workflows.User, id int, fn func(workflows.ListProblem) error) error {
	if _, err := f.ListImport(ctx, actor, id); err != nil {
		return err
	}
	f.mu.Lock()
	problems, failure := slices.Clone(f.imports[id].problems), f.problemsErr
	f.mu.Unlock()
	for i, p := range problems {
		if failure != nil && i == 1 {
			return failure
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

// Prefill prefills from the fake's household record: head, 身份证号 and
// members, keyed as the 入户核实表 names them.
func (f *fakeService) Prefill(_ context.Context, actor workflows.User, caseID int, form string) (map[string]any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.cases[caseID]
	if !ok {
		return nil, notFound("事项")
	}
	if !visible(actor, c.Locality) {
		return nil, workflows.Errorf(workflows.Forbidden, "无权查看该事项")
	}
	d, ok := f.forms[form]
	if !ok {
		return nil, notFound("表单")
	}
	h := f.households[c.HouseholdID]
	members := make([]any, len(h.Members))
	for i, m := range h.Members {
		members[i] = map[string]any{"name": m.Name, "id_card": m.IDNumber, "relation": m.Relation, "gender": m.Gender}
	}
	household := map[string]any{"head_name": h.HeadName, "head_id": h.IDNumber, "members": members}
	return d.Prefilled(forms.Context{Household: household, Now: f.now}), nil
}

// fakeDefinitionSources are the texts of the fake's definitions, by kind,
// id and version, or by kind and id for every version.
var fakeDefinitionSources = map[string]string{
	"calendar/calendar":         "holidays:\n  - 2026-10-01..2026-10-07\nworkdays:\n  - 2026-10-10\n",
	"form/application":          applicationYAML,
	"form/check":                checkYAML,
	"workflow/identification@1": "id: identification\ntitle: 监测对象识别纳入\nparams:\n  notice_days: 5\nstates: {}\n",
	"workflow/identification":   "id: identification\ntitle: 监测对象识别纳入\nparams:\n  notice_days: 7\n  income_line: 6000\nstates: {}\n",
}

func (f *fakeService) DefinitionSource(_ context.Context, actor workflows.User, kind, id string, version int) (workflows.DefinitionSource, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if actor.Role != "admin" {
		return workflows.DefinitionSource{}, workflows.Errorf(workflows.Forbidden, "只有管理员可以查看定义原文")
	}
	var found *workflows.DefinitionInfo
	for i, d := range f.defs {
		if d.Kind == kind && d.ID == id && (version == 0 && (found == nil || d.Version > found.Version) || d.Version == version) {
			found = &f.defs[i]
		}
	}
	if found == nil {
		return workflows.DefinitionSource{}, notFound("定义")
	}
	src, ok := fakeDefinitionSources[fmt.Sprintf("%s/%s@%d", kind, id, found.Version)]
	if !ok {
		src = fakeDefinitionSources[kind+"/"+id]
	}
	return workflows.DefinitionSource{DefinitionInfo: *found, Source: src, CreatedBy: "admin"}, nil
}

func (f *fakeService) CheckDefinition(_ context.Context, actor workflows.User, src []byte) (workflows.DefinitionCheck, error) {
	if actor.Role != "admin" {
		return workflows.DefinitionCheck{}, workflows.Errorf(workflows.Forbidden, "仅管理员可发布定义")
	}
	d, err := forms.Parse("upload.yaml", src)
	if err != nil {
		var ps forms.Problems
		if !errors.As(err, &ps) {
			return workflows.DefinitionCheck{}, fmt.Errorf("parse upload: %w", err)
		}
		return workflows.DefinitionCheck{}, &workflows.Error{Code: workflows.Invalid, Message: "定义有误", Problems: ps}
	}
	return workflows.DefinitionCheck{Kind: "form", ID: d.ID, Title: d.Title, Form: d}, nil
}

// WorkflowVersion answers a small two-step workflow for identification.
func (f *fakeService) WorkflowVersion(_ context.Context, id string, version int) (*workflows.Definition, error) {
	if id != "identification" {
		return nil, notFound("流程")
	}
	return fakeWorkflow(), nil
}

func fakeWorkflow() *workflows.Definition {
	return &workflows.Definition{ID: "identification", Title: "监测对象识别纳入", Start: "application",
		Order: []string{"application", "review", "included"},
		States: map[string]*workflows.State{
			"application": {Name: "application", Title: "农户申请", Role: "village", Form: "application", DueWorkingDays: 5,
				Triggers: []*workflows.Trigger{{Name: "submit", Title: "提交申请", To: "review"}}},
			"review": {Name: "review", Title: "乡镇审核", Role: "township", DueWorkingDays: 10,
				Tasks: &workflows.FanOut{Departments: []string{"education", "housing"}, DueWorkingDays: 7},
				Hold:  &workflows.Hold{WorkingDays: "5"},
				Triggers: []*workflows.Trigger{{Name: "approve", Title: "审核通过", To: "included"},
					{Name: "return", Title: "退回", To: "application"}}},
			"included": {Name: "included", Title: "纳入监测", Final: true, Outcome: "纳入", Then: "monitoring"},
		}}
}
