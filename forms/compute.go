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

// compute runs f's formula and converts its result to the stored form.
func (f *Field) compute(m *vm.VM, scope map[string]any) (any, string) {
	out, err := m.Run(f.calculate, scope)
	if err != nil || out == nil {
		return nil, msgCalc
	}
	switch f.Type {
	case TypeMoney:
		x, ok := toFloat(out)
		fen := math.Round(x * 100)
		if !ok || math.IsNaN(fen) || math.Abs(fen) >= 1e15 {
			return nil, msgCalc
		}
		return int64(fen), ""
	case TypeInteger:
		x, ok := toFloat(out)
		n := math.Round(x)
		if !ok || math.IsNaN(n) || math.Abs(n) >= 1<<62 {
			return nil, msgCalc
		}
		return int64(n), ""
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
