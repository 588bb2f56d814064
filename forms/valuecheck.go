package forms

import (
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
)

// fastCheck is a condition run in Go instead of on the expression
// machine: one that only compares fields (or a constraint's `value`) with
// constants and with each other, tests membership in a list of texts, and
// joins such tests with &&, || and !, such as `value >= 0 && value <= 120`
// or `labour in ['技能', '普通']`. Most conditions of the forms are of this
// shape, and the machine spent ten to twenty times as long on them, most
// of it setting up the run.
//
// It compares with the expression library's own operators, on the values
// the machine would push. known is false when a value read does not have
// the Go type it was compiled as (the machine's typed operators would fail
// on it) or is none of int, float64, string and bool; the caller then runs
// the program, which stays the one definition of the condition.
type fastCheck func(value any, scope map[string]any) (ok, known bool)

// compileFastCheck returns the fast form of a compiled condition, or nil
// when it has parts fastCheck does not know.
func compileFastCheck(prog *vm.Program) fastCheck {
	if prog == nil {
		return nil
	}
	return fastCheckOf(prog.Node())
}

// runCheck runs a condition other than a constraint (see satisfies): its
// fast form when it has one that knows the answer, else the program.
func runCheck(m *vm.VM, prog *vm.Program, fast fastCheck, scope map[string]any) (bool, error) {
	if fast != nil {
		if ok, known := fast(nil, scope); known {
			return ok, nil
		}
	}
	return runBool(m, prog, scope)
}

func fastCheckOf(n ast.Node) fastCheck {
	switch n := n.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or":
			return joinChecks(n)
		case "in":
			return membership(n)
		}
		return comparison(n)
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" {
			return nil
		}
		inner := fastCheckOf(n.Node)
		if inner == nil {
			return nil
		}
		return func(value any, scope map[string]any) (bool, bool) {
			ok, known := inner(value, scope)
			return !ok, known
		}
	case *ast.IdentifierNode:
		// A yes/no field standing alone.
		get, kind := operand(n)
		if get == nil || kind != reflect.Bool {
			return nil
		}
		return func(value any, scope map[string]any) (bool, bool) {
			b, ok := get(value, scope).(bool)
			return b, ok
		}
	}
	return nil
}

// joinChecks is && or ||, short-circuiting as the machine does: the right
// side is not looked at once the left decides.
func joinChecks(n *ast.BinaryNode) fastCheck {
	left, right := fastCheckOf(n.Left), fastCheckOf(n.Right)
	if left == nil || right == nil {
		return nil
	}
	decides := n.Operator == "||" || n.Operator == "or"
	return func(value any, scope map[string]any) (bool, bool) {
		ok, known := left(value, scope)
		if !known || ok == decides {
			return ok, known
		}
		return right(value, scope)
	}
}

// comparison compares two operands, each a field, `value` or a constant.
func comparison(n *ast.BinaryNode) fastCheck {
	compare := comparator(n.Operator)
	left, lk := operand(n.Left)
	right, rk := operand(n.Right)
	if compare == nil || left == nil || right == nil ||
		!plainComparison(lk, rk, n.Operator != "==" && n.Operator != "!=") {
		return nil
	}
	return func(value any, scope map[string]any) (bool, bool) {
		a, b := left(value, scope), right(value, scope)
		if !compiledAs(a, lk) || !compiledAs(b, rk) {
			return false, false
		}
		return compare(a, b), true
	}
}

// membership is `field in ['a', 'b']`, which the optimizer turns into a
// lookup in a constant set of texts.
func membership(n *ast.BinaryNode) fastCheck {
	needle, kind := operand(n.Left)
	c, ok := n.Right.(*ast.ConstantNode)
	if needle == nil || kind != reflect.String || !ok {
		return nil
	}
	set, ok := c.Value.(map[string]struct{})
	if !ok {
		return nil
	}
	return func(value any, scope map[string]any) (bool, bool) {
		s, ok := needle(value, scope).(string)
		if !ok {
			return false, false
		}
		_, in := set[s]
		return in, true
	}
}

// operand returns how to get an operand's value and the kind the checker
// gave it: `value`, a name read from the scope, or a constant as the
// compiler pushes it. nil when it is none of these.
func operand(n ast.Node) (func(value any, scope map[string]any) any, reflect.Kind) {
	if id, ok := n.(*ast.IdentifierNode); ok {
		kind := kindOf(n)
		if id.Value == "value" {
			return func(value any, _ map[string]any) any { return value }, kind
		}
		if id.Value == "$env" {
			return nil, reflect.Invalid
		}
		name := id.Value
		return func(_ any, scope map[string]any) any { return scope[name] }, kind
	}
	c, ok := pushed(n)
	if !ok {
		return nil, reflect.Invalid
	}
	return func(any, map[string]any) any { return c }, reflect.TypeOf(c).Kind()
}

// comparator returns the operator as the machine runs it.
func comparator(op string) func(a, b any) bool {
	switch op {
	case "==":
		return runtime.Equal
	case "!=":
		return func(a, b any) bool { return !runtime.Equal(a, b) }
	case "<":
		return runtime.Less
	case "<=":
		return runtime.LessOrEqual
	case ">":
		return runtime.More
	case ">=":
		return runtime.MoreOrEqual
	}
	return nil
}

// pushed is the constant the compiler pushes for n: an integer literal
// becomes a float64 where the checker typed it so.
func pushed(n ast.Node) (any, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		switch kindOf(n) {
		case reflect.Invalid, reflect.Int:
			return n.Value, true
		case reflect.Float64:
			return float64(n.Value), true
		}
	case *ast.FloatNode:
		switch kindOf(n) {
		case reflect.Invalid, reflect.Float64:
			return n.Value, true
		}
	case *ast.StringNode:
		return n.Value, true
	case *ast.BoolNode:
		return n.Value, true
	}
	return nil, false
}

func kindOf(n ast.Node) reflect.Kind {
	if t := n.Type(); t != nil {
		return t.Kind()
	}
	return reflect.Invalid
}

// plainComparison reports whether the machine compares operands of these
// kinds as plain Go values: numbers (int, float64) with numbers, and for
// == and != also texts with texts and yes/no with yes/no.
func plainComparison(a, b reflect.Kind, ordered bool) bool {
	switch {
	case isPlainNumber(a) && isPlainNumber(b):
		return true
	case a == reflect.String && b == reflect.String, a == reflect.Bool && b == reflect.Bool:
		return !ordered
	}
	return false
}

func isPlainNumber(k reflect.Kind) bool { return k == reflect.Int || k == reflect.Float64 }

// compiledAs reports whether v has the Go type of kind, one of those
// plainComparison accepts.
func compiledAs(v any, kind reflect.Kind) bool {
	switch v.(type) {
	case int:
		return kind == reflect.Int
	case float64:
		return kind == reflect.Float64
	case string:
		return kind == reflect.String
	case bool:
		return kind == reflect.Bool
	}
	return false
}
