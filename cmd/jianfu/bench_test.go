package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"jianfu/ent/store"
	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// TestBenchTiny runs `jianfu bench --scale tiny` on SQLite end to end, so
// the generator, the load generator and the report cannot rot.
func TestBenchTiny(t *testing.T) {
	out := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	var stdout, stderr bytes.Buffer
	if code := run(t.Context(), []string{"bench", "--db", "sqlite", "--scale", "tiny", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("jianfu bench exited %d, want 0; stderr:\n%s", code, stderr.String())
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("read report: %v", err)
	}
	doc := string(raw)
	for _, want := range []string{"# Benchmarks", "| SQLite | 1 |", "| SQLite | 16 |", "BenchmarkEngineFiveSteps-",
		"BenchmarkValidateVerification6-", "| SQLite | case-page |", "| SQLite | my-tasks/liaison |", notesMarker} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q; report:\n%s", want, doc)
		}
	}
	t.Run("RoundsReported", func(t *testing.T) {
		// The durable table's rounds cell spans the per-round ratios.
		spread := regexp.MustCompile(`^\d+–\d+ %$`)
		for _, line := range strings.Split(doc, "\n") {
			if !strings.HasPrefix(line, "| SQLite | 1 | ") || !strings.Contains(line, " in ") {
				continue
			}
			cells := strings.Split(strings.Trim(line, "|"), "|")
			if len(cells) != 12 || !spread.MatchString(strings.TrimSpace(cells[9])) {
				t.Errorf("durable row %q: want 12 cells, the tenth the rounds' lowest–highest ratio", line)
			}
			return
		}
		t.Errorf("report has no durable row for SQLite with 1 client")
	})
	t.Run("NotesKept", func(t *testing.T) {
		if got := keptNotes(out); got != "" {
			t.Fatalf("fresh report has notes %q, want none", got)
		}
		notes := "## Profiles\n\nhand-written\n"
		if err := os.WriteFile(out, []byte(doc+notes), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := keptNotes(out); got != notes {
			t.Errorf("keptNotes = %q, want %q", got, notes)
		}
	})
}

func TestBenchFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		ok   bool
	}{
		{"UnknownScale", []string{"--scale", "province"}, false},
		{"ExplicitDatabases", []string{"--db", "sqlite,postgres://h/db", "--scale", "tiny"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := parseBenchFlags(tt.args, io.Discard)
			if (err == nil) != tt.ok {
				t.Fatalf("parseBenchFlags(%v) error = %v, want ok=%v", tt.args, err, tt.ok)
			}
			if tt.ok && len(opts.dbs) != 2 {
				t.Errorf("dbs = %v, want sqlite and the postgres URL", opts.dbs)
			}
		})
	}
}

func TestSyntheticIDsValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for _, id := range []string{sampleID(0), sampleID(5), syntheticID(rng, 1970, 0), syntheticID(rng, 1970, 399_999)} {
		if !forms.ValidIDCard(id) {
			t.Errorf("generated 身份证号 %s fails the check digit", id)
		}
		seen[id] = true
	}
	if len(seen) != 4 {
		t.Errorf("generated %d distinct numbers, want 4", len(seen))
	}
}

// benchService opens a tiny generated county for the Go benchmarks.
func benchService(b *testing.B) (*store.Service, *county) {
	b.Helper()
	_, svc, c := benchDatabaseService(b, "sqlite")
	return svc, c
}

// benchDatabaseService is benchService with its database, for the raw
// commit baseline, on SQLite or on a scratch database of the local
// PostgreSQL server (skipped when none is reachable).
func benchDatabaseService(b *testing.B, dialect string) (*store.DB, *store.Service, *county) {
	b.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
	if dialect == "postgres" {
		if !reachable(defaultPostgres) {
			b.Skip("PostgreSQL is not reachable at " + defaultPostgres)
		}
		target, cleanup, err := scratchDatabase(ctx, defaultPostgres)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(cleanup)
		dsn = target
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc, err := store.NewService(ctx, store.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	c, err := generateCounty(ctx, db, svc, benchScales["tiny"], 4)
	if err != nil {
		b.Fatal(err)
	}
	return db, svc, c
}

func BenchmarkEngineFiveSteps(b *testing.B) {
	svc, c := benchService(b)
	w, err := newFiveSteps(svc, c.Villages[0])
	if err != nil {
		b.Fatal(err)
	}
	w.benchEngine(b)
}

func BenchmarkValidateVerification6(b *testing.B) {
	svc, _ := benchService(b)
	form, err := svc.Form(context.Background(), "household_verification", "")
	if err != nil {
		b.Fatal(err)
	}
	benchValidation(form)(b)
}

// BenchmarkDurableFire is one durable action (Service.Fire with its
// transaction), one client; BenchmarkRawCommit beside it is the database's
// own limit, one transaction of one UPDATE and one INSERT on the same pool.
// Compare the two on the same database and run: the ratio is the figure.
func BenchmarkDurableFire(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			_, svc, c := benchDatabaseService(b, d)
			cycle := newDurableCycle(svc, c.Durable, 1)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := cycle.fire(ctx, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRawCommit(b *testing.B) {
	for _, d := range []string{"sqlite", "postgres"} {
		b.Run(d, func(b *testing.B) {
			db, _, c := benchDatabaseService(b, d)
			ctx := context.Background()
			raw, err := newRawCommit(ctx, db, c.Others, 1)
			if err != nil {
				b.Fatal(err)
			}
			defer raw.Close()
			b.ReportAllocs()
			for b.Loop() {
				if err := raw.commit(ctx, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadHouseholds is the registry import path: 10,000 households
// with members through store.LoadHouseholds per op.
func BenchmarkLoadHouseholds(b *testing.B) {
	svc, c := benchService(b)
	admin := workflows.User{Username: "county", Role: roles.County, Locality: benchCounty}
	rng := rand.New(rand.NewPCG(3, 4))
	next := 1_000_000
	b.ReportAllocs()
	for b.Loop() {
		hs := syntheticHouseholds(rng, c.Villages, next, 10_000)
		next += 10_000
		if _, err := svc.LoadHouseholds(context.Background(), admin, hs); err != nil {
			b.Fatal(err)
		}
	}
}
