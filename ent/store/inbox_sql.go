package store

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/roles"
	"jianfu/workflows"
)

// An inbox page is read in ONE statement: the page's ids from the partial
// inbox index, joined by primary key to the task rows, their cases and the
// cases' households, with the count of all the actor's open tasks as a
// scalar subquery on the same index. ent's builders took five statements
// (count, ids, rows, cases, households), and on PostgreSQL each was a
// round trip. Only the page's rows are read: a county liaison has about
// 1,500 open checks to order by due date, and their ids and count come
// from the index (on SQLite from it alone).
//
// The count is a subquery, not count(*) OVER () on the ids' scan: SQLite
// materializes every open task for the window (the ids of a county
// liaison's page took 1.4 ms in the sqlite3 shell, count and ids apart
// 0.3 + 0.45 ms), and on PostgreSQL the count alone is an index-only scan
// where the ids' scan reads the table (the index does not hold id).
//
// As in ent's inbox queries before them, status and the empty department
// are literals: the indexes are partial on those values, and a planner
// uses them only when it sees them (see literal).

// taskColumns are the columns of taskRow.dest, in order: a task as toTask
// reads it, the case's workflow version and household head that it needs
// to be shown, and its warnings: the department warnings recorded on the
// case while it was open, counted on the events' (case_id, at) index (a
// household on monthly lists gathers one a month at most).
const taskColumns = `t.id, t.case_id, t.workflow, t.state, t.role, t.department, t.locality, t.form, t.due,
	t.status, t.completed_by, t.completed_at, t.created_at, t.schedule_key, t.escalated_to,
	c.workflow, c.workflow_version, h.head_name,
	(SELECT count(*) FROM events e WHERE e.case_id = t.case_id AND e.at >= t.created_at
		AND (t.completed_at IS NULL OR e.at <= t.completed_at)
		AND e.kind = '` + workflows.TriggerListWarning + `')`

// taskJoins joins a task t to its case c and the case's household h.
const taskJoins = `JOIN cases c ON c.id = t.case_id JOIN households h ON h.id = c.household_id`

// inboxFilters are the parts of the inbox statements that differ by
// dialect: the filter on the department (?1) of a liaison or on the role
// (?1) of a cadre, the actor's scope of store.under as the range
// ?2 <= locality_path < ?3, and the page, LIMIT ?4 OFFSET ?5.
type inboxFilters struct{ liaison, cadre, under, page string }

var sqliteInbox = inboxFilters{
	liaison: `department = ?1 AND department <> ''`,
	cadre:   `(role = ?1 OR escalated_to = ?1) AND department = ''`,
	under:   `locality_path >= ?2 AND locality_path < ?3`,
	page:    `LIMIT ?4 OFFSET ?5`,
}

// postgresInbox hides every value from the planner in a sub-SELECT. The
// plan is the same whoever asks (the partial index's range, a sort of its
// entries, the page's rows by primary key), but with the values in sight
// PostgreSQL planned the statement anew on every page: a village's custom
// plan looked cheaper than the generic one, so the prepared statement
// never switched, and planning was ~0.4 ms of a ~1 ms page. Hidden, every
// custom plan costs what the generic one does, and after its five trial
// runs on a connection PostgreSQL keeps the generic plan
// (TestInboxPlannedOncePerConnection). The range is written with the
// text_pattern_ops operators, which the index serves for any operand;
// LIKE it serves only with a pattern known when planning.
var postgresInbox = inboxFilters{
	liaison: `department = (SELECT $1::text) AND department <> ''`,
	cadre:   `(SELECT $1::text) IN (role, escalated_to) AND department = ''`,
	under:   `locality_path ~>=~ (SELECT $2::text) AND locality_path ~<~ (SELECT $3::text)`,
	page:    `LIMIT (SELECT $4::bigint) OFFSET (SELECT $5::bigint)`,
}

// inboxStatements are the SQL of one kind of inbox on one dialect.
type inboxStatements struct {
	// page answers a page of rows (taskColumns, then the total), oldest
	// due first, tasks without a time limit last on both dialects (SQLite
	// sorts NULL first, PostgreSQL last, unless told); its last two
	// parameters are LIMIT and OFFSET.
	page string
	// count answers the total alone, for a page past the end, which has
	// no row to carry it.
	count string
}

// statements writes the statements of the inbox filtered by who.
func (f inboxFilters) statements(who string) inboxStatements {
	where := `status = '` + workflows.TaskOpen + `' AND ` + who + ` AND ` + f.under
	count := `SELECT count(*) FROM tasks WHERE ` + where
	return inboxStatements{count: count, page: `SELECT ` + taskColumns + `, (` + count + `)
FROM (SELECT id, due FROM tasks WHERE ` + where + `
	ORDER BY due NULLS LAST, id ` + f.page + `) p
JOIN tasks t ON t.id = p.id ` + taskJoins + `
ORDER BY p.due NULLS LAST, p.id`}
}

