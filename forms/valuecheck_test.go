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
// fields hold the values of scope). record lays the program's environment
// out as the record check reads; s holds the params it reads. It returns
// how many runs check answered.
func agree(t *testing.T, src string, prog *vm.Program, check fastCheck, scope map[string]any,
	record func(env map[string]any) *record, s *scratch) int {
	t.Helper()
	var m vm.VM
	answered := 0
	for _, v := range checkValues {
		env := map[string]any{"value": v, "x": v}
		for k, val := range scope {
			env[k] = val
		}
		ok, known := check(v, record(env), s)
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
		{"x < params.line", 0.0, true},
		{"value >= 0 && yes + no <= attended", 0, true},
		{"x * 3 >= attended * 2", 0, true},
		{"x / 2 > n", 0, true},
		{"len(tags) == 2 && x < 3", 0, true},
		{"(tags == nil ? 0 : len(tags)) < x", 0, true},
		{"(x > 1 ? x / 4 : n) <= 1", 0.0, true},
		{"value % 2 == 0 || x > 1", 0, false},
		{"$env.x == 1", 0, false},
		{"let y = x; y > 1", 0, false},
		{"all(list, # > 1)", 0, false},
	}
	scope := map[string]any{"attended": 8, "invited": 10, "yes": 6, "no": 1, "checker1": "张三", "n": 2.5,
		"params": map[string]any{"line": 7000.0}, "list": []int{1, 2}, "tags": []string{"因病", "因学"}}
	fr := newFrame("x", "attended", "invited", "yes", "no", "checker1", "n", "params", "list", "tags")
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			env := types.Map{"value": types.TypeOf(tt.value), "x": types.TypeOf(tt.value), "attended": types.Int,
				"invited": types.Int, "yes": types.Int, "no": types.Int, "checker1": types.String, "n": types.TypeOf(0.0),
				"params": types.Map{"line": types.TypeOf(0.0)}, "list": types.Array(types.Int),
				"tags": types.TypeOf([]string{})}
			prog, err := expr.Compile(tt.src, expr.Env(env), expr.AsBool())
			if err != nil {
				t.Fatalf("compile: %v", err)
			}
			check := compileFastCheck(prog, fr.resolve)
			if (check != nil) != tt.fast {
				t.Fatalf("compileFastCheck(%s) built = %v, want %v", tt.src, check != nil, tt.fast)
			}
			if check == nil {
				return
			}
			if agree(t, tt.src, prog, check, scope, fr.record, &scratch{params: scope["params"]}) == 0 {
				t.Errorf("%s: the check answered no value, want it to answer the field's own type", tt.src)
			}
			// A field read missing from the scope is left to the program.
			if _, known := check(tt.value, fr.record(map[string]any{}), nil); known && !strings.Contains(tt.src, "value") {
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
		// Programs see the declared params, as the scratch gives them.
		s := d.acquire()
		zero := map[string]any{"params": map[string]any(d.Params)}
		samples := map[string]any{"params": map[string]any(d.Params)}
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
			lv := d.top
			if len(f.parents) > 0 {
				lv = f.parents[len(f.parents)-1].rows
			}
			record := func(env map[string]any) *record { return levelRecord(lv, env) }
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
				if agree(t, name, c.prog, c.check, zero, record, s)+agree(t, name, c.prog, c.check, samples, record, s) == 0 {
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

// frame lays named values out as the slots of one record, the way a level
// lays out its fields, for checks compiled from bare expressions.
type frame struct{ slots map[string]int }

func newFrame(names ...string) frame {
	fr := frame{slots: make(map[string]int, len(names))}
	for i, n := range names {
		fr.slots[n] = i
	}
	return fr
}

func (fr frame) resolve(name string) (slotRef, bool) {
	slot, ok := fr.slots[name]
	return slotRef{slot: slot}, ok
}

// record holds env's values of the frame's names; the rest are missing.
func (fr frame) record(env map[string]any) *record {
	r := &record{env: make([]any, len(fr.slots))}
	for n, i := range fr.slots {
		r.env[i] = env[n]
	}
	return r
}

// levelRecord is a record of lv, below records of the enclosing levels,
// each holding env's value of each of its fields by name.
func levelRecord(lv *level, env map[string]any) *record {
	if lv == nil {
		return nil
	}
	r := &record{lv: lv, env: make([]any, len(lv.fields)), parent: levelRecord(lv.parent, env)}
	for i, f := range lv.fields {
		r.env[i] = env[f.Name]
	}
	return r
}

// TestFastCheckSameValidation validates the same submissions with and
// without the fast checks: the values and errors must be the same.
func TestFastCheckSameValidation(t *testing.T) {
	slow := func(d *Definition) *Definition {
		walkFields(d.Fields, func(f *Field) {
			f.relevantCheck, f.requiredCheck, f.constraintCheck, f.calculateFast = nil, nil, nil, nil
		})
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
		{"deliberation_record", func(t *testing.T) *Definition { return builtin(t, "deliberation_record") },
			func() map[string]any {
				return map[string]any{"meeting_type": "村民代表会议", "date": "2026-09-28", "place": "村委会",
					"invited": 10, "attended": 8, "yes": 6, "no": 1, "abstain": 0, "outcome": "通过", "recorder": "张明"}
			}},
	}
	edits := []struct {
		name string
		edit func(in map[string]any)
	}{
		{"AsSent", func(map[string]any) {}},
		{"OutOfRange", func(in map[string]any) {
			in["size"], in["property"], in["agreed"], in["abstain"] = 21, -3, false, 2
			if rows, ok := in["members"].([]any); ok {
				rows[0].(map[string]any)["age"] = 130.0
				rows[1].(map[string]any)["work_months"] = 13
			}
		}},
		{"Edges", func(in map[string]any) {
			in["size"], in["wage"], in["property"], in["abstain"] = 20, "0", "0.01", 1
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

// TestFastNumberAgreesWithProgram computes numeric expressions in Go and on
// the machine over edge values of each operand: the fast form must give
// the very number the program gives (an int where it gives an int), and no
// answer where the program fails or an operand has another type.
// fastNumberExprs are numeric calculations of the shapes the fast form
// knows, over fields a, b (float), i, j (int), rows (a repeat), tags (a
// multiselect) and params.line.
var fastNumberExprs = []string{
	"a + b - a * 2",
	"a * 3 - i",
	"i * j + 1 - j",
	"i / j",
	"a / i",
	"rows == nil || len(rows) == 0 ? 0 : a / len(rows)",
	"i > 2 ? i : a",
	"params.line - a * i",
	"len(tags) * 2",
}

// fastNumberCase is one compiled calculation and its fast form.
type fastNumberCase struct {
	src  string
	prog *vm.Program
	fast fastNumber
}

func compileFastNumbers(t testing.TB) (frame, []fastNumberCase) {
	t.Helper()
	fr := newFrame("a", "b", "i", "j", "rows", "tags")
	typed := types.Map{"a": types.Float64, "b": types.Float64, "i": types.Int, "j": types.Int,
		"rows": types.Array(types.Map{}), "tags": types.TypeOf([]string{}), "params": types.Map{"line": types.Float64}}
	var out []fastNumberCase
	for _, src := range fastNumberExprs {
		prog, err := expr.Compile(src, expr.Env(typed))
		if err != nil {
			t.Fatalf("compile %s: %v", src, err)
		}
		fast := compileFastNumber(prog, fr.resolve)
		if fast == nil {
			t.Fatalf("%s has no fast form, want one", src)
		}
		out = append(out, fastNumberCase{src, prog, fast})
	}
	return fr, out
}

// agree runs c's fast form and its program on env and reports whether the
// fast form answered; it fails t when the two answers differ.
func (c fastNumberCase) agree(t testing.TB, m *vm.VM, fr frame, s *scratch, env map[string]any) bool {
	t.Helper()
	n, known := c.fast(nil, fr.record(env), s)
	if !known {
		return false
	}
	out, err := m.Run(c.prog, env)
	if err != nil {
		t.Fatalf("%s on %v: fast form gave %+v, the program failed: %v", c.src, env, n, err)
	}
	switch want := out.(type) {
	case int:
		if n.float || n.i != want {
			t.Errorf("%s on %v: fast form gave %+v, the program %d", c.src, env, n, want)
		}
	case float64:
		if !n.float || n.f != want && !(math.IsNaN(n.f) && math.IsNaN(want)) {
			t.Errorf("%s on %v: fast form gave %+v, the program %v", c.src, env, n, want)
		}
	default:
		t.Errorf("%s on %v: fast form gave %+v, the program %T %v", c.src, env, n, out, out)
	}
	return true
}

func TestFastNumberAgreesWithProgram(t *testing.T) {
	floats := []any{0.0, 0.5, -0.01, 3000.25, 1e15, math.Inf(-1), math.NaN(), 7, "7", nil}
	ints := []any{0, 1, -1, 7, math.MaxInt, math.MinInt, 2.0, nil}
	lists := []any{[]map[string]any(nil), []map[string]any{}, make([]map[string]any, 3), nil, []int{1}}
	tags := []any{[]string{"因病"}, []string(nil), "因病"}
	fr, cases := compileFastNumbers(t)
	s := &scratch{params: map[string]any{"line": 7000.0}}
	var m vm.VM
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			answered := 0
			for i, a := range floats {
				for _, x := range ints {
					env := map[string]any{"a": a, "b": floats[(i+3)%len(floats)], "i": x, "j": ints[(i+1)%len(ints)],
						"rows": lists[i%len(lists)], "tags": tags[i%len(tags)], "params": s.params}
					if c.agree(t, &m, fr, s, env) {
						answered++
					}
				}
			}
			if answered == 0 {
				t.Error("the fast form answered no run")
			}
		})
	}
}

// FuzzFastNumberAgreesWithProgram holds every fast calculation to its
// program on numbers the fuzzer picks: the fast form is an evaluator of
// what users submit.
func FuzzFastNumberAgreesWithProgram(f *testing.F) {
	f.Add(0.5, -3000.25, 7, 0, 2, 7000.0)
	f.Add(math.Inf(1), math.NaN(), math.MaxInt, -1, 0, 0.0)
	fr, cases := compileFastNumbers(f)
	f.Fuzz(func(t *testing.T, a, b float64, i, j, rows int, line float64) {
		s := &scratch{params: map[string]any{"line": line}}
		env := map[string]any{"a": a, "b": b, "i": i, "j": j, "rows": make([]map[string]any, rows&7),
			"tags": []string{"因病"}, "params": s.params}
		var m vm.VM
		for _, c := range cases {
			c.agree(t, &m, fr, s, env)
		}
	})
}
