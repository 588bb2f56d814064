package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/ent/casefile"
	"jianfu/ent/event"
	"jianfu/ent/household"
	"jianfu/ent/task"
	"jianfu/ent/user"
	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// StartCase starts the newest published version of a workflow, or of its
// most specific variant (overlay) whose locality covers the household.
func (s *Service) StartCase(ctx context.Context, actor workflows.User, workflow string, householdID int) (workflows.Case, error) {
	if _, err := s.reg.LatestWorkflow(workflow); err != nil {
		return workflows.Case{}, err
	}
	var id int
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		h, err := tx.Household.Query().Where(household.ID(householdID)).Only(ctx)
		if ent.IsNotFound(err) {
			return workflows.Errorf(workflows.NotFound, "农户不存在")
		}
		if err != nil {
			return fmt.Errorf("load household %d: %w", householdID, err)
		}
		def, err := s.reg.forHousehold(workflow, h.LocalityPath)
		if err != nil {
			return err
		}
		now := s.now()
		tr, err := s.eng().StartFor(ctx, workflows.Snapshot{Definition: def, Locality: h.Locality,
			Params: def.ParamsFor(now)}, actor, now)
		if err != nil {
			return err
		}
		open, err := tx.Casefile.Query().Where(casefile.HouseholdID(h.ID), casefile.WorkflowIn(workflow, def.ID),
			casefile.Final(false)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("check open cases: %w", err)
		}
		if open {
			return workflows.Errorf(workflows.Conflict, "该户已有办理中的%s", def.Title)
		}
		c, err := tx.Casefile.Create().SetWorkflow(def.ID).SetWorkflowVersion(def.Version).
			SetState(tr.To).SetHouseholdID(h.ID).SetLocality(h.Locality).SetLocalityPath(h.LocalityPath).
			SetFinal(tr.Final).SetOutcome(tr.Outcome).
			SetEnteredAt(now).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("create case: %w", err)
		}
		id = c.ID
		if err := s.createTasks(ctx, tx, c, tr.To, tr.NewTasks, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, auditEntry{kind: "start", locality: h.Locality, trigger: tr.Trigger,
			to: tr.To, caseID: &c.ID})
	})
	if err != nil {
		return workflows.Case{}, err
	}
	return s.Case(ctx, actor, id)
}

// Fire fires one trigger: authorize, validate and decide in the engine, then
// persist state, version, submission, tasks and one event in one
// transaction — on PostgreSQL usually one statement (fireAlone). A stale
// version changes nothing. It answers only what the
// transaction already knows; building the case page (history, drafts,
// actions) is a read for whoever shows it.
func (s *Service) Fire(ctx context.Context, actor workflows.User, caseID int, trigger string, data map[string]any, version int) (workflows.Fired, error) {
	if s.db.Dialect == dialect.Postgres {
		if out, ok, err := s.fireAlone(ctx, actor, caseID, trigger, data, version); ok {
			return out, err
		}
	}
	var out workflows.Fired
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		c, err := s.lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		tr, now, err := s.decide(ctx, tx, actor, c, trigger, data, version)
		if err != nil {
			return err
		}
		if err := s.apply(ctx, tx, actor, c, tr, now); err != nil {
			return err
		}
		if err := linkAttachments(ctx, tx, actor, c.ID, tr.Values.AttachmentIDs(), now); err != nil {
			return err
		}
		out = workflows.Fired{CaseID: c.ID, From: tr.From, To: tr.To, Version: c.Version + 1,
			Final: tr.Final, Outcome: tr.Outcome}
		return nil
	})
	if err != nil {
		return workflows.Fired{}, err
	}
	return out, nil
}

