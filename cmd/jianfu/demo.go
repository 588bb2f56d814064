package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"jianfu/ent/store"
)

func demo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dsn := fs.String("db", "sqlite:data/jianfu.db", "database: sqlite:PATH or postgres://…")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := store.NewService(ctx, store.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	empty, err := svc.Empty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return fmt.Errorf("database already has users; the demo county seeds only an empty database")
	}
	if err := store.SeedDemo(ctx, svc); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "seeded the demo county 示范县 (510100); every password is: demo")
	return nil
}
