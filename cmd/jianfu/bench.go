package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"jianfu/ent/store"
	"jianfu/roles"
	"jianfu/workflows"
)

// defaultPostgres is where `make bench` looks for PostgreSQL; the bench
// creates and drops its own database there.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// benchOptions are the flags of `jianfu bench`.
type benchOptions struct {
	dbs   []string // "sqlite" (a temporary file) or a postgres:// server URL
	scale benchScale
	out   string
	// cpuProfile, when set, is where the run's CPU profile goes.
	cpuProfile string
	// concurrency is the client counts of the durable measurement.
	concurrency []int
	readClients int
}

func bench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseBenchFlags(args, stderr)
	if err != nil {
		return err
	}
	progress := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }
	if opts.cpuProfile != "" {
		stop, err := startCPUProfile(opts.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	rep := &benchReport{Scale: opts.scale, Started: time.Now()}
	for i, dsn := range opts.dbs {
		res, err := benchDatabase(ctx, dsn, opts, i == 0, rep, progress)
		if err != nil {
			return err
		}
		rep.Databases = append(rep.Databases, res)
	}
	rep.Finished = time.Now()
	doc := rep.markdown(machineInfo(), keptNotes(opts.out))
	if opts.out == "" || opts.out == "-" {
		_, err := io.WriteString(stdout, doc)
		return err
	}
	if err := os.WriteFile(opts.out, []byte(doc), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", opts.out, err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", opts.out)
	return nil
}

func parseBenchFlags(args []string, stderr io.Writer) (benchOptions, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "databases, comma-separated: sqlite (a temporary file), sqlite:NEWFILE (kept) and/or a postgres:// server URL; default: sqlite, and PostgreSQL at "+defaultPostgres+" when reachable")
	scale := fs.String("scale", "county", "county (300,000 households), small or tiny")
	out := fs.String("out", "", "write the Markdown report here (default: standard output)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run here (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return benchOptions{}, err
	}
	sc, ok := benchScales[*scale]
	if !ok {
		return benchOptions{}, fmt.Errorf("unknown scale %q: want county, small or tiny", *scale)
	}
	opts := benchOptions{scale: sc, out: *out, cpuProfile: *cpuProfile, concurrency: []int{1, 16}, readClients: 4}
	if *db == "" {
		opts.dbs = []string{"sqlite"}
		if reachable(defaultPostgres) {
			opts.dbs = append(opts.dbs, defaultPostgres)
		}
	} else {
		opts.dbs = strings.Split(*db, ",")
	}
	return opts, nil
}

