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
SELECT id, case_id, state, "trigger", $6, $7, data::jsonb, $8, $9
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS u(id, case_id, state, "trigger", data)`

	pgListTasks = `INSERT INTO tasks (case_id, workflow, state, role, department, form, locality, locality_path, due,
	status, completed_by, created_at, escalated_to)
SELECT case_id, workflow, state, role, department, form, locality, locality_path, due, $10, '', $11, ''
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
	AS u(case_id, workflow, state, role, department, form, locality, locality_path, due)`

	pgListEntries = `INSERT INTO list_entries (department, period, id_number, import_id, line, household_id, case_id, created_at)
SELECT $5, $6, id_number, $7, line, household_id, case_id, $8
FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS u(id_number, line, household_id, case_id)`

	pgListEvents = `INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
SELECT case_id, kind, $9, $10, locality, "trigger", from_state, to_state, submission_id, object, $11
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[])
	AS u(case_id, kind, "trigger", locality, from_state, to_state, submission_id, object)`
)

// writePostgres is write on PostgreSQL.
func (j *listJob) writePostgres(ctx context.Context, tx *ent.Tx, rows []*listRow, warnings []listWarning, now time.Time) error {
	n, all := len(rows), len(rows)+len(warnings)
	caseIDs, err := nextIDs(ctx, tx, "cases", n)
	if err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	subIDs, err := nextIDs(ctx, tx, "submissions", all)
	if err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	var (
		households, versions  = make([]int64, n), make([]int64, n)
		wfs, states, outcomes = make([]string, n), make([]string, n), make([]string, n)
		localities, paths     = make([]string, n), make([]string, n)
		finals                = make([]bool, n)
		t                     struct {
			cases                                                     []int64
			wfs, states, roles, departments, forms, localities, paths []string
			due                                                       []*time.Time
		}
		// One entry per row written, started or warned, in that order.
		r struct {
			cases, households, lines                         []int64
			ids, data, subStates, subTriggers                []string
			kinds, triggers, localities, froms, tos, objects []string
		}
	)
	object := fmt.Sprintf("list_import:%d", j.id)
	add := func(lr *listRow, caseID int64, subState, subTrigger, kind, locality, from, to, object string) error {
		b, err := lr.values.AppendJSON(nil)
		if err != nil {
			return fmt.Errorf("encode line %d of list %d: %w", lr.row.Line, j.id, err)
		}
		r.cases, r.households, r.lines = append(r.cases, caseID), append(r.households, int64(lr.h.ID)), append(r.lines, int64(lr.row.Line))
		r.ids, r.data = append(r.ids, lr.id), append(r.data, string(b))
		r.subStates, r.subTriggers = append(r.subStates, subState), append(r.subTriggers, subTrigger)
		r.kinds, r.triggers, r.localities = append(r.kinds, kind), append(r.triggers, subTrigger), append(r.localities, locality)
		r.froms, r.tos, r.objects = append(r.froms, from), append(r.tos, to), append(r.objects, object)
		return nil
	}
	for i, lr := range rows {
		lr.wrote(int(caseIDs[i]))
		households[i], versions[i] = int64(lr.h.ID), int64(lr.def.Version)
		wfs[i], states[i], outcomes[i] = lr.def.ID, lr.tr.To, lr.tr.Outcome
		localities[i], paths[i], finals[i] = lr.h.Locality, lr.h.LocalityPath, lr.tr.Final
		err := add(lr, caseIDs[i], "", workflows.TriggerImportList, "start", lr.h.Locality, "", lr.tr.To, object)
		if err != nil {
			return err
		}
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
	for _, w := range warnings {
		err := add(w.listRow, int64(w.c.id), w.c.state, workflows.TriggerListWarning, workflows.TriggerListWarning,
			w.c.locality, w.c.state, w.c.state, listLineObject(j.id, w.row.Line))
		if err != nil {
			return err
		}
	}
	statements := []struct {
		what string
		sql  string
		args []any
	}{
		{"cases", pgListCases, []any{caseIDs, wfs, versions, states, households, localities, paths, finals, outcomes, now}},
		{"rows", pgListSubmissions, []any{subIDs, r.cases, r.subStates, r.subTriggers, r.data, j.form.ID, j.form.Version,
			j.actor.Username, now}},
		{"tasks", pgListTasks, []any{t.cases, t.wfs, t.states, t.roles, t.departments, t.forms, t.localities, t.paths, t.due,
			workflows.TaskOpen, now}},
		{"entries", pgListEntries, []any{r.ids, r.lines, r.households, r.cases, j.list.Department, j.up.Period, j.id, now}},
		{"events", pgListEvents, []any{r.cases, r.kinds, r.triggers, r.localities, r.froms, r.tos, subIDs, r.objects,
			j.actor.Username, j.actor.Role, now}},
	}
	for _, st := range statements {
		if n == 0 && (st.sql == pgListCases || st.sql == pgListTasks) {
			continue
		}
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
