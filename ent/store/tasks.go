package store

import (
	"context"
	"fmt"

	entsql "entgo.io/ent/dialect/sql"

	"jianfu/ent"
	"jianfu/ent/predicate"
	"jianfu/ent/submission"
	"jianfu/ent/task"
	"jianfu/roles"
	"jianfu/workflows"
)

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

// Tasks lists one page of the actor's open tasks, oldest due first. Row
// visibility is part of the query (inboxQuery), not an authorizer call
// per row.
func (s *Service) Tasks(ctx context.Context, actor workflows.User, page workflows.Page) (workflows.TaskPage, error) {
	page = page.Normal()
	out := workflows.TaskPage{Page: page}
	rows, total, err := s.inboxPage(ctx, actor, page)
	if err != nil {
		return out, fmt.Errorf("list tasks of %s: %w", actor.Username, err)
	}
	out.Total = total
	if len(rows) == 0 {
		return out, nil
	}
	out.Tasks = make([]workflows.Task, len(rows))
	for i := range rows {
		if out.Tasks[i], err = s.shown(&rows[i]); err != nil {
			return workflows.TaskPage{Page: page}, err
		}
	}
	return out, nil
}

func (s *Service) toTask(t *ent.Task, def *workflows.Definition, head string) workflows.Task {
	out := workflows.Task{ID: t.ID, CaseID: t.CaseID, Workflow: t.Workflow, WorkflowTitle: def.Title, State: t.State,
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
	r, ok, err := s.taskByID(ctx, id)
	if err != nil {
		return workflows.Task{}, fmt.Errorf("load task %d: %w", id, err)
	}
	if !ok {
		return workflows.Task{}, workflows.Errorf(workflows.NotFound, "任务不存在")
	}
	if !s.auth.MaySee(actor.Username, r.task.Locality) {
		return workflows.Task{}, forbidden()
	}
	if actor.Role == roles.Liaison && r.task.Department != actor.Department {
		return workflows.Task{}, forbidden()
	}
	out, err := s.shown(&r)
	if err != nil {
		return workflows.Task{}, err
	}
	// The same questions CompleteTask's engine asks, without the case.
	t := &r.task
	switch {
	case t.ScheduleKey != nil:
		out.MayComplete = s.auth.MayFire(actor.Username, t.Workflow, t.State, workflows.TriggerRecord, t.Locality)
	case t.Department != "":
		out.MayComplete = s.auth.MayCompleteTask(actor.Username, t.Workflow, t.State, t.Department, t.Locality)
	}
	return out, nil
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
			SetData(done.Values.Map()).SetCreatedBy(actor.Username).SetCreatedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("store submission: %w", err)
		}
		if err := linkAttachments(ctx, tx, actor, c.ID, done.Values.AttachmentIDs(), now); err != nil {
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
	if _, err := s.visibleCase(ctx, actor, caseID); err != nil {
		return nil, err
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
