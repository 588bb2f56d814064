package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"jianfu/ent/store"
	"jianfu/roles"
	"jianfu/workflows"
)

// migrateCases moves cases to a newer workflow version as the system
// administrator, or with --dry-run prints what would move and why the
// other cases cannot.
func migrateCases(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("migrate-cases", flag.ContinueOnError)
	dsn := fs.String("db", "sqlite:data/jianfu.db", "database: sqlite:PATH or postgres://…")
	workflow := fs.String("workflow", "", "workflow id")
	to := fs.Int("to", 0, "target version")
	from := fs.Int("from", 0, "only cases on this version (0: every older one)")
	cases := fs.String("cases", "", "comma-separated case ids (empty: every open case)")
	dryRun := fs.Bool("dry-run", false, "report only, change nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *workflow == "" || *to < 1 {
		return errors.New("--workflow and --to are required")
	}
	ids, err := parseIDs(*cases)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := store.NewService(ctx, store.Config{DB: db, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	admin := workflows.User{Username: "system", Role: roles.Admin}
	rep, err := svc.MigrateCases(ctx, admin, workflows.Migration{Workflow: *workflow, FromVersion: *from,
		ToVersion: *to, CaseIDs: ids, DryRun: *dryRun})
	if err != nil {
		return err
	}
	printReport(stdout, rep)
	return nil
}

func parseIDs(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var ids []int
	for _, f := range strings.Split(s, ",") {
		id, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || id < 1 {
			return nil, fmt.Errorf("--cases: %q is not a case id", f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func printReport(w io.Writer, rep workflows.MigrationReport) {
	mode := "迁移"
	if rep.DryRun {
		mode = "试迁移（未作更改）"
	}
	fmt.Fprintf(w, "%s %s → 第%d版：%d 件\n", mode, rep.Workflow, rep.ToVersion, len(rep.Cases))
	for _, c := range rep.Cases {
		status := "可迁移"
		switch {
		case c.Migrated:
			status = "已迁移"
		case !c.Mappable:
			status = "不能迁移：" + c.Reason
		}
		fmt.Fprintf(w, "  事项 %d（第%d版，%s）%s\n", c.CaseID, c.FromVersion, c.State, status)
	}
}
