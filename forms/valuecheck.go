package forms

import (
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
)

// fastCheck is a condition run in Go instead of on the expression
// machine: one that only compares fields (or a constraint's `value`, or a
// parameter) with constants, with each other and with sums of them, tests
// membership in a list of texts, and joins such tests with &&, || and !,
// such as `value >= 0 && value <= 120`, `labour in ['技能', '普通']` or
// `yes + no + abstain <= attended`. Most conditions of the forms are of
// this shape, and the machine spent ten to twenty times as long on them,
// most of it setting up the run.
//
// It computes and compares with the expression library's own operators,
// on the values the machine would push. known is false when a value read
// does not have the Go type it was compiled as (the machine's typed
// operators would fail on it) or is none of int, float64, string and bool;
// the caller then runs the program, which stays the one definition of the
// condition.
//
// It reads the fields it names from the record's slots, where the scope
// the program would run in takes them from (see validation.scope), and
// params from the validation's scratch: a record whose programs all have a
// fast form needs no scope map at all.
type fastCheck func(value any, r *record, s *scratch) (ok, known bool)

// fastNumber is a numeric expression run in Go as fastCheck runs a
// condition: fields, `value`, parameters and constants joined by + - * /,
// the length of a list, and a choice between two such (cond ? a : b). A
// calculation of this shape needs no machine.
type fastNumber func(value any, r *record, s *scratch) (n number, known bool)

// number is a number as the machine holds it: an int or a float64. It
// spares boxing every intermediate result, as the machine does.
type number struct {
	i     int
	f     float64
	float bool
}

// float64 is n as a float64, as the machine widens an int next to a float.
func (n number) float64() float64 {
	if n.float {
		return n.f
	}
	return float64(n.i)
}

// numberOf reads v as a number of the kind it was compiled as.
func numberOf(v any, kind reflect.Kind) (number, bool) {
	switch x := v.(type) {
	case int:
		return number{i: x}, kind == reflect.Int
	case float64:
		return number{f: x, float: true}, kind == reflect.Float64
	}
	return number{}, false
}

// resolver locates the field a name read by a condition means, as seen
// from the records the condition runs on; false when it is no field.
type resolver func(name string) (slotRef, bool)

// compileFastCheck returns the fast form of a compiled condition, or nil
// when it has parts fastCheck does not know.
func compileFastCheck(prog *vm.Program, resolve resolver) fastCheck {
	if prog == nil {
		return nil
	}
	return fastCheckOf(prog.Node(), resolve)
}

// compileFastNumber returns the fast form of a compiled numeric
// expression, or nil when it has parts fastNumber does not know.
func compileFastNumber(prog *vm.Program, resolve resolver) fastNumber {
	if prog == nil {
		return nil
	}
	return fastNumberOf(prog.Node(), resolve)
}

// runCheck runs a condition other than a constraint (see satisfies) on
// r: its fast form when it has one that knows the answer, else the
// program in r's scope.
func (v *validation) runCheck(r *record, prog *vm.Program, fast fastCheck) (bool, error) {
	if fast != nil {
		if ok, known := fast(nil, r, v.scratch); known {
			return ok, nil
		}
	}
	return runBool(&v.vm, prog, v.scope(r))
}

func fastCheckOf(n ast.Node, resolve resolver) fastCheck {
	switch n := n.(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or":
			return joinChecks(n, resolve)
		case "in":
			return membership(n, resolve)
		}
		if c := comparison(n, resolve); c != nil {
			return c
		}
		if c := nilComparison(n, resolve); c != nil {
			return c
		}
		return numericComparison(n, resolve)
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" {
			return nil
		}
		inner := fastCheckOf(n.Node, resolve)
		if inner == nil {
			return nil
		}
		return func(value any, r *record, s *scratch) (bool, bool) {
			ok, known := inner(value, r, s)
			return !ok, known
		}
	case *ast.IdentifierNode:
		// A yes/no field standing alone.
		get, kind := operand(n, resolve)
		if get == nil || kind != reflect.Bool {
			return nil
		}
		return func(value any, r *record, s *scratch) (bool, bool) {
			b, ok := get(value, r, s).(bool)
			return b, ok
		}
	}
	return nil
}

// joinChecks is && or ||, short-circuiting as the machine does: the right
// side is not looked at once the left decides.
func joinChecks(n *ast.BinaryNode, resolve resolver) fastCheck {
	left, right := fastCheckOf(n.Left, resolve), fastCheckOf(n.Right, resolve)
	if left == nil || right == nil {
		return nil
	}
	decides := n.Operator == "||" || n.Operator == "or"
	return func(value any, r *record, s *scratch) (bool, bool) {
		ok, known := left(value, r, s)
		if !known || ok == decides {
			return ok, known
		}
		return right(value, r, s)
	}
}

