package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"jianfu/forms"
	"jianfu/workflows"
)

// graph writes the state diagram of one workflow as DOT and SVG: WORKFLOW is
// a built-in id (identification) or a definition file. The SVG is rendered
// by Graphviz's dot, which must be on PATH (Debian: apt-get install graphviz).
func graph(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", ".", "directory to write WORKFLOW.dot and WORKFLOW.svg to")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w\nusage: jianfu graph [-o DIR] WORKFLOW", err)
	}
	if fs.NArg() != 1 {
		return errors.New("usage: jianfu graph [-o DIR] WORKFLOW")
	}
	def, err := loadGraphWorkflow(fs.Arg(0))
	if err != nil {
		return err
	}
	dot := []byte(def.DOT())
	base := filepath.Join(*out, def.ID)
	if err := os.WriteFile(base+".dot", dot, 0o644); err != nil {
		return fmt.Errorf("write %s.dot: %w", base, err)
	}
	svg, err := renderSVG(ctx, dot)
	if err != nil {
		return fmt.Errorf("%s.dot written, SVG not: %w", base, err)
	}
	if err := os.WriteFile(base+".svg", svg, 0o644); err != nil {
		return fmt.Errorf("write %s.svg: %w", base, err)
	}
	fmt.Fprintf(stdout, "%s.dot\n%s.svg\n", base, base)
	return nil
}

// loadGraphWorkflow parses and compiles a built-in workflow by id, or a file
// when name is a path, against the built-in forms: the graph shows hold
// lengths computed from params, which needs a compiled definition.
func loadGraphWorkflow(name string) (*workflows.Definition, error) {
	file, src := name, []byte(nil)
	for f, s := range workflows.Builtin() {
		if strings.TrimSuffix(f, ".yaml") == name {
			file, src = f, s
		}
	}
	if src == nil {
		var err error
		if src, err = os.ReadFile(name); err != nil {
			return nil, fmt.Errorf("%s is neither a built-in workflow nor a readable file: %w", name, err)
		}
	}
	cat := checkCatalog{forms: map[string]*forms.Definition{}}
	for f, s := range forms.Builtin() {
		if fd, err := forms.Parse(f, s); err == nil {
			cat.forms[fd.ID] = fd
		}
	}
	def, err := workflows.Parse(file, src)
	if err == nil {
		err = def.Compile(cat)
	}
	if err != nil {
		return nil, fmt.Errorf("workflow %s:\n%w", name, err)
	}
	return def, nil
}

// renderSVG runs Graphviz's dot. A diagram of a few dozen states renders in
// milliseconds; the timeout only guards against a hung process.
func renderSVG(ctx context.Context, dot []byte) ([]byte, error) {
	path, err := exec.LookPath("dot")
	if err != nil {
		return nil, errors.New("graphviz dot not found on PATH (apt-get install graphviz)")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-Tsvg")
	cmd.Stdin = bytes.NewReader(dot)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	svg, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("dot -Tsvg: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return svg, nil
}
