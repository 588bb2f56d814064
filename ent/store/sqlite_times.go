package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// SQLite has no time type: a time is text, and the statements compare and
// order that text (a task's due date against now, the inbox by due date).
// Text order is time order only if every time is written in one zone and
// one layout, so the DSN writes UTC in SQLite's own layout
// ("2006-01-02 15:04:05.999999999+00:00", _time_format=sqlite and
// _timezone=UTC). Before, the driver wrote each time.Time's String(), in
// the zone it carried: due dates at midnight +08:00 beside the server's
// now in UTC, so a container's scheduler escalated an overdue task up to
// eight hours late.

// sqliteTimesVersion is the PRAGMA user_version from which a database
// holds its times in that form; normalizeSQLiteTimes brings an older one
// there, once.
const sqliteTimesVersion = 1

// sqliteTimesBatch is how many rows one transaction of the rewrite takes.
const sqliteTimesBatch = 5000

// normalizeSQLiteTimes rewrites, in a database from before
// sqliteTimesVersion, every DATETIME column's values that are not yet UTC
// in SQLite's layout. db must be opened with the DSN of open, which reads
// the old layouts and writes the new one. A run cut short is taken up
// again at the next start: rows already rewritten are skipped.
func normalizeSQLiteTimes(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if version >= sqliteTimesVersion {
		return nil
	}
	cols, err := sqliteTimeColumns(ctx, db)
	if err != nil {
		return err
	}
	// A county's database takes about 40 s, once: the log says why the
	// start waits. A new database has nothing to rewrite and says nothing.
	start := time.Now()
	rewritten := 0
	for _, c := range cols {
		n, err := normalizeColumn(ctx, db, c)
		if err != nil {
			return fmt.Errorf("rewrite times of %s.%s: %w", c.table, c.column, err)
		}
		if n > 0 {
			log.Info("stored times rewritten as UTC (once, after an upgrade)", "table", c.table, "column", c.column, "values", n)
		}
		rewritten += n
	}
	if rewritten > 0 {
		log.Info("stored times rewritten", "values", rewritten, "took", time.Since(start).Round(time.Millisecond))
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", sqliteTimesVersion)); err != nil {
		return fmt.Errorf("set user_version: %w", err)
	}
	return nil
}

// timeColumn is one DATETIME column of a table.
type timeColumn struct{ table, column string }

// sqliteTimeColumns lists every DATETIME column, as the schema declares
// them (ent declares every time field so).
func sqliteTimeColumns(ctx context.Context, db *sql.DB) ([]timeColumn, error) {
	rows, err := db.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
	WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND upper(p.type) = 'DATETIME' ORDER BY m.name, p.cid`)
	if err != nil {
		return nil, fmt.Errorf("list time columns: %w", err)
	}
	defer rows.Close()
	var out []timeColumn
	for rows.Next() {
		var c timeColumn
		if err := rows.Scan(&c.table, &c.column); err != nil {
			return nil, fmt.Errorf("list time columns: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// normalizeColumn rewrites one column in batches of rowids and answers
// how many values it rewrote.
func normalizeColumn(ctx context.Context, db *sql.DB, c timeColumn) (int, error) {
	table, column := quoteIdent(c.table), quoteIdent(c.column)
	// Already normalized values end in +00:00 and are left alone.
	pending := fmt.Sprintf(`SELECT rowid, %[2]s FROM %[1]s WHERE rowid > ? AND %[2]s IS NOT NULL
	AND %[2]s NOT LIKE '%%+00:00' ORDER BY rowid LIMIT %[3]d`, table, column, sqliteTimesBatch)
	update := fmt.Sprintf(`UPDATE %s SET %s = ? WHERE rowid = ?`, table, column)
	type value struct {
		rowid int64
		at    time.Time
	}
	var last int64
	n := 0
	for {
		batch := make([]value, 0, sqliteTimesBatch)
		rows, err := db.QueryContext(ctx, pending, last)
		if err != nil {
			return n, err
		}
		for rows.Next() {
			var v value
			var raw any
			if err := rows.Scan(&v.rowid, &raw); err != nil {
				rows.Close()
				return n, err
			}
			at, ok := raw.(time.Time)
			if !ok {
				rows.Close()
				return n, fmt.Errorf("row %d holds %q, which is not a time", v.rowid, raw)
			}
			v.at = at
			batch = append(batch, v)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return n, err
		}
		if len(batch) == 0 {
			return n, nil
		}
		if err := rewriteTimes(ctx, db, update, func(stmt *sql.Stmt) error {
			for _, v := range batch {
				if _, err := stmt.ExecContext(ctx, v.at, v.rowid); err != nil {
					return fmt.Errorf("row %d: %w", v.rowid, err)
				}
			}
			return nil
		}); err != nil {
			return n, err
		}
		last = batch[len(batch)-1].rowid
		n += len(batch)
	}
}

// rewriteTimes runs fn with the prepared update in one transaction.
func rewriteTimes(ctx context.Context, db *sql.DB, update string, fn func(*sql.Stmt) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, update)
	if err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := fn(stmt); err != nil {
		return errors.Join(err, stmt.Close(), tx.Rollback())
	}
	if err := stmt.Close(); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// quoteIdent quotes an SQL identifier read from the schema.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
