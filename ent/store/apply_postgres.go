package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jianfu/ent"
	"jianfu/workflows"
)

// postgresReadCase is sqliteLockCase with PostgreSQL's placeholder.
var postgresReadCase = strings.Replace(sqliteLockCase, "?", "$1", 1)

// queryer is what runs the transition's statement: the pool, where the
// statement is its own transaction, or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// fireAlone is Fire on PostgreSQL in two round trips instead of four:
// read the case, decide in the engine, then write everything in ONE
// statement that is its own transaction (autocommit). The statement writes
// nothing unless the case is still at the version read: every part of it
// hangs on the case's UPDATE … WHERE version = $2, which a concurrent
// action makes match no row. That is the check the locked path makes, so
// one of two racing actions wins and the other gets Conflict, as before.
// The reads are not locked, so a decision may rest on department tasks a
// liaison is just completing; such a task can only become done, which at
// worst refuses an action the caller may repeat, and the write closes only
// what is still open when it runs.
//
// ok is false when the transition needs the transactional path — a
// hand-over (then:) or attachments to link — which Fire then takes from
// the start; refusals and conflicts come back with ok true.
func (s *Service) fireAlone(ctx context.Context, actor workflows.User, caseID int, trigger string, data map[string]any, version int) (out workflows.Fired, ok bool, err error) {
	c, err := readCase(ctx, s.client, postgresReadCase, caseID)
	if err != nil {
		return out, true, err
	}
	tr, now, err := s.decide(ctx, nil, actor, c, trigger, data, version)
	if err != nil {
		return out, true, err
	}
	if tr.Then != "" || len(tr.Values.AttachmentIDs()) > 0 {
		return out, false, nil
	}
	if err := s.writePostgres(ctx, s.client, actor, c, tr, now); err != nil {
		return out, true, err
	}
	return workflows.Fired{CaseID: c.ID, From: tr.From, To: tr.To, Version: c.Version + 1,
		Final: tr.Final, Outcome: tr.Outcome}, true, nil
}

// applyPostgres persists one transition inside a transaction that holds
// the case's row lock (Fire's path for hand-overs and attachments, and
// CompleteTask's): the one statement, then the hand-over on ent.
func (s *Service) applyPostgres(ctx context.Context, tx *ent.Tx, actor workflows.User, c *ent.Casefile, tr *workflows.Transition, now time.Time) error {
	if err := s.writePostgres(ctx, tx, actor, c, tr, now); err != nil {
		return err
	}
	if tr.Then != "" {
		return s.handOver(ctx, tx, actor, c, tr, now)
	}
	return nil
}

// writePostgres writes a transition's rows in ONE statement of
// data-modifying CTEs: case version, submission, closing the state's open
// tasks, opening the next state's and the audit event. Five statements
// would take five round trips, and on PostgreSQL round trips are most of
// an action's time (docs/BENCHMARKS.md). The statements of one WITH see
// the same snapshot, so the new tasks are not among those closed. Every
// part reads upd, so none writes unless the case moved (Conflict).
func (s *Service) writePostgres(ctx context.Context, q queryer, actor workflows.User, c *ent.Casefile, tr *workflows.Transition, now time.Time) error {
	query, args, err := postgresTransition(actor, c, tr, now)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("apply %s to case %d: %w", tr.Trigger, c.ID, err)
	}
	defer rows.Close()
	var n int
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
	return nil
}

// postgresTransition writes the statement of writePostgres and its
// arguments.
func postgresTransition(actor workflows.User, c *ent.Casefile, tr *workflows.Transition, now time.Time) (string, []any, error) {
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
	q.WriteString(`WITH upd AS (UPDATE cases SET state = $3, version = version + 1, final = $4, outcome = $5,
	classification = CASE WHEN $6::text = '' THEN classification ELSE $6::text END, entered_at = $7, updated_at = $7
	WHERE id = $1 AND version = $2 RETURNING id),
`)
	sub := "NULL::bigint"
	if tr.Form != "" {
		data, err := tr.Values.AppendJSON(nil)
		if err != nil {
			return "", nil, fmt.Errorf("encode submission of case %d: %w", c.ID, err)
		}
		fmt.Fprintf(&q, `sub AS (INSERT INTO submissions (case_id, state, "trigger", form, form_version, data, created_by, created_at)
	SELECT $1, $12, $11, %s, %s, %s, $8, $7 FROM upd RETURNING id),
`, arg(tr.Form), arg(tr.FormVersion), arg(string(data)))
		sub = "(SELECT id FROM sub)"
	}
	// The role's own task is done by the actor; department checks and
	// scheduled work still open are no longer needed (closeTasks).
	const roleTask = "department = '' AND schedule_key IS NULL"
	fmt.Fprintf(&q, `closed AS (UPDATE tasks SET status = CASE WHEN %[1]s THEN '%[2]s' ELSE '%[3]s' END,
	completed_by = CASE WHEN %[1]s THEN $8 ELSE completed_by END, completed_at = $7,
	submission_id = CASE WHEN %[1]s THEN %[4]s ELSE submission_id END
	WHERE case_id = $1 AND status = '%[5]s' AND EXISTS (SELECT FROM upd)),
`, roleTask, workflows.TaskDone, workflows.TaskCancelled, sub, workflows.TaskOpen)
	if len(tr.NewTasks) > 0 {
		q.WriteString(`opened AS (INSERT INTO tasks (case_id, workflow, state, role, department, form, locality, locality_path,
	due, status, completed_by, created_at, escalated_to) SELECT * FROM (VALUES `)
		wf, path := arg(c.Workflow), arg(c.LocalityPath)
		for i, nt := range tr.NewTasks {
			if i > 0 {
				q.WriteString(", ")
			}
			var due *time.Time
			if !nt.Due.IsZero() {
				due = &nt.Due
			}
			fmt.Fprintf(&q, "($1, %s, $3, %s::text, %s::text, %s::text, $10, %s, %s::timestamptz, '%s', '', $7, '')",
				wf, arg(nt.Role), arg(nt.Department), arg(nt.Form), path, arg(due), workflows.TaskOpen)
		}
		q.WriteString(") AS v WHERE EXISTS (SELECT FROM upd)),\n")
	}
	fmt.Fprintf(&q, `ev AS (INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
	SELECT $1, 'fire', $8, $9, $10, $11, $12, $3, %s, '', $7 FROM upd)
SELECT count(*) FROM upd`, sub)
	return q.String(), args, nil
}