// StartCheck says whether StartCase would start workflow for the household
// now, with the same questions and without writing.
func (s *Service) StartCheck(ctx context.Context, actor workflows.User, workflow string, householdID int) (workflows.StartCheck, error) {
	if _, err := s.reg.LatestWorkflow(workflow); err != nil {
		return workflows.StartCheck{}, err
	}
	h, err := s.client.Household.Query().Where(household.ID(householdID)).
		Select(household.FieldLocality, household.FieldLocalityPath).Only(ctx)
	if ent.IsNotFound(err) {
		return workflows.StartCheck{}, workflows.Errorf(workflows.NotFound, "农户不存在")
	}
	if err != nil {
		return workflows.StartCheck{}, fmt.Errorf("load household %d: %w", householdID, err)
	}
	if !s.auth.MaySee(actor.Username, h.Locality) {
		return workflows.StartCheck{}, forbidden()
	}
	def, err := s.reg.forHousehold(workflow, h.LocalityPath)
	if err != nil {
		return workflows.StartCheck{}, err
	}
	out := workflows.StartCheck{Title: def.Title}
	open, err := s.client.Casefile.Query().Where(casefile.HouseholdID(householdID), casefile.WorkflowIn(workflow, def.ID),
		casefile.Final(false)).Order(ent.Asc(casefile.FieldID)).FirstID(ctx)
	switch {
	case err == nil:
		out.OpenCaseID = open
	case !ent.IsNotFound(err):
		return workflows.StartCheck{}, fmt.Errorf("check open cases: %w", err)
	default:
		out.Allowed = s.eng().MayStart(def, actor, h.Locality)
	}
	return out, nil
}

// decide is what an action decides before it writes, given the case as
// read (in tx, or on the pool when tx is nil): the actor may see the case,
// the page showed its current version, and the engine fires trigger. It
// answers the transition and the instant it was decided at.
func (s *Service) decide(ctx context.Context, tx *ent.Tx, actor workflows.User, c *ent.Casefile, trigger string, data map[string]any, version int) (*workflows.Transition, time.Time, error) {
	if !s.auth.MaySee(actor.Username, c.Locality) {
		return nil, time.Time{}, forbidden()
	}
	if c.Version != version {
		return nil, time.Time{}, staleVersion(c.Version, version)
	}
	snap, err := s.snapshot(ctx, tx, c)
	if err != nil {
		return nil, time.Time{}, err
	}
	now := s.now()
	tr, err := s.eng().Fire(ctx, snap, actor, trigger, data, now)
	if err != nil {
		return nil, time.Time{}, err
	}
	return tr, now, nil
}

// staleVersion is the refusal of an action made on a page showing an older
// version of the case.
func staleVersion(current, seen int) error {
	return workflows.Errorf(workflows.Conflict, "该事项已被他人办理或修改（当前第%d版，页面为第%d版），请刷新后重试", current, seen)
}

// lockCase reads a case for change. PostgreSQL locks the row; SQLite's
// immediate transactions already hold the database write lock.
func (s *Service) lockCase(ctx context.Context, tx *ent.Tx, id int) (*ent.Casefile, error) {
	if s.db.Dialect == dialect.SQLite {
		return lockCaseSQLite(ctx, tx, id)
	}
	c, err := tx.Casefile.Query().Where(casefile.ID(id)).ForUpdate().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, workflows.Errorf(workflows.NotFound, "事项不存在")
	}
	if err != nil {
		return nil, fmt.Errorf("load case %d: %w", id, err)
	}
	return c, nil
}

