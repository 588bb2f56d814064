package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestOpenSQLiteIsDurable: every pooled SQLite connection syncs the WAL at
// commit (synchronous=FULL, 2) and keeps the settings the writes rely on.
// With NORMAL (1) a committed action could be lost to a power cut.
func TestOpenSQLiteIsDurable(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "durable.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer db.Close()
	// Hold several connections at once so each is a different one.
	const n = 3
	for i := range n {
		conn, err := db.SQL().Conn(ctx)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		defer conn.Close()
		for _, p := range []struct {
			pragma string
			want   string
		}{
			{"synchronous", "2"},
			{"journal_mode", "wal"},
			{"foreign_keys", "1"},
		} {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil {
				t.Fatalf("connection %d: PRAGMA %s: %v", i, p.pragma, err)
			}
			if got != p.want {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, p.pragma, got, p.want)
			}
		}
	}
}
