package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// check lints definition files: forms first, then workflows against the
// built-in forms and the forms named on the command line. It prints one
// FILE:LINE: path: message per problem and returns 1 when there is any.
func check(files []string, stdout, stderr io.Writer) int {
	explain := false
	if len(files) > 0 && files[0] == "--explain" {
		explain, files = true, files[1:]
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "usage: jianfu check [--explain] FILE...")
		return 2
	}
	cat := checkCatalog{forms: map[string]*forms.Definition{}}
	for name, src := range forms.Builtin() {
		f, err := forms.Parse(name, src)
		if err != nil {
			fmt.Fprintf(stderr, "built-in form %s: %v\n", name, err)
			return 1
		}
		cat.forms[f.ID] = f
	}
	sources := map[string][]byte{}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			return 1
		}
		sources[name] = src
	}
	var problems forms.Problems
	// Forms first: a workflow in the same run may use them.
	for _, name := range files {
		if kindOf(name, sources) != workflows.KindForm {
			continue
		}
		f, err := parseFormFile(name, sources)
		if err != nil {
			problems = append(problems, asProblems(name, err)...)
			continue
		}
		cat.forms[f.ID] = f
		if explain && f.Overlay != nil {
			explainFormOverlay(stdout, f)
		}
	}
	for _, name := range files {
		if kindOf(name, sources) != workflows.KindWorkflow {
			continue
		}
		w, err := parseWorkflowFile(name, sources)
		if err == nil {
			err = w.Compile(cat)
		}
		if err != nil {
			problems = append(problems, asProblems(name, err)...)
			continue
		}
		if explain && w.Overlay != nil {
			explainOverlay(stdout, w)
		}
	}
	for _, name := range files {
		if kindOf(name, sources) != workflows.KindCalendar {
			continue
		}
		if _, err := workflows.ParseCalendar(sources[name]); err != nil {
			problems = append(problems, asProblems(name, err)...)
		}
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p.String())
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}

func asProblems(file string, err error) forms.Problems {
	var ps forms.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return forms.Problems{{File: file, Line: 1, Message: err.Error()}}
}

// checkCatalog is what the linter may refer to without a database.
type checkCatalog struct{ forms map[string]*forms.Definition }

func (c checkCatalog) Form(id string) (*forms.Definition, bool) {
	f, ok := c.forms[id]
	return f, ok
}

func (c checkCatalog) HasRole(name string) bool { return slices.Contains(roles.Names(), name) }

func (c checkCatalog) HasDepartment(id string) bool {
	return slices.ContainsFunc(workflows.Departments(), func(d workflows.Department) bool { return d.ID == id })
}
