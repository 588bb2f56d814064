package store

import (
	"context"
	"fmt"
	"slices"

	entsql "entgo.io/ent/dialect/sql"

	"jianfu/ent"
	"jianfu/ent/casefile"
	"jianfu/ent/household"
	"jianfu/ent/predicate"
	"jianfu/ent/submission"
	"jianfu/ent/task"
	"jianfu/roles"
	"jianfu/workflows"
)

// inbox is the SQL predicate for the tasks a user works: a liaison their
// department's tasks in their county, a cadre their role's tasks under their
// locality. Row visibility is a query, not an authorizer call per row.
func inbox(d string, actor workflows.User) predicate.Task {
	below := under[predicate.Task](d, task.FieldLocalityPath, actor)
	if actor.Role == roles.Liaison {
		return task.And(task.Department(actor.Department), literal(task.FieldDepartment, "<>", ""), below)
	}
	// An overdue task escalated to the level above shows in its inbox too.
	return task.And(task.Or(task.Role(actor.Role), task.EscalatedTo(actor.Role)), literal(task.FieldDepartment, "=", ""), below)
}

// openTask matches open tasks.
func openTask() predicate.Task { return literal(task.FieldStatus, "=", workflows.TaskOpen) }

// literal compares a task column with a constant written into the SQL, not
// bound. The inbox indexes are partial (WHERE status = 'open' AND
// department = ” or <> ”), and a planner can use them only when it sees
// the values: with parameters SQLite prepared the statement again on every
// binding, and PostgreSQL's generic plans cannot use them at all. value is
// one of this package's constants, never input.
func literal(column, op, value string) predicate.Task {
	return predicate.Task(func(s *entsql.Selector) {
		s.Where(entsql.ExprP(s.C(column) + " " + op + " '" + value + "'"))
	})
}

// Tasks lists one page of the actor's open tasks, oldest due first.
func (s *Service) Tasks(ctx context.Context, actor workflows.User, page workflows.Page) (workflows.TaskPage, error) {
	page = page.Normal()
	out := workflows.TaskPage{Page: page}
	open := s.client.Task.Query().Where(openTask(), inbox(s.db.Dialect, actor))
	total, err := open.Clone().Count(ctx)
	if err != nil {
		return out, fmt.Errorf("count tasks of %s: %w", actor.Username, err)
	}
	out.Total = total
	if page.Offset() >= total {
		return out, nil
	}
	// The page's ids come from the partial inbox index alone (a county
	// liaison has about 1,500 open checks to order by due date); only the
	// page's rows are read. Tasks without a time limit come last on both
	// dialects: SQLite sorts NULL first, PostgreSQL last, unless told.
	ids, err := open.Order(task.ByDue(entsql.OrderNullsLast()), task.ByID()).
		Offset(page.Offset()).Limit(page.Size).Select(task.FieldID).Ints(ctx)
	if err != nil {
		return out, fmt.Errorf("list tasks of %s: %w", actor.Username, err)
	}
	rows, err := s.client.Task.Query().Where(task.IDIn(ids...)).All(ctx)
	if err != nil {
		return out, fmt.Errorf("list tasks of %s: %w", actor.Username, err)
	}
	at := make(map[int]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	slices.SortFunc(rows, func(a, b *ent.Task) int { return at[a.ID] - at[b.ID] })
	refs, err := s.caseRefs(ctx, rows)
	if err != nil {
		return out, err
	}
	out.Tasks = make([]workflows.Task, 0, len(rows))
	for _, t := range rows {
		ref := refs[t.CaseID]
		def, err := s.reg.Workflow(ref.workflow, ref.version)
		if err != nil {
			return out, err
		}
		out.Tasks = append(out.Tasks, s.toTask(t, def, ref.head))
	}
	return out, nil
}

// caseRef is what a task row needs of its case to be shown.
type caseRef struct {
	head     string
	workflow string
	version  int
}

// caseRefs loads the cases of a page of tasks in one query rather than one
// per task.
func (s *Service) caseRefs(ctx context.Context, rows []*ent.Task) (map[int]caseRef, error) {
	ids := make([]int, 0, len(rows))
	for _, t := range rows {
		ids = append(ids, t.CaseID)
	}
	cases, err := s.client.Casefile.Query().Where(casefile.IDIn(ids...)).
		WithHousehold(func(q *ent.HouseholdQuery) { q.Select(household.FieldHeadName) }).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("cases of tasks: %w", err)
	}
	out := make(map[int]caseRef, len(cases))
	for _, c := range cases {
		ref := caseRef{workflow: c.Workflow, version: c.WorkflowVersion}
		if c.Edges.Household != nil {
			ref.head = c.Edges.Household.HeadName
		}
		out[c.ID] = ref
	}
	return out, nil
}

func (s *Service) toTask(t *ent.Task, def *workflows.Definition, head string) workflows.Task {
	out := workflows.Task{ID: t.ID, CaseID: t.CaseID, Workflow: t.Workflow, State: t.State,
		StateTitle: stateTitle(def, t.State), Role: t.Role, Department: t.Department,
		Locality: t.Locality, Form: t.Form, Status: t.Status, CompletedBy: t.CompletedBy,
		Household: head, CreatedAt: t.CreatedAt, Recurring: t.ScheduleKey != nil, EscalatedTo: t.EscalatedTo}
	if t.Due != nil {
		out.Due = *t.Due
	}
	if t.CompletedAt != nil {
		out.CompletedAt = *t.CompletedAt
	}
	return out
}

