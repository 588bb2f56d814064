package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestGraph(t *testing.T) {
	tests := []struct {
		name     string
		workflow string
		want     string // in the DOT
	}{
		{"BuiltinByID", "seven_step", `"deliberation" -> "visit"`},
		{"File", filepath.Join("..", "..", "workflows", "defs", "monitoring.yaml"), `"then:risk_elimination"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"graph", "-o", dir, tt.workflow}, &stdout, &stderr)
			id := strings.TrimSuffix(filepath.Base(tt.workflow), ".yaml")
			dot, err := os.ReadFile(filepath.Join(dir, id+".dot"))
			if err != nil {
				t.Fatalf("graph wrote no DOT (exit %d, %s): %v", code, stderr.String(), err)
			}
			if !strings.Contains(string(dot), tt.want) {
				t.Errorf("%s.dot lacks %s", id, tt.want)
			}
			if _, err := exec.LookPath("dot"); err != nil {
				if code == 0 {
					t.Error("graph exited 0 without graphviz, want an error saying the SVG is missing")
				}
				t.Skip("graphviz dot not installed; SVG not checked")
			}
			if code != 0 {
				t.Fatalf("graph exit %d: %s", code, stderr.String())
			}
			svg, err := os.ReadFile(filepath.Join(dir, id+".svg"))
			if err != nil || !bytes.Contains(svg, []byte("<svg")) {
				t.Errorf("%s.svg is not an SVG: %v", id, err)
			}
		})
	}
	t.Run("UnknownWorkflow", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		if code := run(t.Context(), []string{"graph", "-o", t.TempDir(), "nosuch"}, &stdout, &stderr); code != 1 {
			t.Errorf("graph nosuch exit %d, want 1", code)
		}
	})
}
