package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jianfu/ent"
	"jianfu/workflows"
)

// On SQLite a batch of a list's cases goes in as hand-written multi-row
// INSERTs: ent's bulk builders keep a mutation per row and field and
// spent more time building than SQLite spent inserting.
// The write lock is held (immediate transaction), so the new ids are the
// tables' highest plus one, onwards: the rows that refer to a case or a
// submission need no RETURNING, whose order SQLite does not promise.

// sqliteMaxVars is SQLite's default limit on bound variables per statement.
const sqliteMaxVars = 32766

// writeSQLite is write on SQLite.
func (j *listJob) writeSQLite(ctx context.Context, tx *ent.Tx, rows []*listRow, warnings []listWarning, now time.Time) error {
	caseID, err := nextRowID(ctx, tx, "cases")
	if err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	subID, err := nextRowID(ctx, tx, "submissions")
	if err != nil {
		return fmt.Errorf("start cases of list %d: %w", j.id, err)
	}
	n, all := len(rows), len(rows)+len(warnings)
	cases := make([][]any, n)
	subs := make([][]any, 0, all)
	entries := make([][]any, 0, all)
	events := make([][]any, 0, all)
	var tasks [][]any
	object := fmt.Sprintf("list_import:%d", j.id)
	for i, lr := range rows {
		data, err := lr.values.AppendJSON(nil)
		if err != nil {
			return fmt.Errorf("encode line %d of list %d: %w", lr.row.Line, j.id, err)
		}
		c, s := caseID+i, subID+len(subs)
		lr.wrote(c)
		cases[i] = []any{c, lr.def.ID, lr.def.Version, lr.tr.To, lr.h.ID, lr.h.Locality, lr.h.LocalityPath, 1,
			lr.tr.Final, lr.tr.Outcome, "", now, now, now}
		subs = append(subs, []any{s, c, "", workflows.TriggerImportList, j.form.ID, j.form.Version, data, j.actor.Username, now})
		entries = append(entries, []any{j.list.Department, j.up.Period, lr.id, j.id, lr.row.Line, lr.h.ID, c, now})
		events = append(events, []any{c, "start", j.actor.Username, j.actor.Role, lr.h.Locality, workflows.TriggerImportList, "",
			lr.tr.To, s, object, now})
		for _, nt := range lr.tr.NewTasks {
			var due *time.Time
			if !nt.Due.IsZero() {
				d := nt.Due
				due = &d
			}
			tasks = append(tasks, []any{c, lr.def.ID, lr.tr.To, nt.Role, nt.Department, nt.Form, lr.h.Locality,
				lr.h.LocalityPath, due, workflows.TaskOpen, "", now, ""})
		}
	}
	for _, w := range warnings {
		data, err := w.values.AppendJSON(nil)
		if err != nil {
			return fmt.Errorf("encode line %d of list %d: %w", w.row.Line, j.id, err)
		}
		s := subID + len(subs)
		subs = append(subs, []any{s, w.c.id, w.c.state, workflows.TriggerListWarning, j.form.ID, j.form.Version, data,
			j.actor.Username, now})
		entries = append(entries, []any{j.list.Department, j.up.Period, w.id, j.id, w.row.Line, w.h.ID, w.c.id, now})
		events = append(events, []any{w.c.id, workflows.TriggerListWarning, j.actor.Username, j.actor.Role, w.c.locality,
			workflows.TriggerListWarning, w.c.state, w.c.state, s, listLineObject(j.id, w.row.Line), now})
	}
	inserts := []struct {
		table, columns string
		rows           [][]any
	}{
		{"cases", `id, workflow, workflow_version, state, household_id, locality, locality_path, version, final, outcome,
	classification, entered_at, created_at, updated_at`, cases},
		{"submissions", `id, case_id, state, "trigger", form, form_version, data, created_by, created_at`, subs},
		{"tasks", `case_id, workflow, state, role, department, form, locality, locality_path, due, status, completed_by,
	created_at, escalated_to`, tasks},
		{"list_entries", `department, period, id_number, import_id, line, household_id, case_id, created_at`, entries},
		{"events", `case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at`, events},
	}
	for _, in := range inserts {
		if err := insertValues(ctx, tx, in.table, in.columns, in.rows); err != nil {
			return fmt.Errorf("list %d: %w", j.id, err)
		}
	}
	return nil
}

// nextRowID is the id the next row of table gets.
func nextRowID(ctx context.Context, tx *ent.Tx, table string) (int, error) {
	rows, err := tx.QueryContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM "+table)
	if err != nil {
		return 0, fmt.Errorf("next id of %s: %w", table, err)
	}
	defer rows.Close()
	var id int
	if rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, fmt.Errorf("next id of %s: %w", table, err)
		}
	}
	return id, rows.Err()
}

// insertValues inserts rows (each with one value per column) as multi-row
// INSERTs within SQLite's limit of bound variables.
func insertValues(ctx context.Context, tx *ent.Tx, table, columns string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := sqliteMaxVars / width
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		var q strings.Builder
		q.WriteString("INSERT INTO " + table + " (" + columns + ") VALUES ")
		args := make([]any, 0, len(chunk)*width)
		for i, r := range chunk {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(tuple)
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", len(chunk), table, err)
		}
	}
	return nil
}