// snapshot gathers what the runtime needs to decide about a case: its pinned
// definition, state, and the department tasks of this visit to the state.
func (s *Service) snapshot(ctx context.Context, tx *ent.Tx, c *ent.Casefile) (workflows.Snapshot, error) {
	def, err := s.reg.Workflow(c.Workflow, c.WorkflowVersion)
	if err != nil {
		return workflows.Snapshot{}, err
	}
	// A transaction's client is built on first use, and most actions read
	// nothing more here.
	client := func() *ent.Client {
		if tx == nil {
			return s.client
		}
		return tx.Client()
	}
	var rows []*ent.Task
	// Only a state with a fan-out has department tasks; elsewhere the
	// query would come back empty (one statement less per action and per
	// case page).
	if st, ok := def.States[c.State]; ok && st.Tasks != nil {
		rows, err = client().Task.Query().Where(task.CaseID(c.ID), task.State(c.State),
			task.StatusNEQ(workflows.TaskCancelled), task.CreatedAtGTE(c.EnteredAt)).Order(ent.Asc(task.FieldID)).
			Select(task.FieldDepartment, task.FieldStatus).All(ctx)
		if err != nil {
			return workflows.Snapshot{}, fmt.Errorf("load tasks of case %d: %w", c.ID, err)
		}
	}
	snap := workflows.Snapshot{Definition: def, State: c.State, EnteredAt: c.EnteredAt, Locality: c.Locality,
		StartedAt: c.CreatedAt, Classification: c.Classification, Params: def.ParamsFor(c.CreatedAt)}
	snap.FormData = func(d *forms.Definition) (map[string]any, map[string]map[string]any, error) {
		return s.formData(ctx, client(), c.HouseholdID, d)
	}
	if def.UsesHousehold() {
		if snap.Household, err = householdFacts(ctx, client(), s.reg.formFamily(householdForm), c.HouseholdID); err != nil {
			return workflows.Snapshot{}, err
		}
	}
	for _, t := range rows {
		if t.Department == "" {
			// Every entry opens the role's task first, then the
			// departments': a role task starts this visit's round, even
			// when an earlier round was opened at the same instant.
			snap.Tasks = snap.Tasks[:0]
			continue
		}
		snap.Tasks = append(snap.Tasks, workflows.TaskState{Department: t.Department, Done: t.Status == workflows.TaskDone})
	}
	return snap, nil
}

// apply persists one transition: submission, case version, the state's
// tasks closed and the next state's opened, one audit event, and a
// hand-over if the transition names one. Each dialect writes these rows in
// as few statements as it allows (apply_postgres.go, apply_sqlite.go).
func (s *Service) apply(ctx context.Context, tx *ent.Tx, actor workflows.User, c *ent.Casefile, tr *workflows.Transition, now time.Time) error {
	if s.db.Dialect == dialect.Postgres {
		return s.applyPostgres(ctx, tx, actor, c, tr, now)
	}
	return s.applySQLite(ctx, tx, actor, c, tr, now)
}

// createTasks opens the tasks of the state a case has just entered.
func (s *Service) createTasks(ctx context.Context, tx *ent.Tx, c *ent.Casefile, state string, nts []workflows.NewTask, now time.Time) error {
	if len(nts) == 0 {
		return nil
	}
	bulk := make([]*ent.TaskCreate, len(nts))
	for i, nt := range nts {
		due := nt.Due
		b := tx.Task.Create().SetCaseID(c.ID).SetWorkflow(c.Workflow).SetState(state).
			SetRole(nt.Role).SetDepartment(nt.Department).SetForm(nt.Form).
			SetLocality(c.Locality).SetLocalityPath(c.LocalityPath).SetCreatedAt(now)
		if !due.IsZero() {
			b.SetDue(due)
		}
		bulk[i] = b
	}
	if err := tx.Task.CreateBulk(bulk...).Exec(ctx); err != nil {
		return fmt.Errorf("create tasks of case %d: %w", c.ID, err)
	}
	return nil
}

// Case returns a case with its history, open tasks and the actions the actor
// may take now.
func (s *Service) Case(ctx context.Context, actor workflows.User, id int) (workflows.Case, error) {
	c, err := s.client.Casefile.Query().Where(casefile.ID(id)).WithHousehold().Only(ctx)
	if ent.IsNotFound(err) {
		return workflows.Case{}, workflows.Errorf(workflows.NotFound, "事项不存在")
	}
	if err != nil {
		return workflows.Case{}, fmt.Errorf("load case %d: %w", id, err)
	}
	if !s.auth.MaySee(actor.Username, c.Locality) {
		return workflows.Case{}, forbidden()
	}
	snap, err := s.snapshot(ctx, nil, c)
	if err != nil {
		return workflows.Case{}, err
	}
	out := toCase(c, snap.Definition)
	if !c.Final {
		now := s.now()
		out.Actions = s.eng().Actions(ctx, snap, actor, now)
		out.Blocked = s.eng().Blocked(ctx, snap, actor, now)
		if out.Drafts, err = s.drafts(ctx, c.ID, out.Actions); err != nil {
			return workflows.Case{}, err
		}
	}
	tasks, err := s.client.Task.Query().Where(task.CaseID(c.ID), task.Status(workflows.TaskOpen)).
		Order(ent.Asc(task.FieldID)).All(ctx)
	if err != nil {
		return workflows.Case{}, fmt.Errorf("load tasks of case %d: %w", id, err)
	}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, s.toTask(t, snap.Definition, out.HouseholdName))
	}
	if out.History, err = s.history(ctx, snap.Definition, c.ID); err != nil {
		return workflows.Case{}, err
	}
	countWarnings(out.Tasks, out.History)
	return out, nil
}

