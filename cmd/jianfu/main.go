// Command jianfu is the one binary of Jianfu (监扶): it serves the web
// application and API, lints definitions, and seeds the demo county.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `jianfu — 防止返贫动态监测和帮扶 forms and workflows

Usage:
  jianfu serve [--addr 127.0.0.1:8080] [--db sqlite:data/jianfu.db] [--fake-clock]
  jianfu check [--explain] FILE...  lint form and workflow definitions (exit 1 on problems);
                           --explain shows where each part of an overlay comes from
  jianfu migrate-cases --db … --workflow ID --to N [--from N] [--cases 1,2] [--dry-run]
                           move cases to a newer workflow version, or list what cannot move
  jianfu graph [-o DIR] WORKFLOW   write WORKFLOW.dot and WORKFLOW.svg (built-in id or file)
  jianfu demo [--db …]     seed the demo county into a database
  jianfu bench [--db sqlite,postgres://…] [--scale county|small|tiny] [--out docs/BENCHMARKS.md]
                           generate a synthetic county and measure (see docs/BENCHMARKS.md)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stderr)
	case "check":
		return check(args[1:], stdout, stderr)
	case "graph":
		err = graph(ctx, args[1:], stdout)
	case "migrate-cases":
		err = migrateCases(ctx, args[1:], stdout)
	case "demo":
		err = demo(ctx, args[1:], stdout)
	case "bench":
		err = bench(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "jianfu %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
