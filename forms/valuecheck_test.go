package forms

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
)

// checkValues are what a condition may see as value or a field: every expression
// form of a field type, edge numbers, and types it was not compiled for.
var checkValues = []any{
	0, 1, -1, 5, 12, 13, 120, 121, 1 << 53, math.MaxInt, math.MinInt,
	0.0, 0.5, -0.01, 12.0, 120.0, 120.01, 1e15, math.Inf(1), math.Inf(-1), math.NaN(),
	"", "0", "a", "张三", "2024-05-01",
	true, false,
	int64(5), int32(5), float32(0.5), []string{"因病"}, nil, map[string]any{},
}

// agree fails t when check gives a known answer the program does not,
// with each of checkValues as value and as the field "x" (the other
// fields hold the values of scope). It returns how many runs check
// answered.
func agree(t *testing.T, src string, prog *vm.Program, check fastCheck, scope map[string]any) int {
	t.Helper()
	var m vm.VM
	answered := 0
	for _, v := range checkValues {
		env := map[string]any{"value": v, "x": v}
		for k, val := range scope {
			env[k] = val
		}
		ok, known := check(v, env)
		if !known {
			continue
		}
		answered++
		want, err := runBool(&m, prog, env)
		want = want && err == nil
		if ok != want {
			t.Errorf("%s with value and x %#v: fast check %v, program %v (err %v)", src, v, ok, want, err)
		}
	}
	return answered
}

func TestFastCheckAgreesWithProgram(t *testing.T) {
	tests := []struct {
		src   string
		value any // the type value and x are compiled as
		fast  bool
	}{
		{"value >= 0", 0, true},
		{"value >= 0 && value <= 120", 0, true},
		{"value >= 1 && value <= 30", 0, true},
		{"value > 0", 0.0, true},
		{"value >= 0.5", 0.0, true},
		{"0 < value", 0, true},
		{"120 >= value and value != 7", 0, true},
		{"value < 0 || value > 10", 0, true},
		{"value < 0 or value == 100", 0.0, true},
		{"!(value == 3)", 0, true},
		{"not (value > 3)", 0.0, true},
		{"value == -5", 0, true},
		{"value == true", false, true},
		{"value != false", false, true},
		{"value == '是'", "", true},
		{"value != ''", "", true},
		{"value == 1", 0.0, true},
		{"x >= 3 && x <= 25", 0, true},
		{"x == '纳入'", "", true},
		{"x in ['技能', '普通', '弱或半']", "", true},
		{"x not in ['C', 'D']", "", true},
		{"x", false, true},
		{"!x || value == false", false, true},
		{"value >= 0 && attended <= invited", 0, true},
		{"value != checker1", "", true},
		{"attended <= n", 0, true},
		{"value >= 'b'", "", false},
		{"len(value) >= 5", "", false},
		{"value in [1, 2]", 0, false},
		{"value % 2 == 0", 0, false},
		{"value == nil", 0, false},
		{"x < params.line", 0.0, false},
		{"$env.x == 1", 0, false},
		{"let y = x; y > 1", 0, false},
		{"all(list, # > 1)", 0, false},
	}
	scope := map[string]any{"attended": 8, "invited": 10, "checker1": "张三", "n": 2.5,
		"params": map[string]any{"line": 7000.0}, "list": []int{1, 2}}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			env := types.Map{"value": types.TypeOf(tt.value), "x": types.TypeOf(tt.value), "attended": types.Int,
				"invited": types.Int, "checker1": types.String, "n": types.TypeOf(0.0),
				"params": types.Map{"line": types.TypeOf(0.0)}, "list": types.Array(types.Int)}
			prog, err := expr.Compile(tt.src, expr.Env(env), expr.AsBool())
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			check := compileFastCheck(prog)
			if (check != nil) != tt.fast {
				t.Fatalf("compileFastCheck(%s) built = %v, want %v", tt.src, check != nil, tt.fast)
			}
			if check == nil {
				return
			}
			if agree(t, tt.src, prog, check, scope) == 0 {
				t.Errorf("%s: the check answered no value, want it to answer the field's own type", tt.src)
			}
			// A field read missing from the scope is left to the program.
			if _, known := check(tt.value, map[string]any{}); known && !strings.Contains(tt.src, "value") {
				t.Errorf("%s answered without its fields in the scope", tt.src)
			}
		})
	}
}

