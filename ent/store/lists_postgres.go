package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"jianfu/ent"
	"jianfu/workflows"
)

// listStartPostgres writes a batch of a list's cases in ONE statement: the
// rows travel as arrays (unnest), so the statement is the same for every
// batch, prepared once, and PostgreSQL inserts each table's rows in one
// pass. ent's multi-row INSERTs bind every value separately (13,000
// parameters for 1,000 cases) and took 40–200 ms per table and batch; the
// 100,000-row list then missed its 20 s (docs/BENCHMARKS.md).
//
// Rows are joined back to their case by household: a batch starts at most
// one case per household (listJob.households), so household_id identifies
// a row's case without relying on the order RETURNING gives.
const listStartPostgres = `WITH u AS (
	SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bool[],
		$8::text[], $9::text[], $10::text[], $11::bigint[])
		AS u(household_id, workflow, workflow_version, state, locality, locality_path, final, outcome, data, id_number, line)),
c AS (INSERT INTO cases (workflow, workflow_version, state, household_id, locality, locality_path, version, final,
		outcome, classification, entered_at, created_at, updated_at)
	SELECT workflow, workflow_version, state, household_id, locality, locality_path, 1, final, outcome, '', $12, $12, $12
	FROM u RETURNING id, household_id),
s AS (INSERT INTO submissions (case_id, state, "trigger", form, form_version, data, created_by, created_at)
	SELECT c.id, '', $13, $14, $15, u.data::jsonb, $16, $12 FROM u JOIN c USING (household_id)
	RETURNING id, case_id),
t AS (INSERT INTO tasks (case_id, workflow, state, role, department, form, locality, locality_path, due, status,
		completed_by, created_at, escalated_to)
	SELECT c.id, u.workflow, u.state, nt.role, nt.department, nt.form, u.locality, u.locality_path, nt.due, $17, '', $12, ''
	FROM unnest($18::bigint[], $19::text[], $20::text[], $21::text[], $22::timestamptz[])
		AS nt(household_id, role, department, form, due)
	JOIN u USING (household_id) JOIN c USING (household_id)),
e AS (INSERT INTO list_entries (department, period, id_number, import_id, line, household_id, case_id, created_at)
	SELECT $23, $24, u.id_number, $25, u.line, u.household_id, c.id, $12 FROM u JOIN c USING (household_id)),
ev AS (INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
	SELECT c.id, 'start', $16, $26, u.locality, $13, '', u.state, s.id, $27, $12
	FROM u JOIN c USING (household_id) JOIN s ON s.case_id = c.id)
SELECT count(*) FROM c`

// startPostgres is start on PostgreSQL.
func (j *listJob) startPostgres(ctx context.Context, tx *ent.Tx, rows []*listRow, now time.Time) error {
	n := len(rows)
	var (
		households, versions, lines          = make([]int64, n), make([]int64, n), make([]int64, n)
		wfs, states, localities, paths, outs = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		finals                               = make([]bool, n)
		data, ids                            = make([]string, n), make([]string, n)
		tHouseholds                          []int64
		tRoles, tDepartments, tForms         []string
		tDue                                 []*time.Time
	)
	for i, lr := range rows {
		b, err := json.Marshal(lr.values)
		if err != nil {
			return fmt.Errorf("encode line %d of list %d: %w", lr.row.Line, j.id, err)
		}
		households[i], versions[i], lines[i] = int64(lr.h.ID), int64(lr.def.Version), int64(lr.row.Line)
		wfs[i], states[i], localities[i], paths[i], outs[i] = lr.def.ID, lr.tr.To, lr.h.Locality, lr.h.LocalityPath, lr.tr.Outcome
		finals[i], data[i], ids[i] = lr.tr.Final, string(b), lr.id
		for _, nt := range lr.tr.NewTasks {
			tHouseholds = append(tHouseholds, int64(lr.h.ID))
			tRoles, tDepartments, tForms = append(tRoles, nt.Role), append(tDepartments, nt.Department), append(tForms, nt.Form)
			var due *time.Time
			if !nt.Due.IsZero() {
				d := nt.Due
				due = &d
			}
			tDue = append(tDue, due)
		}
	}
	res, err := tx.QueryContext(ctx, listStartPostgres, households, wfs, versions, states, localities, paths, finals,
		outs, data, ids, lines, now, workflows.TriggerImportList, j.form.ID, j.form.Version, j.actor.Username,
		workflows.TaskOpen, tHouseholds, tRoles, tDepartments, tForms, tDue, j.list.Department, j.up.Period, j.id,
		j.actor.Role, fmt.Sprintf("list_import:%d", j.id))
	if err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	defer res.Close()
	var started int
	if res.Next() {
		if err := res.Scan(&started); err != nil {
			return fmt.Errorf("start cases of list %d: %w", j.id, err)
		}
	}
	if err := res.Close(); err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	if started != n {
		return fmt.Errorf("start cases of list %d: %d of %d started", j.id, started, n)
	}
	return nil
}