// comparison compares two operands, each a field, `value`, a parameter or
// a constant.
func comparison(n *ast.BinaryNode, resolve resolver) fastCheck {
	compare := comparator(n.Operator)
	left, lk := operand(n.Left, resolve)
	right, rk := operand(n.Right, resolve)
	if compare == nil || left == nil || right == nil ||
		!plainComparison(lk, rk, n.Operator != "==" && n.Operator != "!=") {
		return nil
	}
	return func(value any, r *record, s *scratch) (bool, bool) {
		a, b := left(value, r, s), right(value, r, s)
		if !compiledAs(a, lk) || !compiledAs(b, rk) {
			return false, false
		}
		return compare(a, b), true
	}
}

// numericComparison compares two numeric expressions, at least one of them
// computed (yes + no <= attended): as the machine compares an int with an
// int, and widens to float64 otherwise.
func numericComparison(n *ast.BinaryNode, resolve resolver) fastCheck {
	compare := numberComparator(n.Operator)
	left, right := fastNumberOf(n.Left, resolve), fastNumberOf(n.Right, resolve)
	if compare == nil || left == nil || right == nil {
		return nil
	}
	return func(value any, r *record, s *scratch) (bool, bool) {
		a, known := left(value, r, s)
		if !known {
			return false, false
		}
		b, known := right(value, r, s)
		if !known {
			return false, false
		}
		return compare(a, b), true
	}
}

// nilComparison is a list field compared with nil (members == nil), which
// only a missing list equals: a repeat's list is never nil once read.
func nilComparison(n *ast.BinaryNode, resolve resolver) fastCheck {
	if n.Operator != "==" && n.Operator != "!=" {
		return nil
	}
	side := n.Left
	if _, ok := side.(*ast.NilNode); ok {
		side = n.Right
	} else if _, ok := n.Right.(*ast.NilNode); !ok {
		return nil
	}
	id, ok := side.(*ast.IdentifierNode)
	if !ok || id.Value == "value" || id.Value == "$env" {
		return nil
	}
	ref, ok := resolve(id.Value)
	if !ok {
		return nil
	}
	equal := n.Operator == "=="
	return func(_ any, r *record, _ *scratch) (bool, bool) {
		isNil, known := nilList(r.at(ref))
		return isNil == equal, known
	}
}

// nilList tells whether v, a list as the machine would see it, equals nil.
func nilList(v any) (isNil, known bool) {
	switch l := v.(type) {
	case nil:
		return true, true
	case []map[string]any:
		return l == nil, true
	case []string:
		return l == nil, true
	}
	return false, false
}

// membership is `field in ['a', 'b']`, which the optimizer turns into a
// lookup in a constant set of texts.
func membership(n *ast.BinaryNode, resolve resolver) fastCheck {
	needle, kind := operand(n.Left, resolve)
	c, ok := n.Right.(*ast.ConstantNode)
	if needle == nil || kind != reflect.String || !ok {
		return nil
	}
	set, ok := c.Value.(map[string]struct{})
	if !ok {
		return nil
	}
	return func(value any, r *record, s *scratch) (bool, bool) {
		str, ok := needle(value, r, s).(string)
		if !ok {
			return false, false
		}
		_, in := set[str]
		return in, true
	}
}

func fastNumberOf(n ast.Node, resolve resolver) fastNumber {
	switch n := n.(type) {
	case *ast.BinaryNode:
		return arithmetic(n, resolve)
	case *ast.BuiltinNode:
		return length(n, resolve)
	case *ast.ConditionalNode:
		return choice(n, resolve)
	}
	get, kind := operand(n, resolve)
	if get == nil || !isPlainNumber(kind) {
		return nil
	}
	return func(value any, r *record, s *scratch) (number, bool) {
		return numberOf(get(value, r, s), kind)
	}
}

// arithmetic is + - * or / of two numeric expressions, as the machine's
// operators compute it: int with int stays int (and wraps as Go does),
// anything else widens to float64, and / always divides as float64.
func arithmetic(n *ast.BinaryNode, resolve resolver) fastNumber {
	op := n.Operator
	switch op {
	case "+", "-", "*", "/":
	default:
		return nil
	}
	left, right := fastNumberOf(n.Left, resolve), fastNumberOf(n.Right, resolve)
	if left == nil || right == nil {
		return nil
	}
	return func(value any, r *record, s *scratch) (number, bool) {
		a, known := left(value, r, s)
		if !known {
			return number{}, false
		}
		b, known := right(value, r, s)
		if !known {
			return number{}, false
		}
		if op == "/" {
			return number{f: a.float64() / b.float64(), float: true}, true
		}
		if !a.float && !b.float {
			switch op {
			case "+":
				return number{i: a.i + b.i}, true
			case "-":
				return number{i: a.i - b.i}, true
			}
			return number{i: a.i * b.i}, true
		}
		x, y := a.float64(), b.float64()
		switch op {
		case "+":
			return number{f: x + y, float: true}, true
		case "-":
			return number{f: x - y, float: true}, true
		}
		return number{f: x * y, float: true}, true
	}
}