// startCPUProfile profiles the run into path; the returned func stops it.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// reachable reports whether a TCP connection to the URL's host succeeds.
func reachable(dsn string) bool {
	u, err := url.Parse(dsn)
	if err != nil {
		return false
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "5432")
	}
	conn, err := net.DialTimeout("tcp", host, time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// dbResult is everything measured on one database.
type dbResult struct {
	Name       string // SQLite or PostgreSQL
	Generate   time.Duration
	Households int
	Durable    []durableResult
	Writes     writeVolume
	Reads      []readResult
	Idle, Load memory
	Import     importResult
	List       listResult
}

type importResult struct {
	Rows     int
	Elapsed  time.Duration
	PeakRSS  int64
	StartRSS int64
}

// benchDatabase generates the county into a fresh database and measures
// it. The in-process benchmarks run once, on the first database's service
// (they touch no database).
func benchDatabase(ctx context.Context, dsn string, opts benchOptions, inProcess bool, rep *benchReport, progress func(string, ...any)) (dbResult, error) {
	sc := opts.scale
	target, cleanup, err := scratchDatabase(ctx, dsn)
	if err != nil {
		return dbResult{}, err
	}
	defer cleanup()
	db, err := store.Open(ctx, target)
	if err != nil {
		return dbResult{}, err
	}
	defer db.Close()
	res := dbResult{Name: map[string]string{"sqlite3": "SQLite", "postgres": "PostgreSQL"}[db.Dialect]}
	svc, err := store.NewService(ctx, store.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return res, err
	}
	progress("%s: generating the synthetic county, scale %s (%d households, %d cases, %d tasks, %d events)",
		res.Name, sc.Name, sc.Households, sc.Cases, sc.Tasks, sc.Events)
	start := time.Now()
	reserve := min(64, sc.Cases/2)
	c, err := generateCounty(ctx, db, svc, sc, reserve)
	if err != nil {
		return res, fmt.Errorf("%s: %w", res.Name, err)
	}
	res.Generate, res.Households = time.Since(start), c.Households
	progress("%s: generated in %s", res.Name, res.Generate.Round(time.Second))

	if inProcess {
		if err := rep.runInProcess(ctx, svc, c, progress); err != nil {
			return res, err
		}
	}
	runtime.GC()
	debug.FreeOSMemory()
	if res.Idle, err = readMemory(); err != nil {
		return res, err
	}
	if err := resetPeak(); err != nil {
		return res, err
	}
	load, err := newReadLoad(ctx, svc, readUsers(c))
	if err != nil {
		return res, err
	}
	defer load.Close()
	progress("%s: reads (%d clients)", res.Name, opts.readClients)
	if res.Reads, err = load.measureReads(ctx, c, sc, opts.readClients); err != nil {
		return res, fmt.Errorf("%s: %w", res.Name, err)
	}
	progress("%s: durable actions and raw commits (%v clients)", res.Name, opts.concurrency)
	if res.Durable, err = measureDurable(ctx, db, svc, c, sc, opts.concurrency); err != nil {
		return res, fmt.Errorf("%s: %w", res.Name, err)
	}
	if res.Writes, err = measureWrites(ctx, db, svc, c); err != nil {
		return res, fmt.Errorf("%s: write volume: %w", res.Name, err)
	}
	if res.Load, err = readMemory(); err != nil {
		return res, err
	}
	progress("%s: import of %d households", res.Name, sc.ImportRows)
	if res.Import, err = measureImport(ctx, svc, c, sc); err != nil {
		return res, fmt.Errorf("%s: %w", res.Name, err)
	}
	progress("%s: import of a department list of %d rows", res.Name, sc.ImportRows)
	if res.List, err = measureListImport(ctx, db, svc, sc); err != nil {
		return res, fmt.Errorf("%s: %w", res.Name, err)
	}
	return res, nil
}

// measureImport loads sc.ImportRows new households through
// store.LoadHouseholds, the registry's bulk path, and reads the time and
// the peak RSS of that phase alone.
func measureImport(ctx context.Context, svc *store.Service, c *county, sc benchScale) (importResult, error) {
	runtime.GC()
	debug.FreeOSMemory()
	before, err := readMemory()
	if err != nil {
		return importResult{}, err
	}
	if err := resetPeak(); err != nil {
		return importResult{}, err
	}
	start := time.Now()
	// The rows are built inside the measured phase, as an import parses
	// its file, and numbered after the county's so 身份证号 stay distinct.
	hs := syntheticHouseholds(rand.New(rand.NewPCG(510100, 100_000)), c.Villages, sc.Households, sc.ImportRows)
	admin := workflows.User{Username: "county", Role: roles.County, Locality: benchCounty}
	n, err := svc.LoadHouseholds(ctx, admin, hs)
	if err != nil {
		return importResult{}, fmt.Errorf("import households: %w", err)
	}
	elapsed := time.Since(start)
	after, err := readMemory()
	if err != nil {
		return importResult{}, err
	}
	return importResult{Rows: n, Elapsed: elapsed, PeakRSS: after.Peak, StartRSS: before.RSS}, nil
}

// runInProcess runs the engine and validation benchmarks.
func (r *benchReport) runInProcess(ctx context.Context, svc *store.Service, c *county, progress func(string, ...any)) error {
	walk, err := newFiveSteps(svc, c.Villages[0])
	if err != nil {
		return fmt.Errorf("engine walk: %w", err)
	}
	form, err := svc.Form(ctx, "household_verification", "")
	if err != nil {
		return err
	}
	progress("in-process benchmarks")
	r.Engine = runBenchmark("EngineFiveSteps", walk.benchEngine)
	r.EngineParallel = runBenchmark("EngineFiveStepsParallel", walk.benchEngineParallel)
	r.Validation = runBenchmark("ValidateVerification6", benchValidation(form))
	for _, b := range []benchResult{r.Engine, r.EngineParallel, r.Validation} {
		if b.Result.N == 0 {
			return fmt.Errorf("benchmark %s failed", b.Name)
		}
		progress("%s", b.Line())
	}
	return nil
}

// scratchDatabase returns a fresh database for one run and how to remove
// it: a file in a temporary directory, or a new database on the
// PostgreSQL server of dsn.
func scratchDatabase(ctx context.Context, dsn string) (string, func(), error) {
	if dsn == "sqlite" {
		dir, err := os.MkdirTemp("", "jianfu-bench-")
		if err != nil {
			return "", nil, fmt.Errorf("temporary directory: %w", err)
		}
		return "sqlite:" + filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		// A named file is kept for inspection afterwards; it must be new.
		if _, err := os.Stat(path); err == nil {
			return "", nil, fmt.Errorf("bench database %s exists: the bench needs a new file", path)
		}
		return dsn, func() {}, nil
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return "", nil, fmt.Errorf("bench database %q: want sqlite or a postgres:// server URL", dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", nil, fmt.Errorf("parse postgres URL: %w", err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return "", nil, fmt.Errorf("open postgres: %w", err)
	}
	name := fmt.Sprintf("jianfu_bench_%d", os.Getpid())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path = "/" + name
	drop := func() {
		// The run's context may be cancelled by now; dropping must still
		// happen.
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "bench: drop database %s: %v\n", name, err)
		}
		admin.Close()
	}
	return u.String(), drop, nil
}
