package store

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"jianfu/ent"
	"jianfu/ent/task"
	"jianfu/workflows"
)

// closeTasks ends, in one statement, the open tasks of a case leaving its
// state: the acting role's task is done by the actor (with the submission,
// if any); department checks and scheduled work still open there are no
// longer needed and are cancelled. It replaces a read of the open tasks and
// two UPDATEs (docs/BENCHMARKS.md). The WHERE clause names only case_id and
// status, so both databases use the (case_id, status) index: with
// "schedule_key IS NULL" in it, SQLite walked the unique schedule_key index,
// where nearly every row is NULL.
func (s *Service) closeTasks(ctx context.Context, tx *ent.Tx, caseID int, actor string, subID *int, now time.Time) error {
	// roleTask picks then for the role's own task and otherwise for the rest.
	roleTask := func(then any, otherwise func(*sql.Builder)) sql.Querier {
		return sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("CASE WHEN ").Ident(task.FieldDepartment).WriteString(" = ").Arg("").
				WriteString(" AND ").Ident(task.FieldScheduleKey).WriteString(" IS NULL THEN ").Arg(then).
				WriteString(" ELSE ")
			otherwise(b)
			b.WriteString(" END")
		})
	}
	keep := func(column string) func(*sql.Builder) {
		return func(b *sql.Builder) { b.Ident(column) }
	}
	upd := sql.Dialect(s.db.Dialect).Update(task.Table).
		Set(task.FieldStatus, roleTask(workflows.TaskDone, func(b *sql.Builder) { b.Arg(workflows.TaskCancelled) })).
		Set(task.FieldCompletedBy, roleTask(actor, keep(task.FieldCompletedBy))).
		Set(task.FieldCompletedAt, now)
	if subID != nil {
		upd.Set(task.FieldSubmissionID, roleTask(*subID, keep(task.FieldSubmissionID)))
	}
	query, args := upd.Where(sql.And(sql.EQ(task.FieldCaseID, caseID), sql.EQ(task.FieldStatus, workflows.TaskOpen))).Query()
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("close tasks of case %d: %w", caseID, err)
	}
	return nil
}
