package forms

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/expr-lang/expr"
)

func TestEnv(t *testing.T) {
	d := sampleDefinition(t)
	values, errs := d.Validate(validSample(), nil)
	if errs != nil {
		t.Fatalf("sample invalid: %v", errs)
	}
	stored := jsonShape(values)
	for name, vals := range map[string]map[string]any{"Normalized": values, "AfterJSONStorage": stored} {
		t.Run(name, func(t *testing.T) {
			env := d.Env(vals, Params{"income_line": 7000.0})
			checks := map[string]any{
				"income":      12000.0,    // fen → yuan
				"size":        2,          // int64 → int
				"per_capita":  6000.0,     // calculated, yuan
				"note":        "",         // empty text → ""
				"risks":       []string{}, // empty multiselect → []
				"agreed":      true,       // bool
				"grade_note":  "",         // dropped → zero
				"repair_cost": 0.0,        // dropped money → 0
			}
			for k, want := range checks {
				if got := env[k]; !reflect.DeepEqual(got, want) {
					t.Errorf("env[%s] = %#v, want %#v", k, got, want)
				}
			}
			rows, ok := env["members"].([]map[string]any)
			if !ok || len(rows) != 2 {
				t.Fatalf("env[members] = %#v, want 2 rows", env["members"])
			}
			if rows[0]["income"] != 3000.0 || rows[0]["age"] != 75 || rows[1]["job"] != "" || rows[1]["remark"] != "" {
				t.Errorf("row envs = %#v, want income yuan, age int, empty text as \"\"", rows)
			}
			params := env["params"].(map[string]any)
			if params["income_line"] != 7000 || params["adult_age"] != 18 {
				t.Errorf("params = %#v, want income_line 7000 (int, as declared) over the default and adult_age 18", params)
			}
		})
	}
}

func TestTypeEnvCompilesGuards(t *testing.T) {
	src := Builtin()["deliberation_record.yaml"]
	d, err := Parse("deliberation_record.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	const quorum = "attended*3 >= invited*2 && yes*2 > attended"
	tests := []struct {
		name, guard string
		wantErr     string
	}{
		{"QuorumGuard", quorum, ""},
		{"MistypedGuard", "invited > '10'", "mismatched types"},
		{"UnknownField", "present > 1", "unknown name present"},
		{"UnknownParam", "params.notice_days > 1", "unknown field notice_days"},
		{"GivenParam", "params.quorum > 0.5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := expr.Compile(tt.guard, expr.Env(d.TypeEnv(Params{"quorum": 0.66})), expr.AsBool())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("compile %q: %v, want no error", tt.guard, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("compile %q: error %v, want one containing %q", tt.guard, err, tt.wantErr)
			}
		})
	}
	t.Run("QuorumRunsOnEnv", func(t *testing.T) {
		prog, err := expr.Compile(quorum, expr.Env(d.TypeEnv(nil)), expr.AsBool())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			invited, attended, yes float64
			want                   bool
		}{{30, 20, 11, true}, {30, 19, 19, false}, {30, 20, 10, false}} {
			values, errs := d.Validate(map[string]any{"meeting_type": "村民代表会议", "date": "2025-03-01",
				"invited": c.invited, "attended": c.attended, "yes": c.yes, "outcome": "通过", "recorder": "王"}, nil)
			if errs != nil {
				t.Fatalf("record invalid: %v", errs)
			}
			got, err := expr.Run(prog, d.Env(values, nil))
			if err != nil || got != c.want {
				t.Errorf("quorum with invited %v attended %v yes %v = %v (%v), want %v", c.invited, c.attended, c.yes, got, err, c.want)
			}
		}
	})
}

// jsonShape turns normalized values into what they are after a JSON round
// trip through storage: numbers float64, lists []any.
func jsonShape(values map[string]any) map[string]any {
	out := make(map[string]any, len(values))
	for k, v := range values {
		switch x := v.(type) {
		case int64:
			out[k] = float64(x)
		case []string:
			list := make([]any, len(x))
			for i, s := range x {
				list[i] = s
			}
			out[k] = list
		case []map[string]any:
			list := make([]any, len(x))
			for i, row := range x {
				list[i] = jsonShape(row)
			}
			out[k] = list
		default:
			out[k] = v
		}
	}
	return out
}

// TestEnvOf checks that a program gives the same answer on EnvOf with the
// names it reads as on Env, and that EnvOf holds nothing else.
func TestEnvOf(t *testing.T) {
	d := sampleDefinition(t)
	values, errs := d.Validate(validSample(), nil)
	if errs != nil {
		t.Fatalf("sample invalid: %v", errs)
	}
	params := Params{"income_line": 7000.0}
	tests := []struct {
		name, src string
		want      []string // the keys of EnvOf
	}{
		{"Fields", "income > 100 && agreed", []string{"agreed", "income"}},
		{"Params", "per_capita < params.income_line", []string{"params", "per_capita"}},
		{"Rows", "len(members) == 2 && members[0].income == 3000", []string{"members"}},
		{"NoField", "1 + 1 == 2", []string{}},
		{"Whole", "$env.income > 100", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := expr.Compile(tt.src, expr.Env(d.TypeEnv(params)), expr.AsBool())
			if err != nil {
				t.Fatal(err)
			}
			full := d.Env(values, params)
			env := d.EnvOf(values, params, NamesRead(prog))
			want, err := expr.Run(prog, full)
			if err != nil {
				t.Fatal(err)
			}
			got, err := expr.Run(prog, env)
			if err != nil || got != want || want != true {
				t.Errorf("on EnvOf %q gives %v, %v; on Env %v (want true on both)", tt.src, got, err, want)
			}
			if tt.want == nil {
				if len(env) != len(full) {
					t.Errorf("EnvOf for $env has %d names, want all %d", len(env), len(full))
				}
				return
			}
			keys := slices.Sorted(maps.Keys(env))
			if !slices.Equal(keys, tt.want) {
				t.Errorf("EnvOf keys = %v, want %v", keys, tt.want)
			}
		})
	}
}
