package forms

import (
	"fmt"
	"math"
	"time"

	"github.com/expr-lang/expr/vm"
)

// msgCalc is shown on a calculated field whose formula failed on the data,
// e.g. a division by zero rows.
const msgCalc = "无法计算，请检查相关填写项"

// compute runs f's formula in r and converts its result to the stored
// form: in Go when the formula has a fast form that knows the answer (see
// fastNumber), else on the machine in r's scope.
func (v *validation) compute(r *record, f *Field) (any, string) {
	if f.calculateFast != nil {
		if n, known := f.calculateFast(nil, r, v.scratch); known {
			return f.storedNumber(n.float64(), true)
		}
	}
	out, err := v.vm.Run(f.calculate, v.scope(r))
	if err != nil || out == nil {
		return nil, msgCalc
	}
	switch f.Type {
	case TypeMoney, TypeInteger:
		x, ok := toFloat(out)
		return f.storedNumber(x, ok)
	case TypeBoolean:
		if b, ok := out.(bool); ok {
			return b, ""
		}
		return nil, msgCalc
	case TypeDate:
		if t, ok := out.(time.Time); ok {
			return t.Format(time.DateOnly), ""
		}
	}
	s, ok := out.(string)
	if !ok {
		return nil, msgCalc
	}
	return f.normalize(s, nil)
}

// storedNumber is a computed number x in the stored form of f, money or
// integer: fen or a whole number, rounded; ok is false when the result was
// no number.
func (f *Field) storedNumber(x float64, ok bool) (any, string) {
	if f.Type == TypeMoney {
		fen := math.Round(x * 100)
		if !ok || math.IsNaN(fen) || math.Abs(fen) >= 1e15 {
			return nil, msgCalc
		}
		return int64(fen), ""
	}
	n := math.Round(x)
	if !ok || math.IsNaN(n) || math.Abs(n) >= 1<<62 {
		return nil, msgCalc
	}
	return int64(n), ""
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int32:
		return float64(n), true
	case float32:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint64:
		return float64(n), true
	}
	return 0, false
}

// runBool runs a condition on a reused machine: a fresh one per run would
// allocate its stack dozens of times per submission.
func runBool(m *vm.VM, prog *vm.Program, env map[string]any) (bool, error) {
	out, err := m.Run(prog, env)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("condition returned %T, not bool", out)
	}
	return b, nil
}
