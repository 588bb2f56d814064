// Package storetest gives every storage suite its databases: SQLite always,
// PostgreSQL when one is reachable. Only tests import it.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Test databases: every storage suite runs on SQLite always and on
// PostgreSQL when one is reachable. JIANFU_TEST_POSTGRES names the server
// (default postgres://postgres@127.0.0.1:5432/postgres); with
// JIANFU_REQUIRE_POSTGRES=1 (as in CI) an unreachable server fails the test
// instead of skipping it.

// DefaultTestPostgres is the server the suites look for.
const DefaultTestPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// TestDB is one database a suite runs on.
type TestDB struct {
	Name string // "sqlite" or "postgres"
	DSN  string
}

// TestDatabases returns a fresh, empty database per dialect for one test and
// removes it when the test ends.
func TestDatabases(t testing.TB) []TestDB {
	t.Helper()
	dbs := []TestDB{{Name: "sqlite", DSN: "sqlite:" + filepath.Join(t.TempDir(), "jianfu.db")}}
	if dsn, ok := freshPostgres(t); ok {
		dbs = append(dbs, TestDB{Name: "postgres", DSN: dsn})
	}
	return dbs
}

func freshPostgres(t testing.TB) (string, bool) {
	t.Helper()
	admin := os.Getenv("JIANFU_TEST_POSTGRES")
	if admin == "" {
		admin = DefaultTestPostgres
	}
	unreachable := func(err error) (string, bool) {
		msg := fmt.Sprintf("PostgreSQL not reachable (%v): this suite ran on SQLite only; start PostgreSQL or set JIANFU_TEST_POSTGRES to enable", err)
		if os.Getenv("JIANFU_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Log(msg)
		return "", false
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return unreachable(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return unreachable(err)
	}
	raw := make([]byte, 6)
	_, _ = rand.Read(raw)
	name := "jianfu_test_" + hex.EncodeToString(raw)
	create := "CREATE DATABASE " + name
	// JIANFU_TEST_POSTGRES_LOCALE (e.g. zh_CN.UTF-8) creates the database
	// in that collation, as a production server set up in Chinese would
	// be; by default it takes the server's.
	if loc := os.Getenv("JIANFU_TEST_POSTGRES_LOCALE"); loc != "" {
		create += " TEMPLATE template0 LOCALE '" + loc + "'"
	}
	if _, err := db.ExecContext(ctx, create); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse %s: %v", admin, err)
	}
	u.Path = "/" + name
	return u.String(), true
}