// countWarnings sets each open task's Warnings from the case's history,
// as taskColumns counts them for the inbox.
func countWarnings(tasks []workflows.Task, history []workflows.Event) {
	for i := range tasks {
		for _, e := range history {
			if e.Trigger == workflows.TriggerListWarning && !e.At.Before(tasks[i].CreatedAt) {
				tasks[i].Warnings++
			}
		}
	}
}

// history is a case's audit events, oldest first, with the titles a page
// shows.
func (s *Service) history(ctx context.Context, def *workflows.Definition, caseID int) ([]workflows.Event, error) {
	events, err := s.client.Event.Query().Where(event.CaseID(caseID)).Order(ent.Asc(event.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load history of case %d: %w", caseID, err)
	}
	names, err := s.userNames(ctx, events)
	if err != nil {
		return nil, err
	}
	out := make([]workflows.Event, 0, len(events))
	imports := map[int]*ent.ListImport{} // a household on monthly lists gathers many warnings
	for _, e := range events {
		ev := workflows.Event{At: e.At, Actor: e.Actor, Role: e.Role, Locality: e.Locality,
			Trigger: e.Trigger, From: e.FromState, To: e.ToState, ActorName: names[e.Actor],
			TriggerTitle: triggerTitle(def, e.FromState, e.Trigger)}
		if e.FromState != "" {
			ev.FromTitle = stateTitle(def, e.FromState)
		}
		if e.ToState != "" {
			ev.ToTitle = stateTitle(def, e.ToState)
		}
		if e.SubmissionID != nil {
			ev.SubmissionID = *e.SubmissionID
		}
		switch e.Trigger {
		case workflows.TriggerHandOverSkipped:
			ev.TriggerTitle, ev.Reason = s.handOverSkipped(ctx, def, e)
		case workflows.TriggerListWarning:
			ev.TriggerTitle, ev.Reason = s.listWarning(ctx, e, imports)
		case workflows.TriggerEscalate:
			ev.Reason = escalatedReason(e.Object)
		}
		if e.Actor == system.Username {
			// The scheduler: no person, and no role to name.
			ev.ActorName, ev.Role = "系统", ""
		}
		out = append(out, ev)
	}
	return out, nil
}

// escalatedReason says, for a case's history, whom an escalation
// (object task:N→role) handed the task to.
func escalatedReason(object string) string {
	_, role, _ := strings.Cut(object, "→")
	level := map[string]string{roles.Township: "乡镇", roles.County: "县级"}[role]
	if level == "" {
		return "任务已超期"
	}
	return "任务已超期，已提级至" + level + "督办"
}

// handOverSkipped says, for a case's history, which procedure its outcome
// did not start and which open case of the household made that so.
func (s *Service) handOverSkipped(ctx context.Context, def *workflows.Definition, e *ent.Event) (title, reason string) {
	title = "未重复发起"
	if st, ok := def.States[e.ToState]; ok && st.Then != "" {
		if next, err := s.reg.LatestWorkflow(st.Then); err == nil {
			title = "未重复发起「" + next.Title + "」"
		}
	}
	var id int
	if _, err := fmt.Sscanf(e.Object, "case:%d", &id); err != nil {
		return title, "该户已有办理中的事项"
	}
	c, err := s.client.Casefile.Get(ctx, id)
	if err != nil {
		return title, fmt.Sprintf("该户已有办理中的事项（%d）", id)
	}
	name := c.Workflow
	if w, err := s.reg.Workflow(c.Workflow, c.WorkflowVersion); err == nil {
		name = w.Title
	}
	return title, fmt.Sprintf("该户已有办理中的「%s」（事项 %d）", name, id)
}

// listWarning says, for a case's history, whose list a warning recorded on
// the case came from (ImportList's write), and its file and line. imports
// keeps the imports read for the history so far.
func (s *Service) listWarning(ctx context.Context, e *ent.Event, imports map[int]*ent.ListImport) (title, reason string) {
	const why = "该户已在办理中，未另行发起核实"
	var id, line int
	if _, err := fmt.Sscanf(e.Object, "list_import:%d:%d", &id, &line); err != nil {
		return "部门预警", why
	}
	row, ok := imports[id]
	if !ok {
		var err error
		if row, err = s.client.ListImport.Get(ctx, id); err != nil {
			return "部门预警", fmt.Sprintf("名单第%d行；%s", line, why)
		}
		imports[id] = row
	}
	return "部门预警（" + s.importTitle(row) + "）",
		fmt.Sprintf("%s（%s）第%d行；%s", row.FileName, row.Period, line, why)
}

func toCase(c *ent.Casefile, def *workflows.Definition) workflows.Case {
	out := workflows.Case{ID: c.ID, Workflow: c.Workflow, WorkflowVersion: c.WorkflowVersion,
		WorkflowTitle: def.Title, State: c.State, StateTitle: stateTitle(def, c.State),
		HouseholdID: c.HouseholdID, Locality: c.Locality, Version: c.Version, Final: c.Final,
		Classification: c.Classification,
		EnteredAt:      c.EnteredAt, CreatedAt: c.CreatedAt}
	if h := c.Edges.Household; h != nil {
		out.HouseholdName = h.HeadName
	}
	return out
}

func stateTitle(def *workflows.Definition, state string) string {
	if st, ok := def.States[state]; ok && st.Title != "" {
		return st.Title
	}
	return state
}

// Cases lists the cases of one household.
func (s *Service) Cases(ctx context.Context, actor workflows.User, householdID int) ([]workflows.Case, error) {
	h, err := s.Household(ctx, actor, householdID)
	if err != nil {
		return nil, err
	}
	rows, err := s.client.Casefile.Query().Where(casefile.HouseholdID(h.ID)).Order(ent.Desc(casefile.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list cases of household %d: %w", householdID, err)
	}
	out := make([]workflows.Case, 0, len(rows))
	for _, c := range rows {
		def, err := s.reg.Workflow(c.Workflow, c.WorkflowVersion)
		if err != nil {
			return nil, err
		}
		wc := toCase(c, def)
		wc.HouseholdName = h.HeadName
		out = append(out, wc)
	}
	return out, nil
}

// triggerTitle names a trigger as the definition does; the reserved
// actions have fixed names.
func triggerTitle(def *workflows.Definition, state, trigger string) string {
	switch trigger {
	case workflows.TriggerStart:
		return "发起"
	case workflows.TriggerCompleteTask:
		return "部门核查"
	case workflows.TriggerRecord:
		return "定期记录"
	case workflows.TriggerImportList:
		return "部门预警推送"
	case workflows.TriggerEscalate:
		return "超期提级"
	case workflows.TriggerSchedule:
		return "生成定期任务"
	}
	if st, ok := def.States[state]; ok {
		if t := st.Trigger(trigger); t != nil && t.Title != "" {
			return t.Title
		}
	}
	return trigger
}

// userNames maps the usernames of a case's events to display names in one
// query.
func (s *Service) userNames(ctx context.Context, events []*ent.Event) (map[string]string, error) {
	seen := map[string]bool{}
	var names []string
	for _, e := range events {
		if !seen[e.Actor] {
			seen[e.Actor] = true
			names = append(names, e.Actor)
		}
	}
	users, err := s.client.User.Query().Where(user.UsernameIn(names...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("names of actors: %w", err)
	}
	out := make(map[string]string, len(users))
	for _, u := range users {
		out[u.Username] = u.Name
	}
	return out, nil
}
