package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jianfu/ent"
	"jianfu/workflows"
)

// applyPostgres persists one transition in ONE statement of data-modifying
// CTEs: submission, case version, closing the state's open tasks, opening
// the next state's and the audit event. Five statements would take five
// round trips, and on PostgreSQL round trips are most of an action's time
// (docs/BENCHMARKS.md). The statements of one WITH see the same snapshot,
// so the new tasks are not among those closed. A hand-over (then:) is rare
// and stays on the ent path after it.
func (s *Service) applyPostgres(ctx context.Context, tx *ent.Tx, actor workflows.User, c *ent.Casefile, tr *workflows.Transition, now time.Time) error {
	var q strings.Builder
	args := []any{c.ID, c.Version, tr.To, tr.Final, tr.Outcome, tr.Classification, now,
		actor.Username, actor.Role, c.Locality, tr.Trigger, tr.From}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// $1 case, $2 version read, $3 to, $4 final, $5 outcome,
	// $6 classification ("" keeps it), $7 now, $8 actor, $9 role,
	// $10 locality, $11 trigger, $12 from.
	sub := "NULL::bigint"
	q.WriteString("WITH ")
	if tr.Form != "" {
		data, err := json.Marshal(tr.Values)
		if err != nil {
			return fmt.Errorf("encode submission of case %d: %w", c.ID, err)
		}
		fmt.Fprintf(&q, `sub AS (INSERT INTO submissions (case_id, state, "trigger", form, form_version, data, created_by, created_at)
	VALUES ($1, $12, $11, %s, %s, %s, $8, $7) RETURNING id),
`, arg(tr.Form), arg(tr.FormVersion), arg(string(data)))
		sub = "(SELECT id FROM sub)"
	}
	// The role's own task is done by the actor; department checks and
	// scheduled work still open are no longer needed (closeTasks).
	const roleTask = "department = '' AND schedule_key IS NULL"
	fmt.Fprintf(&q, `upd AS (UPDATE cases SET state = $3, version = version + 1, final = $4, outcome = $5,
	classification = CASE WHEN $6::text = '' THEN classification ELSE $6::text END, entered_at = $7, updated_at = $7
	WHERE id = $1 AND version = $2 RETURNING id),
closed AS (UPDATE tasks SET status = CASE WHEN %[1]s THEN '%[2]s' ELSE '%[3]s' END,
	completed_by = CASE WHEN %[1]s THEN $8 ELSE completed_by END, completed_at = $7,
	submission_id = CASE WHEN %[1]s THEN %[4]s ELSE submission_id END
	WHERE case_id = $1 AND status = '%[5]s'),
`, roleTask, workflows.TaskDone, workflows.TaskCancelled, sub, workflows.TaskOpen)
	if len(tr.NewTasks) > 0 {
		q.WriteString(`opened AS (INSERT INTO tasks (case_id, workflow, state, role, department, form, locality, locality_path,
	due, status, completed_by, created_at, escalated_to) VALUES `)
		wf, path := arg(c.Workflow), arg(c.LocalityPath)
		for i, nt := range tr.NewTasks {
			if i > 0 {
				q.WriteString(", ")
			}
			var due *time.Time
			if !nt.Due.IsZero() {
				due = &nt.Due
			}
			fmt.Fprintf(&q, "($1, %s, $3, %s, %s, %s, $10, %s, %s::timestamptz, '%s', '', $7, '')",
				wf, arg(nt.Role), arg(nt.Department), arg(nt.Form), path, arg(due), workflows.TaskOpen)
		}
		q.WriteString("),\n")
	}
	fmt.Fprintf(&q, `ev AS (INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
	VALUES ($1, 'fire', $8, $9, $10, $11, $12, $3, %s, '', $7))
SELECT count(*) FROM upd`, sub)
	var n int
	rows, err := tx.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return fmt.Errorf("apply %s to case %d: %w", tr.Trigger, c.ID, err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return fmt.Errorf("apply %s to case %d: %w", tr.Trigger, c.ID, err)
		}
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("apply %s to case %d: %w", tr.Trigger, c.ID, err)
	}
	if n != 1 {
		return workflows.Errorf(workflows.Conflict, "该事项已被他人办理，请刷新后重试")
	}
	if tr.Then != "" {
		return s.handOver(ctx, tx, actor, c, tr, now)
	}
	return nil
}
