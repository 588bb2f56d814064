package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"jianfu/ent"
	"jianfu/workflows"
)

// The statements of an action on SQLite, written out so that each is
// prepared once per connection (stmtcache.go) and costs no builder work.
// Values the partial task indexes mention (status open, no department) are
// literals, not parameters: SQLite replans a statement whenever a parameter
// it compared with a partial index's WHERE is bound again, and closing
// tasks through ent's builder (status = ?) was parsed anew on every action.
const (
	sqliteLockCase = `SELECT workflow, workflow_version, state, household_id, locality, locality_path, version,
	final, outcome, classification, entered_at, created_at, updated_at FROM cases WHERE id = ?`
	sqliteInsertSubmission = `INSERT INTO submissions (case_id, state, "trigger", form, form_version, data, created_by, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	// ?6 is the classification; "" keeps the case's.
	sqliteBumpCase = `UPDATE cases SET state = ?3, version = version + 1, final = ?4, outcome = ?5,
	classification = CASE WHEN ?6 = '' THEN classification ELSE ?6 END, entered_at = ?7, updated_at = ?7
	WHERE id = ?1 AND version = ?2`
	// The role's own task is done by the actor with the submission (?4,
	// NULL keeps the column); department checks and scheduled work still
	// open are no longer needed and are cancelled. The WHERE names only
	// case_id and status, for the (case_id, status) index: with
	// "schedule_key IS NULL" in it SQLite walked the unique schedule_key
	// index, where nearly every row is NULL.
	sqliteCloseTasks = `UPDATE tasks SET
	status = CASE WHEN ` + sqliteRoleTask + ` THEN '` + workflows.TaskDone + `' ELSE '` + workflows.TaskCancelled + `' END,
	completed_by = CASE WHEN ` + sqliteRoleTask + ` THEN ?2 ELSE completed_by END, completed_at = ?3,
	submission_id = CASE WHEN ` + sqliteRoleTask + ` THEN ifnull(?4, submission_id) ELSE submission_id END
	WHERE case_id = ?1 AND status = '` + workflows.TaskOpen + `'`
	sqliteRoleTask    = `department = '' AND schedule_key IS NULL`
	sqliteInsertEvent = `INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
	VALUES (?, 'fire', ?, ?, ?, ?, ?, ?, ?, '', ?)`
)

// applySQLite persists one transition on SQLite in at most five prepared
// statements: submission, case version, closing the state's tasks, opening
// the next state's, the audit event — the rows applyPostgres writes in one
// (the suite's FireWritesTheRows pins them on both). SQLite has no
// data-modifying CTEs, but it runs in process: a statement costs its VM,
// not a round trip, and what ent's builders added per statement (building,
// hooks, scanning) was as much again as the rows themselves
// (docs/BENCHMARKS.md). A hand-over (then:) is rare and stays on ent,
// after the event, as on PostgreSQL.
func (s *Service) applySQLite(ctx context.Context, tx *ent.Tx, actor workflows.User, c *ent.Casefile, tr *workflows.Transition, now time.Time) error {
	var subID *int
	if tr.Form != "" {
		id, err := insertSubmissionSQLite(ctx, tx, actor, c.ID, tr, now)
		if err != nil {
			return err
		}
		subID = &id
	}
	if err := bumpCaseSQLite(ctx, tx, c, tr, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, sqliteCloseTasks, c.ID, actor.Username, now, subID); err != nil {
		return fmt.Errorf("close tasks of case %d: %w", c.ID, err)
	}
	if err := openTasksSQLite(ctx, tx, c, tr.To, tr.NewTasks, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, sqliteInsertEvent, c.ID, actor.Username, actor.Role, c.Locality,
		tr.Trigger, tr.From, tr.To, subID, now); err != nil {
		return fmt.Errorf("append audit event fire: %w", err)
	}
	if tr.Then != "" {
		return s.handOver(ctx, tx, actor, c, tr, now)
	}
	return nil
}

// insertSubmissionSQLite stores the action's form data as ent does (JSON
// bytes) and answers its id.
func insertSubmissionSQLite(ctx context.Context, tx *ent.Tx, actor workflows.User, caseID int, tr *workflows.Transition, now time.Time) (int, error) {
	data, err := tr.Values.AppendJSON(nil)
	if err != nil {
		return 0, fmt.Errorf("encode submission of case %d: %w", caseID, err)
	}
	res, err := tx.ExecContext(ctx, sqliteInsertSubmission, caseID, tr.From, tr.Trigger, tr.Form, tr.FormVersion,
		data, actor.Username, now)
	if err != nil {
		return 0, fmt.Errorf("store submission: %w", err)
	}
	// The id is the rowid: LastInsertId costs no result set, where
	// RETURNING would.
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("id of the submission to case %d: %w", caseID, err)
	}
	return int(id), nil
}

// bumpCaseSQLite moves the case to its new state and version, if it is
// still at the version read.
func bumpCaseSQLite(ctx context.Context, tx *ent.Tx, c *ent.Casefile, tr *workflows.Transition, now time.Time) error {
	res, err := tx.ExecContext(ctx, sqliteBumpCase, c.ID, c.Version, tr.To, tr.Final, tr.Outcome, tr.Classification, now)
	if err != nil {
		return fmt.Errorf("update case %d: %w", c.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update case %d: %w", c.ID, err)
	}
	if n != 1 {
		return workflows.Errorf(workflows.Conflict, "该事项已被他人办理，请刷新后重试")
	}
	return nil
}

// openTasksSQLite opens the tasks of the state a case has just entered in
// one INSERT of as many rows, with the columns createTasks sets and the
// schema's defaults for the rest.
func openTasksSQLite(ctx context.Context, tx *ent.Tx, c *ent.Casefile, state string, nts []workflows.NewTask, now time.Time) error {
	if len(nts) == 0 {
		return nil
	}
	query, args := openTasksQuery(c, state, nts, now)
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("create tasks of case %d: %w", c.ID, err)
	}
	return nil
}

// openTasksQuery writes the INSERT of n tasks: ?1–?6 are what the rows
// share, then each row's role, department, form and due date. Its text
// depends only on n, so the statement cache holds one per fan-out size.
func openTasksQuery(c *ent.Casefile, state string, nts []workflows.NewTask, now time.Time) (string, []any) {
	var q strings.Builder
	q.WriteString(`INSERT INTO tasks (case_id, workflow, state, locality, locality_path, created_at, role, department, form, due,
	status, completed_by, escalated_to) VALUES `)
	args := make([]any, 0, 6+4*len(nts))
	args = append(args, c.ID, c.Workflow, state, c.Locality, c.LocalityPath, now)
	param := func(v any) string {
		args = append(args, v)
		return "?" + strconv.Itoa(len(args))
	}
	for i, nt := range nts {
		if i > 0 {
			q.WriteString(", ")
		}
		var due *time.Time
		if !nt.Due.IsZero() {
			due = &nt.Due
		}
		fmt.Fprintf(&q, "(?1, ?2, ?3, ?4, ?5, ?6, %s, %s, %s, %s, '%s', '', '')",
			param(nt.Role), param(nt.Department), param(nt.Form), param(due), workflows.TaskOpen)
	}
	return q.String(), args
}

// lockCaseSQLite reads a case for change. The immediate transaction
// already holds the database's write lock, so this is a plain read, of
// every column: the caller may need any of them (a hand-over reads the
// household and the classification).
func lockCaseSQLite(ctx context.Context, tx *ent.Tx, id int) (*ent.Casefile, error) {
	return readCase(ctx, tx, sqliteLockCase, id)
}

// readCase reads the columns of sqliteLockCase (or postgresReadCase, the
// same list) of case id: written out, because ent's builder cost as much
// as the read itself.
func readCase(ctx context.Context, q queryer, query string, id int) (*ent.Casefile, error) {
	rows, err := q.QueryContext(ctx, query, id)
	if err != nil {
		return nil, fmt.Errorf("load case %d: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("load case %d: %w", id, err)
		}
		return nil, workflows.Errorf(workflows.NotFound, "事项不存在")
	}
	c := &ent.Casefile{ID: id}
	if err := rows.Scan(&c.Workflow, &c.WorkflowVersion, &c.State, &c.HouseholdID, &c.Locality, &c.LocalityPath,
		&c.Version, &c.Final, &c.Outcome, &c.Classification, &c.EnteredAt, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, fmt.Errorf("load case %d: %w", id, err)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("load case %d: %w", id, err)
	}
	return c, nil
}