// length is len() of a list field: the number of rows of a repeat, of
// choices of a multiselect.
func length(n *ast.BuiltinNode, resolve resolver) fastNumber {
	if n.Name != "len" || len(n.Arguments) != 1 {
		return nil
	}
	id, ok := n.Arguments[0].(*ast.IdentifierNode)
	if !ok || id.Value == "value" || id.Value == "$env" {
		return nil
	}
	ref, ok := resolve(id.Value)
	if !ok {
		return nil
	}
	return func(_ any, r *record, _ *scratch) (number, bool) {
		switch l := r.at(ref).(type) {
		case []map[string]any:
			return number{i: len(l)}, true
		case []string:
			return number{i: len(l)}, true
		}
		return number{}, false
	}
}

// choice is cond ? a : b with a numeric result.
func choice(n *ast.ConditionalNode, resolve resolver) fastNumber {
	cond := fastCheckOf(n.Cond, resolve)
	yes, no := fastNumberOf(n.Exp1, resolve), fastNumberOf(n.Exp2, resolve)
	if cond == nil || yes == nil || no == nil {
		return nil
	}
	return func(value any, r *record, s *scratch) (number, bool) {
		ok, known := cond(value, r, s)
		if !known {
			return number{}, false
		}
		if ok {
			return yes(value, r, s)
		}
		return no(value, r, s)
	}
}

// operand returns how to get an operand's value and the kind the checker
// gave it: `value`, a field read from the record's slots, a parameter
// (params.name), or a constant as the compiler pushes it. nil when it is
// none of these. A name that is no field reads as missing, which no kind
// accepts, as the scope would give it: the program then decides.
func operand(n ast.Node, resolve resolver) (func(value any, r *record, s *scratch) any, reflect.Kind) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		kind := kindOf(n)
		if n.Value == "value" {
			return func(value any, _ *record, _ *scratch) any { return value }, kind
		}
		if n.Value == "$env" {
			return nil, reflect.Invalid
		}
		ref, ok := resolve(n.Value)
		if !ok {
			return func(any, *record, *scratch) any { return nil }, kind
		}
		if ref.up == 0 {
			slot := ref.slot
			return func(_ any, r *record, _ *scratch) any { return r.env[slot] }, kind
		}
		return func(_ any, r *record, _ *scratch) any { return r.at(ref) }, kind
	case *ast.MemberNode:
		name, ok := paramName(n)
		if !ok {
			return nil, reflect.Invalid
		}
		return func(_ any, _ *record, s *scratch) any {
			if s == nil {
				return nil
			}
			params, _ := s.paramsValue().(map[string]any)
			return params[name]
		}, kindOf(n)
	}
	c, ok := pushed(n)
	if !ok {
		return nil, reflect.Invalid
	}
	return func(any, *record, *scratch) any { return c }, reflect.TypeOf(c).Kind()
}

// paramName returns x of params.x, as the scope holds params: the
// parameters themselves, whatever field a form names so.
func paramName(n *ast.MemberNode) (string, bool) {
	id, ok := n.Node.(*ast.IdentifierNode)
	if !ok || id.Value != "params" || n.Optional || n.Method {
		return "", false
	}
	prop, ok := n.Property.(*ast.StringNode)
	if !ok {
		return "", false
	}
	return prop.Value, true
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

// numberComparator returns the operator as the machine runs it on two
// numbers: as ints when both are, as float64 otherwise.
func numberComparator(op string) func(a, b number) bool {
	var ints func(x, y int) bool
	var floats func(x, y float64) bool
	switch op {
	case "==":
		ints, floats = func(x, y int) bool { return x == y }, func(x, y float64) bool { return x == y }
	case "!=":
		ints, floats = func(x, y int) bool { return x != y }, func(x, y float64) bool { return x != y }
	case "<":
		ints, floats = func(x, y int) bool { return x < y }, func(x, y float64) bool { return x < y }
	case "<=":
		ints, floats = func(x, y int) bool { return x <= y }, func(x, y float64) bool { return x <= y }
	case ">":
		ints, floats = func(x, y int) bool { return x > y }, func(x, y float64) bool { return x > y }
	case ">=":
		ints, floats = func(x, y int) bool { return x >= y }, func(x, y float64) bool { return x >= y }
	default:
		return nil
	}
	return func(a, b number) bool {
		if !a.float && !b.float {
			return ints(a.i, b.i)
		}
		return floats(a.float64(), b.float64())
	}
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