// inboxKind picks an inbox's statements: a dialect, and whether the
// actor is a liaison.
type inboxKind struct {
	dialect string
	liaison bool
}

// inboxSQL holds every inbox's statements, written once.
var inboxSQL = map[inboxKind]inboxStatements{
	{dialect.SQLite, true}:    sqliteInbox.statements(sqliteInbox.liaison),
	{dialect.SQLite, false}:   sqliteInbox.statements(sqliteInbox.cadre),
	{dialect.Postgres, true}:  postgresInbox.statements(postgresInbox.liaison),
	{dialect.Postgres, false}: postgresInbox.statements(postgresInbox.cadre),
}

// inboxQuery is the inbox of one actor: a liaison their department's
// tasks in their county, a cadre their role's tasks and those escalated to
// it, under their locality. ok is false for an actor whose locality code
// is broken, who sees nothing.
func inboxQuery(d string, actor workflows.User) (stmts inboxStatements, args []any, ok bool) {
	p, err := roles.Path(actor.Locality)
	if err != nil || p == "" {
		return inboxStatements{}, nil, false
	}
	who := actor.Role
	if actor.Role == roles.Liaison {
		who = actor.Department
	}
	return inboxSQL[inboxKind{d, actor.Role == roles.Liaison}], []any{who, p, pathEnd(p)}, true
}

// inboxPage reads one page of the actor's open tasks and the total of all
// of them in one statement; a page past the end costs a second one, for
// the total.
func (s *Service) inboxPage(ctx context.Context, actor workflows.User, page workflows.Page) ([]taskRow, int, error) {
	stmts, args, ok := inboxQuery(s.db.Dialect, actor)
	if !ok {
		return nil, 0, nil
	}
	rows, err := s.client.QueryContext(ctx, stmts.page, append(args, page.Size, page.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []taskRow
	var total int
	for rows.Next() {
		var r taskRow
		if err := rows.Scan(r.dest(&total)...); err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	if err := rows.Close(); err != nil {
		return nil, 0, err
	}
	if len(out) > 0 || page.Offset() == 0 {
		return out, total, nil
	}
	if total, err = s.countOf(ctx, stmts.count, args); err != nil {
		return nil, 0, fmt.Errorf("count: %w", err)
	}
	return nil, total, nil
}

// countOf runs a statement answering one count (an inbox's, a household
// list's).
func (s *Service) countOf(ctx context.Context, query string, args []any) (int, error) {
	rows, err := s.client.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Close()
}

// taskByIDSQL reads one task with what it needs of its case, per dialect.
var taskByIDSQL = map[string]string{
	dialect.SQLite:   `SELECT ` + taskColumns + ` FROM tasks t ` + taskJoins + ` WHERE t.id = ?1`,
	dialect.Postgres: `SELECT ` + taskColumns + ` FROM tasks t ` + taskJoins + ` WHERE t.id = $1`,
}

// taskByID reads one task and what it needs of its case in one
// statement; ok is false when there is no such task.
func (s *Service) taskByID(ctx context.Context, id int) (r taskRow, ok bool, err error) {
	rows, err := s.client.QueryContext(ctx, taskByIDSQL[s.db.Dialect], id)
	if err != nil {
		return r, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return r, false, rows.Err()
	}
	if err := rows.Scan(r.dest()...); err != nil {
		return r, false, err
	}
	return r, true, rows.Close()
}

// taskRow is a task as a page shows it: the row, the workflow version and
// household head of its case, and its warnings (taskColumns).
type taskRow struct {
	task            ent.Task
	caseWorkflow    string
	workflowVersion int
	head            string
	warnings        int
}

// dest is where rows.Scan puts taskColumns, then the columns after them.
func (r *taskRow) dest(more ...any) []any {
	t := &r.task
	return append([]any{&t.ID, &t.CaseID, &t.Workflow, &t.State, &t.Role, &t.Department, &t.Locality, &t.Form,
		&t.Due, &t.Status, &t.CompletedBy, &t.CompletedAt, &t.CreatedAt, &t.ScheduleKey, &t.EscalatedTo,
		&r.caseWorkflow, &r.workflowVersion, &r.head, &r.warnings}, more...)
}

// shown is the task as the service answers it, its state titled by the
// definition its case runs.
func (s *Service) shown(r *taskRow) (workflows.Task, error) {
	def, err := s.reg.Workflow(r.caseWorkflow, r.workflowVersion)
	if err != nil {
		return workflows.Task{}, err
	}
	t := s.toTask(&r.task, def, r.head)
	t.Warnings = r.warnings
	return t, nil
}
