package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

func TestCacheable(t *testing.T) {
	tests := []struct {
		query string
		want  bool
	}{
		{"SELECT 1", true},
		{"  select id FROM tasks", true},
		{"\n\tWITH x AS (SELECT 1) SELECT * FROM x", true},
		{"INSERT INTO t VALUES (?)", true},
		{"update t SET a = 1", true},
		{"DELETE FROM t", true},
		{"CREATE INDEX i ON t (a)", false},
		{"PRAGMA optimize", false},
		{"ALTER TABLE t ADD COLUMN b", false},
		{"SEL", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := cacheable(tt.query); got != tt.want {
			t.Errorf("cacheable(%q) = %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestStmtDriverPreparesOutsideTransactions: a read on the pool is
// prepared once and then reused; schema changes and bulk statements are
// not kept.
func TestStmtDriverPreparesOutsideTransactions(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	drv := newStmtDriver(entsql.OpenDB(dialect.SQLite, db))
	t.Cleanup(func() { drv.Close() })
	if _, err := drv.ExecContext(ctx, "CREATE TABLE t (a INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if n := len(drv.stmts.byQuery); n != 0 {
		t.Fatalf("after CREATE TABLE the cache holds %d statements, want 0", n)
	}
	for i := range 3 {
		if err := drv.Exec(ctx, "INSERT INTO t (a) VALUES (?)", []any{i}, nil); err != nil {
			t.Fatal(err)
		}
		var rows entsql.Rows
		if err := drv.Query(ctx, "SELECT count(*) FROM t WHERE a >= ?", []any{0}, &rows); err != nil {
			t.Fatal(err)
		}
		var n int
		if !rows.Next() || rows.Scan(&n) != nil || n != i+1 {
			t.Fatalf("count after %d inserts = %d, want %d", i+1, n, i+1)
		}
		rows.Close()
	}
	if n := len(drv.stmts.byQuery); n != 2 {
		t.Errorf("after three rounds of one INSERT and one SELECT the cache holds %d statements, want 2", n)
	}
	bulk := "INSERT INTO t (a) VALUES " + strings.TrimSuffix(strings.Repeat("(?), ", maxCachedArgs+1), ", ")
	args := make([]any, maxCachedArgs+1)
	for i := range args {
		args[i] = i
	}
	if _, err := drv.ExecContext(ctx, bulk, args...); err != nil {
		t.Fatal(err)
	}
	if n := len(drv.stmts.byQuery); n != 2 {
		t.Errorf("after a bulk INSERT the cache holds %d statements, want still 2", n)
	}
}
