package store

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"jianfu/ent"
	"jianfu/ent/casefile"
	"jianfu/ent/task"
	"jianfu/workflows"
)

// Schedule runs the scheduler once at the service clock's now: it creates
// the recurring tasks of the current period (the monthly visit) for every
// open case in a state with recurring work, and escalates overdue role tasks
// to the level above. It is idempotent: recurring tasks are inserted with a
// unique schedule_key and escalations only touch tasks not yet escalated, so
// running it again, or after a restart, changes nothing more. It returns how
// many tasks it created and escalated.
func (s *Service) Schedule(ctx context.Context) (created, escalated int, err error) {
	now := s.now()
	sch := workflows.Scheduler{Calendar: s.eng().Calendar}
	err = s.inTx(ctx, func(tx *ent.Tx) error {
		rows, err := tx.Casefile.Query().Where(casefile.Final(false)).All(ctx)
		if err != nil {
			return fmt.Errorf("list open cases: %w", err)
		}
		byID := make(map[int]*ent.Casefile, len(rows))
		cases := make([]workflows.ScheduledCase, 0, len(rows))
		for _, c := range rows {
			def, err := s.reg.Workflow(c.Workflow, c.WorkflowVersion)
			if err != nil {
				return err
			}
			byID[c.ID] = c
			cases = append(cases, workflows.ScheduledCase{ID: c.ID, Snapshot: workflows.Snapshot{
				Definition: def, State: c.State, EnteredAt: c.EnteredAt, StartedAt: c.CreatedAt, Locality: c.Locality}})
		}
		if created, err = s.createRecurring(ctx, tx, sch.Due(cases, now), byID); err != nil {
			return err
		}
		escalated, err = s.escalate(ctx, tx, sch)
		return err
	})
	return created, escalated, err
}

// createRecurring inserts the due recurring tasks, skipping those whose key
// exists.
func (s *Service) createRecurring(ctx context.Context, tx *ent.Tx, due []workflows.RecurringTask, cases map[int]*ent.Casefile) (int, error) {
	created := 0
	now := s.now()
	for _, r := range due {
		c := cases[r.CaseID]
		exists, err := tx.Task.Query().Where(task.ScheduleKey(r.Key)).Exist(ctx)
		if err != nil {
			return 0, fmt.Errorf("check scheduled task %s: %w", r.Key, err)
		}
		if exists {
			continue
		}
		// The unique key still guards against a concurrent run.
		err = tx.Task.Create().SetCaseID(c.ID).SetWorkflow(c.Workflow).SetState(r.State).
			SetRole(r.Role).SetForm(r.Form).SetDue(r.Due).SetScheduleKey(r.Key).
			SetLocality(c.Locality).SetLocalityPath(c.LocalityPath).SetCreatedAt(now).
			OnConflict(sql.ConflictColumns(task.FieldScheduleKey), sql.ConflictWhere(sql.NotNull(task.FieldScheduleKey))).
			DoNothing().Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("create scheduled task %s: %w", r.Key, err)
		}
		if err := s.audit(ctx, tx, system, auditEntry{kind: workflows.TriggerSchedule,
			trigger: workflows.TriggerSchedule, locality: c.Locality, from: r.State, to: r.State,
			caseID: &c.ID, object: "schedule:" + r.Key}); err != nil {
			return 0, err
		}
		created++
	}
	return created, nil
}

// escalate hands overdue role tasks not yet escalated to the level above.
func (s *Service) escalate(ctx context.Context, tx *ent.Tx, sch workflows.Scheduler) (int, error) {
	now := s.now()
	rows, err := tx.Task.Query().Where(openTask(), literal(task.FieldDepartment, "=", ""),
		literal(task.FieldEscalatedTo, "=", ""), task.DueLT(now)).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("list overdue tasks: %w", err)
	}
	tasks := make([]workflows.Task, len(rows))
	for i, r := range rows {
		tasks[i] = workflows.Task{ID: r.ID, CaseID: r.CaseID, Role: r.Role, Status: r.Status}
		if r.Due != nil {
			tasks[i].Due = *r.Due
		}
	}
	n := 0
	byID := make(map[int]*ent.Task, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	for _, e := range sch.Escalations(tasks, now) {
		if err := tx.Task.UpdateOneID(e.TaskID).SetEscalatedTo(e.To).Exec(ctx); err != nil {
			return 0, fmt.Errorf("escalate task %d: %w", e.TaskID, err)
		}
		r := byID[e.TaskID]
		if err := s.audit(ctx, tx, system, auditEntry{kind: workflows.TriggerEscalate,
			trigger: workflows.TriggerEscalate, locality: r.Locality, from: r.State, to: r.State,
			caseID: &r.CaseID, object: fmt.Sprintf("task:%d→%s", r.ID, e.To)}); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}