// TestFastCheckBuiltinForms compares every fast check of the built-in
// forms with its program, on scopes of the fields' zero values and of
// sample values.
func TestFastCheckBuiltinForms(t *testing.T) {
	fast := 0
	for file, src := range Builtin() {
		d, err := Parse(file, src)
		if err != nil {
			t.Fatalf("Parse(%s): %v", file, err)
		}
		zero, samples := map[string]any{}, map[string]any{}
		walkFields(d.Fields, func(f *Field) {
			zero[f.Name] = f.zeroExpr()
			samples[f.Name] = f.zeroExpr()
			if len(f.Choices) > 0 && f.Type == TypeSelect {
				samples[f.Name] = f.Choices[len(f.Choices)-1].Value
			}
			if f.Type == TypeBoolean {
				samples[f.Name] = true
			}
		})
		walkFields(d.Fields, func(f *Field) {
			for _, c := range []struct {
				key   string
				prog  *vm.Program
				check fastCheck
			}{{"relevant", f.relevant, f.relevantCheck}, {"required", f.requiredIf, f.requiredCheck},
				{"constraint", f.constraint, f.constraintCheck}} {
				if c.check == nil {
					continue
				}
				fast++
				name := file + " " + f.path + "." + c.key
				if agree(t, name, c.prog, c.check, zero)+agree(t, name, c.prog, c.check, samples) == 0 {
					t.Errorf("%s: the check answered no value", name)
				}
			}
		})
	}
	// The commonest conditions (value >= 0, ranges, a choice among a
	// few) are fast: the walks the benchmarks time depend on it.
	if fast < 20 {
		t.Errorf("%d built-in conditions have a fast check, want at least 20", fast)
	}
}

// TestFastCheckSameValidation validates the same submissions with and
// without the fast checks: the values and errors must be the same.
func TestFastCheckSameValidation(t *testing.T) {
	slow := func(d *Definition) *Definition {
		walkFields(d.Fields, func(f *Field) { f.relevantCheck, f.requiredCheck, f.constraintCheck = nil, nil, nil })
		return d
	}
	forms := []struct {
		name string
		def  func(t *testing.T) *Definition
		in   func() map[string]any
	}{
		{"sample", func(t *testing.T) *Definition { return sampleDefinition(t) }, func() map[string]any {
			return map[string]any{"head_name": "王五", "size": 3, "income": "5000", "agreed": true}
		}},
		{"household_verification", func(t *testing.T) *Definition { return builtin(t, "household_verification") },
			func() map[string]any { return verificationInput(3) }},
	}
	edits := []struct {
		name string
		edit func(in map[string]any)
	}{
		{"AsSent", func(map[string]any) {}},
		{"OutOfRange", func(in map[string]any) {
			in["size"], in["property"], in["agreed"] = 21, -3, false
			if rows, ok := in["members"].([]any); ok {
				rows[0].(map[string]any)["age"] = 130.0
				rows[1].(map[string]any)["work_months"] = 13
			}
		}},
		{"Edges", func(in map[string]any) {
			in["size"], in["wage"], in["property"] = 20, "0", "0.01"
			if rows, ok := in["members"].([]any); ok {
				rows[0].(map[string]any)["age"] = 120.0
				rows[1].(map[string]any)["work_months"] = 0
			}
		}},
	}
	for _, f := range forms {
		for _, e := range edits {
			t.Run(f.name+"/"+e.name, func(t *testing.T) {
				fastIn, slowIn := f.in(), f.in()
				e.edit(fastIn)
				e.edit(slowIn)
				wantVals, wantErrs := slow(f.def(t)).Validate(slowIn, Params{"income_line": 7000})
				gotVals, gotErrs := f.def(t).Validate(fastIn, Params{"income_line": 7000})
				if !reflect.DeepEqual(gotVals, wantVals) {
					t.Errorf("values with fast checks:\n%v\nwithout:\n%v", gotVals, wantVals)
				}
				if !reflect.DeepEqual(gotErrs, wantErrs) {
					t.Errorf("errors with fast checks:\n%v\nwithout:\n%v", gotErrs, wantErrs)
				}
				if e.name == "OutOfRange" && len(wantErrs) == 0 {
					t.Errorf("out-of-range input gave no error; the case checks nothing")
				}
			})
		}
	}
}
