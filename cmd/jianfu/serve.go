package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"jianfu/ent/store"
	"jianfu/forms/attachments"
	"jianfu/ui"
)

func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	dsn := fs.String("db", "sqlite:data/jianfu.db", "database: sqlite:PATH or postgres://…")
	fake := fs.Bool("fake-clock", false, "let administrators set the clock (POST /api/v1/admin/clock), for testing holds and deadlines")
	attachDir := fs.String("attachments", "", "directory of uploaded photos and files (default: attachments/ beside the SQLite file, or data/attachments)")
	every := fs.Duration("schedule-every", 10*time.Minute, "how often to create recurring tasks and escalate overdue ones (0: never)")
	refresh := fs.Duration("refresh-every", 10*time.Second, "how often to load the definitions other processes on the same database published (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	app, err := openApp(ctx, *dsn, *attachDir, *fake, log)
	if err != nil {
		return err
	}
	defer app.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: app.Handler, ReadHeaderTimeout: 10 * time.Second}
	log.Info("jianfu serving", "url", "http://"+ln.Addr().String(), "db", app.DBName, "fake_clock", *fake)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if *every > 0 {
		go runScheduler(ctx, app.Service, *every, log)
	}
	if *refresh > 0 {
		go runRefresh(ctx, app.Service, *refresh, log)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// app is a wired Jianfu: database, service and HTTP handler.
type app struct {
	DB      *store.DB
	Service *store.Service
	Handler http.Handler
	DBName  string
	Clock   *fakeClock // nil unless --fake-clock
	// imports counts the list imports the handler runs in the background.
	imports sync.WaitGroup
}

// Close waits a while for list imports still running, then closes the
// database. An import cut off here is marked interrupted at the next start,
// and uploading its list again starts only the rows it had not reached.
func (a *app) Close() error {
	done := make(chan struct{})
	go func() { a.imports.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(importGrace):
	}
	return a.DB.Close()
}

// importGrace is how long a stopping server lets list imports finish.
const importGrace = time.Minute

// openApp opens the database, seeds the demo county into an empty one, and
// builds the handler. Tests use it to run the same wiring as `serve`.
// Attachments are kept under attachDir, or when it is "" beside the
// SQLite file (data/attachments for PostgreSQL).
func openApp(ctx context.Context, dsn, attachDir string, fake bool, log *slog.Logger) (*app, error) {
	db, err := store.Open(ctx, dsn, store.LogTo(log))
	if err != nil {
		return nil, err
	}
	a := &app{DB: db, DBName: db.Dialect}
	now := time.Now
	var setClock func(time.Time) error
	if fake {
		a.Clock = &fakeClock{}
		now, setClock = a.Clock.Now, a.Clock.Set
	}
	a.Service, err = store.NewService(ctx, store.Config{DB: db, Now: now, Logger: log})
	if err != nil {
		db.Close()
		return nil, err
	}
	empty, err := a.Service.Empty(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if empty {
		log.Info("empty database: seeding the demo county 示范县 (every password: demo)")
		if err := store.SeedDemo(ctx, a.Service); err != nil {
			db.Close()
			return nil, fmt.Errorf("seed demo county: %w", err)
		}
	}
	files, err := attachments.NewDisk(attachmentDir(dsn, attachDir))
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Handler = ui.New(ui.Config{Service: a.Service, Logger: log, Now: now, SetClock: setClock, Attachments: files,
		Background: &a.imports})
	return a, nil
}

// attachmentDir is where uploads go: the flag's directory, else
// attachments/ beside the SQLite file so a copy of that directory is a
// whole backup, else data/attachments.
func attachmentDir(dsn, flagDir string) string {
	if flagDir != "" {
		return flagDir
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		path, _, _ = strings.Cut(path, "?")
		return filepath.Join(filepath.Dir(path), "attachments")
	}
	return filepath.Join("data", "attachments")
}

// runScheduler creates the recurring tasks of the current period and
// escalates overdue tasks, at start and then every interval, until ctx ends.
// Schedule is idempotent (unique schedule keys), so several processes on one
// PostgreSQL may run it; electing one leader is on the roadmap.
func runScheduler(ctx context.Context, svc *store.Service, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		created, escalated, err := svc.Schedule(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("scheduler", "err", err)
		case created+escalated > 0:
			log.Info("scheduler", "created", created, "escalated", escalated)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// runRefresh loads, every interval until ctx ends, the definitions that
// other processes on the same PostgreSQL published: without it a process
// would start cases on the version it loaded at start until restarted.
func runRefresh(ctx context.Context, svc *store.Service, every time.Duration, log *slog.Logger) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n, err := svc.Refresh(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("refresh definitions", "err", err)
		case n > 0:
			log.Info("refresh definitions", "added", n)
		}
	}
}
