package workflows

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"

	"jianfu/forms"
)

// Guards and hold lengths are expr-lang expressions, compiled once per
// definition version against a typed environment so that a mistyped
// expression fails at lint time rather than at a cadre's submit.

// maxExprLen bounds an expression's source; guards are one-liners.
const maxExprLen = 2000

// condition compiles a boolean expression against env, reporting a
// problem at path when it does not compile.
func (c *compiler) condition(src string, env map[string]any, path string) *vm.Program {
	prog, err := compileExpr(src, env, expr.AsBool())
	if err != nil {
		c.add(path, "条件表达式有误：%v", err)
		return nil
	}
	return prog
}

// label compiles a text-valued expression (a classification).
func (c *compiler) label(src string, env map[string]any, path string) *vm.Program {
	prog, err := compileExpr(src, env, expr.AsKind(reflect.String))
	if err != nil {
		c.add(path, "分类表达式有误：%v", err)
		return nil
	}
	return prog
}

func (c *compiler) hold(h *Hold, path string) {
	h.days, h.own = nil, 0
	src, at := h.WorkingDays, path+".working_days"
	if src == "" {
		src, at = h.CalendarDays, path+".calendar_days"
	}
	if (h.WorkingDays == "") == (h.CalendarDays == "") {
		c.add(path, "须且只能设置 working_days 或 calendar_days 之一")
		return
	}
	prog, err := compileExpr(src, map[string]any{"params": paramsType(c.d.Params)})
	if err != nil {
		c.add(at, "天数表达式有误：%v", err)
		return
	}
	// Evaluate once with the definition's own params: a hold that is not a
	// whole number of days there is wrong everywhere.
	n, err := runDays(prog, c.d.Params)
	if err != nil {
		c.add(at, "%v", err)
		return
	}
	h.days, h.own = prog, n
}

// compileExpr compiles src against env.
func compileExpr(src string, env map[string]any, opts ...expr.Option) (*vm.Program, error) {
	if len(src) > maxExprLen {
		return nil, fmt.Errorf("表达式超过 %d 个字符", maxExprLen)
	}
	prog, err := expr.Compile(src, append([]expr.Option{expr.Env(env)}, opts...)...)
	if err != nil {
		return nil, exprError(err)
	}
	return prog, nil
}

// exprError shortens an expression error to one line (the problem's path
// already points at the source) and says the common ones in Chinese, in the
// same words as package forms; the rest keep the library's wording.
func exprError(err error) error {
	msg, column := err.Error(), 0
	var fe *file.Error
	if errors.As(err, &fe) {
		msg, column = fe.Message, fe.Column+1
	}
	switch {
	case strings.HasPrefix(msg, "expected bool, but got "):
		msg = "结果应为真假判断，实际类型为 " + strings.TrimPrefix(msg, "expected bool, but got ")
	case strings.HasPrefix(msg, "expected string, but got "):
		msg = "结果应为文字，实际类型为 " + strings.TrimPrefix(msg, "expected string, but got ")
	case strings.HasPrefix(msg, "unknown name "):
		msg = "未知的名称 " + strings.TrimPrefix(msg, "unknown name ")
	case strings.HasPrefix(msg, "unknown field "):
		msg = "未知的属性 " + strings.TrimPrefix(msg, "unknown field ")
	case strings.Contains(msg, "mismatched types"):
		msg = "类型不匹配：" + msg
	}
	if column > 0 {
		return fmt.Errorf("%s（第%d列）", msg, column)
	}
	return errors.New(msg)
}

// paramsType describes params to the checker as a closed map, so that a
// misspelt params.x fails at lint time and params.notice_days is known to be
// an int. Values are typed by the definition's own params; a locality's
// overlay keeps the names.
func paramsType(params forms.Params) types.Map {
	m := make(types.Map, len(params))
	for k, v := range params {
		switch v.(type) {
		case int, int64, float64, string, bool:
			m[k] = types.TypeOf(v)
		default:
			m[k] = types.Any
		}
	}
	return m
}

// paramsEnv is the environment hold expressions run in: params only.
func paramsEnv(params forms.Params) map[string]any {
	return map[string]any{"params": map[string]any(params)}
}

// typeEnv is the environment guards, classifications and routes are
// compiled against: the typed zero values of the form's fields (none without
// a form), params, household (untyped) and case (CaseFacts). scope.env
// builds the matching run-time environment.
func typeEnv(form *forms.Definition, params forms.Params) map[string]any {
	var env map[string]any
	if form != nil {
		env = form.TypeEnv(params)
	}
	if env == nil {
		env = make(map[string]any, 3)
	}
	setDefault(env, "params", paramsType(params))
	setDefault(env, "household", map[string]any{})
	setDefault(env, "case", CaseFacts{})
	return env
}

// runGuard evaluates a compiled guard on m, a machine reused for the
// expressions of one action, or a machine of its own when m is nil.
func runGuard(m *vm.VM, prog *vm.Program, env map[string]any) (bool, error) {
	out, err := run(m, prog, env)
	if err != nil {
		return false, err
	}
	ok, isBool := out.(bool)
	if !isBool {
		return false, fmt.Errorf("guard returned %T, want bool", out)
	}
	return ok, nil
}

// runLabel evaluates a compiled classification on m (see runGuard).
func runLabel(m *vm.VM, prog *vm.Program, env map[string]any) (string, error) {
	out, err := run(m, prog, env)
	if err != nil {
		return "", err
	}
	label, ok := out.(string)
	if !ok {
		return "", fmt.Errorf("classification returned %T, want string", out)
	}
	return label, nil
}

// run runs prog on m, or on a machine of its own when m is nil.
func run(m *vm.VM, prog *vm.Program, env map[string]any) (any, error) {
	if m == nil {
		return expr.Run(prog, env)
	}
	return m.Run(prog, env)
}

// runDays evaluates a hold length with the given params: a whole number of
// days from 0 to maxDays.
func runDays(prog *vm.Program, params forms.Params) (int, error) {
	out, err := expr.Run(prog, paramsEnv(params))
	if err != nil {
		return 0, fmt.Errorf("天数无法计算：%v", err)
	}
	var f float64
	switch v := out.(type) {
	case int:
		f = float64(v)
	case int64:
		f = float64(v)
	case float64:
		f = v
	default:
		return 0, fmt.Errorf("天数应为整数，计算结果为 %v", out)
	}
	if f != math.Trunc(f) || f < 0 || f > maxDays {
		return 0, fmt.Errorf("天数应为 0 到 %d 之间的整数，计算结果为 %v", maxDays, out)
	}
	return int(f), nil
}
