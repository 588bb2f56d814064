package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"jianfu/ent/store"
)

// rowsCommit is a second baseline between the raw commit and the durable
// action: one transaction writing the rows an action writes — read the
// case, insert a submission (the 入户核实表 of four), bump the case,
// close its open task, open the next one, append an event — as plain SQL,
// one prepared statement each, with no engine, validation or authorization. The
// raw commit ÷ rows ratio is what the action's row shape costs the
// database; rows ÷ durable is Jianfu's own overhead.
type rowsCommit struct {
	db                                  *sql.DB
	lock, sub, bump, close, open, event *sql.Stmt
	data                                string
	cases                               *clientCases
	writes                              writeLock
}

func newRowsCommit(ctx context.Context, db *store.DB, cases []int, clients int) (*rowsCommit, error) {
	data, err := json.Marshal(sampleVerification(4))
	if err != nil {
		return nil, fmt.Errorf("encode sample submission: %w", err)
	}
	lock := `SELECT id, version, state, locality, locality_path, workflow FROM cases WHERE id = ?`
	if db.Dialect == dialect.Postgres {
		lock += " FOR UPDATE"
	}
	stmts, err := prepare(ctx, db, lock,
		`INSERT INTO submissions (case_id, state, "trigger", form, form_version, data, created_by, created_at)
			VALUES (?, 'verification', 'confirm', 'household_verification', 1, ?, 'bench', ?) RETURNING id`,
		`UPDATE cases SET version = version + 1, entered_at = ?, updated_at = ? WHERE id = ? AND version = ?`,
		`UPDATE tasks SET status = 'done', completed_by = 'bench', completed_at = ?, submission_id = ?
			WHERE case_id = ? AND status = 'open'`,
		`INSERT INTO tasks (case_id, workflow, state, role, department, form, locality, locality_path, due, status,
			completed_by, created_at, escalated_to) VALUES (?, ?, ?, 'village', '', 'deliberation', ?, ?, NULL, 'open', '', ?, '')`,
		`INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
			VALUES (?, 'fire', 'bench', 'village', ?, 'confirm', 'verification', 'deliberation', ?, '', ?)`)
	if err != nil {
		return nil, err
	}
	r := &rowsCommit{db: db.SQL(), data: string(data), cases: newClientCases(cases, clients),
		lock: stmts[0], sub: stmts[1], bump: stmts[2], close: stmts[3], open: stmts[4], event: stmts[5],
		writes: newWriteLock(db)}
	return r, nil
}

func (r *rowsCommit) Close() { closeAll([]*sql.Stmt{r.lock, r.sub, r.bump, r.close, r.open, r.event}) }

// numbered turns ? placeholders into PostgreSQL's $1, $2, …
func numbered(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (r *rowsCommit) commit(ctx context.Context, client int) (err error) {
	id := r.cases.next(client)
	defer r.writes.hold()()
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var (
		version             int
		state, loc, path, w string
		subID               int
	)
	if err := tx.StmtContext(ctx, r.lock).QueryRowContext(ctx, id).Scan(&id, &version, &state, &loc, &path, &w); err != nil {
		return fmt.Errorf("read case %d: %w", id, err)
	}
	now := time.Now()
	if err := tx.StmtContext(ctx, r.sub).QueryRowContext(ctx, id, r.data, now).Scan(&subID); err != nil {
		return fmt.Errorf("insert submission: %w", err)
	}
	steps := []struct {
		what string
		stmt *sql.Stmt
		args []any
	}{
		{"bump case", r.bump, []any{now, now, id, version}},
		{"close tasks", r.close, []any{now, subID, id}},
		{"open task", r.open, []any{id, w, state, loc, path, now}},
		{"append event", r.event, []any{id, loc, subID, now}},
	}
	for _, s := range steps {
		if _, err := tx.StmtContext(ctx, s.stmt).ExecContext(ctx, s.args...); err != nil {
			return fmt.Errorf("%s of case %d: %w", s.what, id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
