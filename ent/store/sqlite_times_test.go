package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"jianfu/ent/household"
)

// TestOpenNormalizesOldTimes: a database written before times were stored
// as UTC in one layout has its times rewritten once at the next Open, to
// the same instants, and then compares them as times.
func TestOpenNormalizesOldTimes(t *testing.T) {
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	for i, id := range []string{"11010519700307001X", "110105197003070028", "110105197003070036"} {
		if err := db.Client.Household.Create().SetHeadName("欧阳春生").SetIDNumber(id).SetLocality("510100001001").
			SetLocalityPath("51/5101/510100/510100001/510100001001").SetCreatedAt(time.Unix(int64(i), 0)).Exec(ctx); err != nil {
			t.Fatalf("insert household: %v", err)
		}
	}
	// What the driver wrote before: each time's String() in its own zone,
	// with the monotonic reading of a time.Now.
	old := map[int]string{
		1: "2026-03-06 23:59:59 +0800 CST",
		2: "2026-03-06 16:30:00.25 +0000 UTC m=+12.000000001",
		3: "2026-03-06 10:00:00.123456789 -0700 MST",
	}
	for id, text := range old {
		if _, err := db.SQL().ExecContext(ctx, `UPDATE households SET created_at = ? WHERE id = ?`, text, id); err != nil {
			t.Fatalf("write old time: %v", err)
		}
	}
	if _, err := db.SQL().ExecContext(ctx, `PRAGMA user_version = 0`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if db, err = Open(ctx, dsn); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	want := map[int]string{
		1: "2026-03-06 15:59:59+00:00",
		2: "2026-03-06 16:30:00.25+00:00",
		3: "2026-03-06 17:00:00.123456789+00:00",
	}
	for id, w := range want {
		var got string
		if err := db.SQL().QueryRowContext(ctx, `SELECT created_at || '' FROM households WHERE id = ?`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != w {
			t.Errorf("household %d: created_at stored as %q, want %q (was %q)", id, got, w, old[id])
		}
	}
	// Text order is now time order: 15:59:59 < 16:30 < 17:00 UTC.
	ids, err := db.Client.Household.Query().Order(household.ByCreatedAt()).IDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || ids[0] != 1 || ids[1] != 2 || ids[2] != 3 {
		t.Errorf("households by created_at = %v, want [1 2 3]", ids)
	}
	var version int
	if err := db.SQL().QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil || version != sqliteTimesVersion {
		t.Errorf("user_version = %d, %v; want %d", version, err, sqliteTimesVersion)
	}
}