// Task returns one task the actor may see.
func (s *Service) Task(ctx context.Context, actor workflows.User, id int) (workflows.Task, error) {
	t, err := s.client.Task.Query().Where(task.ID(id)).Only(ctx)
	if ent.IsNotFound(err) {
		return workflows.Task{}, workflows.Errorf(workflows.NotFound, "任务不存在")
	}
	if err != nil {
		return workflows.Task{}, fmt.Errorf("load task %d: %w", id, err)
	}
	if !s.auth.MaySee(actor.Username, t.Locality) {
		return workflows.Task{}, forbidden()
	}
	if actor.Role == roles.Liaison && t.Department != actor.Department {
		return workflows.Task{}, forbidden()
	}
	refs, err := s.caseRefs(ctx, []*ent.Task{t})
	if err != nil {
		return workflows.Task{}, err
	}
	ref := refs[t.CaseID]
	def, err := s.reg.Workflow(ref.workflow, ref.version)
	if err != nil {
		return workflows.Task{}, err
	}
	return s.toTask(t, def, ref.head), nil
}

// CompleteTask completes a department task with its form data.
func (s *Service) CompleteTask(ctx context.Context, actor workflows.User, taskID int, data map[string]any) (workflows.Task, error) {
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		t, err := tx.Task.Query().Where(task.ID(taskID)).Only(ctx)
		if ent.IsNotFound(err) {
			return workflows.Errorf(workflows.NotFound, "任务不存在")
		}
		if err != nil {
			return fmt.Errorf("load task %d: %w", taskID, err)
		}
		recurring := t.ScheduleKey != nil
		if t.Department == "" && !recurring {
			return workflows.Errorf(workflows.Conflict, "该任务随环节办理，请在事项页面操作")
		}
		c, err := s.lockCase(ctx, tx, t.CaseID)
		if err != nil {
			return err
		}
		snap, err := s.snapshot(ctx, tx, c)
		if err != nil {
			return err
		}
		// Authorization and validation come first: a refused request
		// must not learn more than that it is refused.
		var done *workflows.TaskCompletion
		if recurring {
			done, err = s.eng().CompleteRecurring(ctx, snap, actor, data, s.now())
		} else {
			done, err = s.eng().CompleteTask(ctx, snap, actor, t.Department, data, s.now())
		}
		if err != nil {
			return err
		}
		if t.Status != workflows.TaskOpen || t.State != c.State {
			return workflows.Errorf(workflows.Conflict, "该任务已办结或已撤销")
		}
		now := s.now()
		trigger := workflows.TriggerCompleteTask
		if recurring {
			trigger = workflows.TriggerRecord
		}
		sub, err := tx.Submission.Create().SetCaseID(c.ID).SetTaskID(t.ID).SetState(t.State).
			SetTrigger(trigger).SetForm(done.Form).SetFormVersion(done.FormVersion).
			SetData(done.Values).SetCreatedBy(actor.Username).SetCreatedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("store submission: %w", err)
		}
		if err := linkAttachments(ctx, tx, c.ID, done.Values, now); err != nil {
			return err
		}
		n, err := tx.Task.Update().Where(task.ID(t.ID), task.Status(workflows.TaskOpen)).
			SetStatus(workflows.TaskDone).SetCompletedBy(actor.Username).SetCompletedAt(now).
			SetSubmissionID(sub.ID).Save(ctx)
		if err != nil {
			return fmt.Errorf("complete task %d: %w", t.ID, err)
		}
		if n != 1 {
			return workflows.Errorf(workflows.Conflict, "该任务已办结或已撤销")
		}
		return s.audit(ctx, tx, actor, auditEntry{kind: "complete_task", locality: c.Locality,
			trigger: trigger, from: c.State, to: c.State, caseID: &c.ID, submissionID: &sub.ID,
			object: fmt.Sprintf("task:%d", t.ID)})
	})
	if err != nil {
		return workflows.Task{}, err
	}
	return s.Task(ctx, actor, taskID)
}

// Submissions lists the submissions of a case, newest first.
func (s *Service) Submissions(ctx context.Context, actor workflows.User, caseID int) ([]workflows.Submission, error) {
	c, err := s.client.Casefile.Query().Where(casefile.ID(caseID)).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, workflows.Errorf(workflows.NotFound, "事项不存在")
	}
	if err != nil {
		return nil, fmt.Errorf("load case %d: %w", caseID, err)
	}
	if !s.auth.MaySee(actor.Username, c.Locality) {
		return nil, forbidden()
	}
	rows, err := s.client.Submission.Query().Where(submission.CaseID(caseID)).Order(ent.Desc(submission.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list submissions of case %d: %w", caseID, err)
	}
	out := make([]workflows.Submission, len(rows))
	for i, r := range rows {
		out[i] = workflows.Submission{ID: r.ID, CaseID: r.CaseID, Form: r.Form, FormVersion: r.FormVersion,
			Data: r.Data, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
		if r.TaskID != nil {
			out[i].TaskID = *r.TaskID
		}
	}
	return out, nil
}
