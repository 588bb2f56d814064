// Package store implements the case-work services of package workflows on
// the ent client: every mutation is one database transaction with an
// optimistic version check and one audit event. It runs on SQLite (the
// embedded default, through modernc.org/sqlite, no cgo) and PostgreSQL
// (through pgx), on one code path. It must never import package ui.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"jianfu/ent"
	"jianfu/ent/migrate"
)

// DB is an open database with its ent client.
type DB struct {
	Client  *ent.Client
	Dialect string // dialect.SQLite or dialect.Postgres
	sql     *sql.DB
	// writes queues this process's SQLite write transactions. SQLite has
	// one writer at a time, and a writer that finds the lock taken sleeps
	// and polls (busy_timeout): with 16 concurrent actions some waited
	// past the 10 s timeout (SQLITE_BUSY) and throughput halved
	// (docs/BENCHMARKS.md). A mutex hands the lock over in order instead.
	writes sync.Mutex
}

// OpenOption configures Open.
type OpenOption func(*openConfig)

type openConfig struct{ log *slog.Logger }

// LogTo has Open report long upgrades of an existing database (such as
// the one-time rewrite of SQLite's times) to log; by default it is quiet.
func LogTo(log *slog.Logger) OpenOption {
	return func(c *openConfig) { c.log = log }
}

// Open connects to "sqlite:PATH" or a postgres:// URL and brings the schema
// up to date.
func Open(ctx context.Context, dsn string, opts ...OpenOption) (*DB, error) {
	cfg := openConfig{log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	db, err := open(dsn)
	if err != nil {
		return nil, err
	}
	// Indexes the schema no longer declares are dropped: a replaced index
	// left behind would still be written on every action.
	if err := db.Client.Schema.Create(ctx, migrate.WithDropIndex(true)); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate schema: %w", err)
	}
	if err := fillIDReversed(ctx, db.Client); err != nil {
		db.Close()
		return nil, err
	}
	if db.Dialect == dialect.SQLite {
		if err := normalizeSQLiteTimes(ctx, db.sql, cfg.log); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

func open(dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, fmt.Errorf("open %q: empty sqlite path", dsn)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create database directory: %w", err)
			}
		}
		// Every pooled connection needs the pragmas, so they go in the DSN.
		// _txlock=immediate takes the write lock at BEGIN: a deferred
		// transaction that later upgrades can fail with SQLITE_BUSY at once,
		// which busy_timeout does not cover. synchronous(FULL) syncs the WAL
		// at every commit: with NORMAL a committed action (an approval, a
		// sign-off) can be lost to a power cut, and PostgreSQL, the other
		// store, does not lose it either. It costs a write about one
		// fdatasync (0.2–0.7 ms on the machines measured, docs/BENCHMARKS.md).
		// _time_format and _timezone store every time as UTC text in one
		// layout, so that text order is time order (sqlite_times.go).
		q := "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_txlock=immediate&_time_format=sqlite&_timezone=UTC"
		sdb, err := sql.Open("sqlite", "file:"+path+"?"+q)
		if err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
		// database/sql keeps 2 idle connections unless told: in a burst of
		// more concurrent requests, the connections returned past two were
		// closed, and their successors opened the file, ran the pragmas,
		// parsed the schema and prepared their statements again.
		sdb.SetMaxIdleConns(sqliteIdleConns)
		return &DB{Client: ent.NewClient(ent.Driver(newStmtDriver(entsql.OpenDB(dialect.SQLite, sdb)))), Dialect: dialect.SQLite, sql: sdb}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		pdb, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pdb.SetMaxOpenConns(32)
		pdb.SetMaxIdleConns(32)
		return &DB{Client: ent.NewClient(ent.Driver(entsql.OpenDB(dialect.Postgres, pdb))), Dialect: dialect.Postgres, sql: pdb}, nil
	default:
		return nil, fmt.Errorf("unknown database %q: want sqlite:PATH or postgres://…", redactDSN(dsn))
	}
}

// sqliteIdleConns is how many SQLite connections stay open between
// requests: enough for a busy server's concurrent reads; each holds its
// own page cache (2 MB at most by default) and prepared statements.
const sqliteIdleConns = 8

// lockWrites serializes write transactions on SQLite and returns the
// unlock; PostgreSQL locks rows itself and needs nothing.
func (db *DB) lockWrites() func() {
	if db.Dialect != dialect.SQLite {
		return func() {}
	}
	db.writes.Lock()
	return db.writes.Unlock
}

// SQL returns the underlying pool, for benchmarks of the raw commit rate.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close closes the client and the pool.
func (db *DB) Close() error { return db.Client.Close() }

// redactDSN drops a password from a URL-shaped DSN before it is shown.
func redactDSN(dsn string) string {
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return dsn
	}
	return dsn[:scheme+3] + "…" + dsn[at:]
}
