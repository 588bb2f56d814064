package main

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"

	"jianfu/ent/store"
)

// writeOps is how many operations of each kind the write volume is taken
// over: few enough that SQLite's WAL (auto-checkpointed at 1,000 pages)
// holds all of them, so every page a commit wrote is still counted.
const writeOps = 30

// writeVolume is what one operation writes to the database's log: pages
// of SQLite's WAL, bytes of PostgreSQL's WAL. A commit's cost follows its
// log volume, so this explains the rates: the raw ÷ rows gap is the
// action's row shape, not Jianfu's overhead.
type writeVolume struct {
	Unit               string // "pages" or "bytes"
	Durable, Raw, Rows float64
}

// measureWrites runs writeOps of each kind with one client and reads the
// log's growth around them. It runs after the rate loops, on their cases.
func measureWrites(ctx context.Context, db *store.DB, svc *store.Service, c *county) (writeVolume, error) {
	if len(c.Durable) == 0 || len(c.Others) == 0 {
		return writeVolume{}, fmt.Errorf("write volume needs reserved cases, the county has %d", len(c.Durable))
	}
	raw, err := newRawCommit(ctx, db, c.Others, 1)
	if err != nil {
		return writeVolume{}, err
	}
	defer raw.Close()
	rows, err := newRowsCommit(ctx, db, c.Others, 1)
	if err != nil {
		return writeVolume{}, err
	}
	defer rows.Close()
	cycle := newDurableCycle(svc, c.Durable, 1)
	out := writeVolume{Unit: "bytes"}
	if db.Dialect == dialect.SQLite {
		out.Unit = "pages"
	}
	for _, k := range []struct {
		into *float64
		op   func(context.Context, int) error
	}{{&out.Durable, cycle.fire}, {&out.Raw, raw.commit}, {&out.Rows, rows.commit}} {
		n, err := logGrowth(ctx, db, func() error {
			for range writeOps {
				if err := k.op(ctx, 0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return writeVolume{}, err
		}
		*k.into = float64(n) / writeOps
	}
	return out, nil
}

// logGrowth is how much run adds to the log: on SQLite the WAL is emptied
// first and its frames counted after; on PostgreSQL it is the distance
// between the WAL insert positions (other sessions' writes count too, so
// the bench's database should be the server's only busy one).
func logGrowth(ctx context.Context, db *store.DB, run func() error) (int64, error) {
	if db.Dialect == dialect.SQLite {
		if _, err := db.SQL().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return 0, fmt.Errorf("empty the WAL: %w", err)
		}
		if err := run(); err != nil {
			return 0, err
		}
		var busy, frames, done int64
		if err := db.SQL().QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done); err != nil {
			return 0, fmt.Errorf("count WAL frames: %w", err)
		}
		return frames, nil
	}
	var start string
	if err := db.SQL().QueryRowContext(ctx, "SELECT pg_current_wal_insert_lsn()::text").Scan(&start); err != nil {
		return 0, fmt.Errorf("read WAL position: %w", err)
	}
	if err := run(); err != nil {
		return 0, err
	}
	var n int64
	if err := db.SQL().QueryRowContext(ctx, "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::bigint", start).Scan(&n); err != nil {
		return 0, fmt.Errorf("read WAL position: %w", err)
	}
	return n, nil
}
