package store

import (
	"context"
	"fmt"
	"time"

	"jianfu/ent"
	"jianfu/workflows"
)

// On PostgreSQL a batch of a list's cases goes in as arrays: each table's
// rows are one INSERT … SELECT FROM unnest(…), the same statement for every
// batch, so it is prepared once and PostgreSQL inserts the rows in one
// pass. ent's multi-row INSERTs bind every value separately (13,000
// parameters for 1,000 cases). The cases' and submissions' ids are drawn
// from their sequences first, so the rows that refer to them need no join
// back to what RETURNING gives (whose order is not guaranteed).
const (
	pgNextIDs = `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`

	pgListCases = `INSERT INTO cases (id, workflow, workflow_version, state, household_id, locality, locality_path,
	version, final, outcome, classification, entered_at, created_at, updated_at)
SELECT id, workflow, workflow_version, state, household_id, locality, locality_path, 1, final, outcome, '', $10, $10, $10
FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bool[], $9::text[])
	AS u(id, workflow, workflow_version, state, household_id, locality, locality_path, final, outcome)`

	pgListSubmissions = `INSERT INTO submissions (id, case_id, state, "trigger", form, form_version, data, created_by, created_at)
SELECT id, case_id, '', $4, $5, $6, data::jsonb, $7, $8
FROM unnest($1::bigint[], $2::bigint[], $3::text[]) AS u(id, case_id, data)`

	pgListTasks = `INSERT INTO tasks (case_id, workflow, state, role, department, form, locality, locality_path, due,
	status, completed_by, created_at, escalated_to)
SELECT case_id, workflow, state, role, department, form, locality, locality_path, due, $10, '', $11, ''
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
	AS u(case_id, workflow, state, role, department, form, locality, locality_path, due)`

	pgListEntries = `INSERT INTO list_entries (department, period, id_number, import_id, line, household_id, case_id, created_at)
SELECT $5, $6, id_number, $7, line, household_id, case_id, $8
FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS u(id_number, line, household_id, case_id)`

	pgListEvents = `INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
SELECT case_id, 'start', $5, $6, locality, $7, '', state, submission_id, $8, $9
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS u(case_id, locality, state, submission_id)`
)

// startPostgres is start on PostgreSQL.
func (j *listJob) startPostgres(ctx context.Context, tx *ent.Tx, rows []*listRow, now time.Time) error {
	n := len(rows)
	caseIDs, err := nextIDs(ctx, tx, "cases", n)
	if err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	subIDs, err := nextIDs(ctx, tx, "submissions", n)
	if err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	var (
		households, versions, lines = make([]int64, n), make([]int64, n), make([]int64, n)
		wfs, states, outcomes       = make([]string, n), make([]string, n), make([]string, n)
		localities, paths           = make([]string, n), make([]string, n)
		finals                      = make([]bool, n)
		data, ids                   = make([]string, n), make([]string, n)
		t                           struct {
			cases                                                     []int64
			wfs, states, roles, departments, forms, localities, paths []string
			due                                                       []*time.Time
		}
	)
	for i, lr := range rows {
		b, err := lr.values.AppendJSON(nil)
		if err != nil {
			return fmt.Errorf("encode line %d of list %d: %w", lr.row.Line, j.id, err)
		}
		lr.caseID = int(caseIDs[i])
		households[i], versions[i], lines[i] = int64(lr.h.ID), int64(lr.def.Version), int64(lr.row.Line)
		wfs[i], states[i], outcomes[i] = lr.def.ID, lr.tr.To, lr.tr.Outcome
		localities[i], paths[i], finals[i], data[i], ids[i] = lr.h.Locality, lr.h.LocalityPath, lr.tr.Final, string(b), lr.id
		for _, nt := range lr.tr.NewTasks {
			var due *time.Time
			if !nt.Due.IsZero() {
				d := nt.Due
				due = &d
			}
			t.cases, t.wfs, t.states = append(t.cases, caseIDs[i]), append(t.wfs, lr.def.ID), append(t.states, lr.tr.To)
			t.roles, t.departments, t.forms = append(t.roles, nt.Role), append(t.departments, nt.Department), append(t.forms, nt.Form)
			t.localities, t.paths, t.due = append(t.localities, lr.h.Locality), append(t.paths, lr.h.LocalityPath), append(t.due, due)
		}
	}
	statements := []struct {
		what string
		sql  string
		args []any
	}{
		{"cases", pgListCases, []any{caseIDs, wfs, versions, states, households, localities, paths, finals, outcomes, now}},
		{"rows", pgListSubmissions, []any{subIDs, caseIDs, data, workflows.TriggerImportList, j.form.ID, j.form.Version,
			j.actor.Username, now}},
		{"tasks", pgListTasks, []any{t.cases, t.wfs, t.states, t.roles, t.departments, t.forms, t.localities, t.paths, t.due,
			workflows.TaskOpen, now}},
		{"entries", pgListEntries, []any{ids, lines, households, caseIDs, j.list.Department, j.up.Period, j.id, now}},
		{"events", pgListEvents, []any{caseIDs, localities, states, subIDs, j.actor.Username, j.actor.Role,
			workflows.TriggerImportList, fmt.Sprintf("list_import:%d", j.id), now}},
	}
	for _, st := range statements {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("insert %s of list %d: %w", st.what, j.id, err)
		}
	}
	return nil
}

// nextIDs draws n ids from the sequence of table's id column.
func nextIDs(ctx context.Context, tx *ent.Tx, table string, n int) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, pgNextIDs, table, n)
	if err != nil {
		return nil, fmt.Errorf("draw %d ids of %s: %w", n, table, err)
	}
	defer rows.Close()
	out := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("draw ids of %s: %w", table, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("draw ids of %s: %w", table, err)
	}
	if len(out) != n {
		return nil, fmt.Errorf("draw ids of %s: got %d of %d", table, len(out), n)
	}
	return out, nil
}
