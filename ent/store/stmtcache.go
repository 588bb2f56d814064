package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// maxCachedStmts bounds the statements kept prepared. A transaction's SQL
// is a small, fixed set (an action, a task completion, a publish); the
// bound only keeps texts that vary with their arguments (a bulk insert of
// n rows) from growing the cache without end: past it, statements run
// unprepared as before.
const maxCachedStmts = 256

// maxCachedArgs keeps bulk statements out of the cache: a multi-row INSERT
// has thousands of arguments and a text that varies with its row count,
// and each prepared copy holds a program as long as its argument list. A
// 100,000-row list import filled the cache with them (peak RSS 484 MB)
// and left no room for the statements of actions.
const maxCachedArgs = 64

// stmtDriver is ent's SQL driver whose statements, in transactions or
// not, reuse prepared statements. modernc.org/sqlite parses every
// statement it is given, and parsing was about a fifth of a durable action
// (docs/BENCHMARKS.md) and a third of an inbox page; database/sql keeps a
// prepared statement per pooled connection once asked to. PostgreSQL needs
// none of this: pgx caches prepared statements itself.
type stmtDriver struct {
	*entsql.Driver
	stmts *stmtCache
}

func newStmtDriver(d *entsql.Driver) *stmtDriver {
	return &stmtDriver{Driver: d, stmts: &stmtCache{db: d.DB(), byQuery: map[string]*sql.Stmt{}}}
}

func (d *stmtDriver) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

// Exec, Query and their Context forms serve statements outside a
// transaction (ent's reads, and the store's hand-written ones through
// ent.Client.QueryContext) from the cache.
func (d *stmtDriver) Exec(ctx context.Context, query string, args, v any) error {
	return entsql.Conn{ExecQuerier: cachedDB{d.stmts}}.Exec(ctx, query, args, v)
}

func (d *stmtDriver) Query(ctx context.Context, query string, args, v any) error {
	return entsql.Conn{ExecQuerier: cachedDB{d.stmts}}.Query(ctx, query, args, v)
}

func (d *stmtDriver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return cachedDB{d.stmts}.ExecContext(ctx, query, args...)
}

func (d *stmtDriver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return cachedDB{d.stmts}.QueryContext(ctx, query, args...)
}

func (d *stmtDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := d.DB().BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &entsql.Tx{Conn: entsql.Conn{ExecQuerier: &stmtTx{tx: tx, stmts: d.stmts}}, Tx: tx}, nil
}

// Close closes the prepared statements, then the pool.
func (d *stmtDriver) Close() error {
	d.stmts.close()
	return d.Driver.Close()
}

// stmtCache holds the statements prepared so far, by their text.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	byQuery map[string]*sql.Stmt
}

// get returns the prepared statement for query, preparing it the first
// time; nil for a bulk statement (more than maxCachedArgs arguments), when
// the cache is full or preparing fails (the caller then runs the query
// unprepared, and any error surfaces there).
func (c *stmtCache) get(ctx context.Context, query string, args int) *sql.Stmt {
	if args > maxCachedArgs || !cacheable(query) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.byQuery[query]; ok {
		return s
	}
	if len(c.byQuery) >= maxCachedStmts {
		return nil
	}
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.byQuery[query] = s
	return s
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, s := range c.byQuery {
		s.Close()
		delete(c.byQuery, q)
	}
}

// cacheable reports whether query reads or writes rows. Schema changes and
// pragmas run once per process: kept, they would only take the cache's
// room.
func cacheable(query string) bool {
	q := strings.TrimLeft(query, " \t\n")
	for _, verb := range []string{"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"} {
		if len(q) >= len(verb) && strings.EqualFold(q[:len(verb)], verb) {
			return true
		}
	}
	return false
}

// cachedDB runs statements on the pool through the cache.
type cachedDB struct{ stmts *stmtCache }

func (c cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := c.stmts.get(ctx, query, len(args)); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return c.stmts.db.ExecContext(ctx, query, args...)
}

func (c cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := c.stmts.get(ctx, query, len(args)); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return c.stmts.db.QueryContext(ctx, query, args...)
}

// stmtTx runs a transaction's statements through the cache.
type stmtTx struct {
	tx    *sql.Tx
	stmts *stmtCache
}

func (t *stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmts.get(ctx, query, len(args)); s != nil {
		return t.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *stmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmts.get(ctx, query, len(args)); s != nil {
		return t.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}
