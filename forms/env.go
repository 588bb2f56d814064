package forms

import (
	"encoding/json"
	"math"
	"slices"

	"github.com/expr-lang/expr/vm"
)

// Env is the expression environment of a normalized submission: every
// top-level field by name (empty ones as the zero value of their type), money
// as yuan float64, integer as int, multiselect as []string, a repeat as
// []map[string]any converted the same way, plus "params" (d.Params with
// params laid over them). It also accepts values that went through JSON
// storage (numbers as float64, lists as []any). Workflow guards run on it.
func (d *Definition) Env(values map[string]any, params Params) map[string]any {
	env := levelEnv(d.flat, values)
	env["params"] = map[string]any(d.mergeParams(params))
	return env
}

// EnvOf is Env holding only names: the top-level fields among them, and
// "params" when named (merged as Env merges them). A program compiled
// against TypeEnv runs on it as on Env when names holds every name it
// reads (NamesRead); a name $env, which may read any, gives the whole Env.
// Workflow guards read a few fields of a form, so building the rest, and
// merging params they do not read, is work thrown away.
func (d *Definition) EnvOf(values map[string]any, params Params, names []string) map[string]any {
	if slices.Contains(names, "$env") {
		return d.Env(values, params)
	}
	env := make(map[string]any, len(names)+2)
	envNamed(d, env, mapValues(values), params, names)
	return env
}

// EnvInto is EnvOf of values Check returned, writing into env, which the
// caller gives empty: an action that runs a guard on every submission
// keeps one map for it instead of making one each time.
func (d *Definition) EnvInto(env map[string]any, values Values, params Params, names []string) {
	if slices.Contains(names, "$env") {
		for _, f := range d.flat {
			env[f.Name] = f.exprValue(values.of(f))
		}
		env["params"] = map[string]any(d.mergeParams(params))
		return
	}
	envNamed(d, env, values, params, names)
}

// mapValues reads a field's value from a map of stored values.
type mapValues map[string]any

func (m mapValues) of(f *Field) any { return m[f.Name] }

// envNamed fills env with the top-level fields among names, and "params"
// when named. It is generic rather than taking a func so that the engine's
// path through EnvInto allocates nothing.
func envNamed[V interface{ of(*Field) any }](d *Definition, env map[string]any, values V, params Params, names []string) {
	for _, name := range names {
		if name == "params" {
			env["params"] = map[string]any(d.mergeParams(params))
			continue
		}
		if f := d.topField(name); f != nil {
			env[name] = f.exprValue(values.of(f))
		}
	}
}

// topField returns the top-level data field of that name, or nil.
func (d *Definition) topField(name string) *Field {
	for _, f := range d.flat {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// NamesRead lists the names the programs read from their environment, each
// once, sorted; "$env" among them means any name may be read. Nil programs
// are skipped.
func NamesRead(progs ...*vm.Program) []string {
	return identifiers(progs...)
}

// TypeEnv is a zero-valued environment with the Go type of each top-level
// field, for compiling expressions against this form with
// expr.Env(d.TypeEnv(p)) so mistyped guards fail at lint time. "params" is a
// types.Map describing each parameter's type; an unknown parameter name is a
// compile error. Repeat rows are untyped maps. Compile with it, run with Env.
func (d *Definition) TypeEnv(params Params) map[string]any {
	env := make(map[string]any, len(d.flat)+1)
	for _, f := range d.flat {
		env[f.Name] = f.zeroExpr()
	}
	env["params"] = paramsType(d.mergeParams(params))
	return env
}

// mergeParams lays params over the declared defaults. A number is coerced
// to the declared parameter's kind (6000.0 from JSON stays an int when the
// YAML said 6000) so programs see the types they were compiled against.
func (d *Definition) mergeParams(params Params) Params {
	out := make(Params, len(d.Params)+len(params))
	d.mergeParamsInto(out, params)
	return out
}

// mergeParamsInto is mergeParams writing into out, which starts empty.
func (d *Definition) mergeParamsInto(out map[string]any, params Params) {
	for k, v := range d.Params {
		out[k] = v
	}
	for k, v := range params {
		v = normalizeParam(v)
		switch decl := d.Params[k]; decl.(type) {
		case int:
			if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
				v = int(f)
			}
		case float64:
			if n, ok := v.(int); ok {
				v = float64(n)
			}
		}
		out[k] = v
	}
}

// normalizeParam brings a parameter number to int or float64.
func normalizeParam(v any) any {
	switch n := v.(type) {
	case int8:
		return int(n)
	case int16:
		return int(n)
	case int32:
		return int(n)
	case int64:
		return int(n)
	case uint8:
		return int(n)
	case uint16:
		return int(n)
	case uint32:
		return int(n)
	case float32:
		return float64(n)
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return int(i)
		}
		if f, err := n.Float64(); err == nil {
			return f
		}
	}
	return v
}

// levelEnv converts the stored values of one level to expression form.
func levelEnv(fields []*Field, values map[string]any) map[string]any {
	env := make(map[string]any, len(fields)+2)
	for _, f := range fields {
		env[f.Name] = f.exprValue(values[f.Name])
	}
	return env
}

// exprValue converts one stored value to its expression form; a missing or
// unreadable value becomes the zero value of the field's type.
func (f *Field) exprValue(v any) any {
	if v == nil {
		return f.zeroExpr()
	}
	switch f.Type {
	case TypeMoney:
		if fen, ok := toInt64(v); ok {
			return float64(fen) / 100
		}
	case TypeInteger:
		if n, ok := toInt64(v); ok {
			return int(n)
		}
	case TypeBoolean:
		if _, ok := v.(bool); ok {
			return v
		}
	case TypeMultiselect:
		if _, ok := v.([]string); ok {
			return v
		}
		if list, ok := stringList(v); ok {
			return list
		}
	case TypePhoto, TypeSignature, TypeFile:
		if a, ok := AttachmentFrom(v); ok {
			return a.exprValue()
		}
	case TypeRepeat:
		rows := rowMaps(v)
		out := make([]map[string]any, 0, len(rows))
		for _, row := range rows {
			out = append(out, levelEnv(f.flat, row))
		}
		return out
	default:
		if _, ok := v.(string); ok {
			// v already holds the string: returning it spares boxing it
			// again.
			return v
		}
	}
	return f.zeroExpr()
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<63 {
			return int64(n), true
		}
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

func stringList(v any) ([]string, bool) {
	switch l := v.(type) {
	case []string:
		return l, true
	case []any:
		out := make([]string, 0, len(l))
		for _, x := range l {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// rowMaps reads the rows of a repeat as []map[string]any or []any of maps;
// anything that is not a row is skipped.
func rowMaps(v any) []map[string]any {
	switch l := v.(type) {
	case []map[string]any:
		return l
	case []any:
		out := make([]map[string]any, 0, len(l))
		for _, x := range l {
			if m, ok := x.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}
