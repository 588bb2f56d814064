package forms

import (
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// level is the compiled layout of one level of data: the form's top level
// or the row of one repeat. A compiled form knows every name in advance, so
// a record keeps its values in slices indexed by slot, and the scope its
// programs run in holds only the names they read.
type level struct {
	// id indexes Definition.levels and a validation's scope maps.
	id int
	// fields are the level's flat fields; a field's slot is its index.
	fields []*Field
	// checked are the fields with something to check besides whether
	// their value could be read: a requirement, a filter, a constraint or
	// rows. A record whose values were all read checks only these.
	checked []*Field
	// repeats are the repeats among fields; a repeat's rep is its index.
	repeats []*Field
	// byName are the fields sorted by name: the order of their keys in
	// JSON (Values.AppendJSON).
	byName []*Field
	// repeat is the repeat whose row this is, nil for the top level.
	repeat *Field
	parent *level
	// keys are the names the level's programs read, with where the
	// values come from.
	keys []scopeKey
	// counted is set when a program reads the repeat, the list of its
	// rows. rowMaps is set when the rows' values are needed too, each row
	// as one map of every field; without it programs only count the rows
	// (see readsRows), and the list holds nil maps.
	counted, rowMaps bool
}

// scopeKey is one name in the scope of a level's records.
type scopeKey struct {
	name string
	// up counts the levels between the record and the one holding the
	// value; slot is where it holds it, or -1 for "params".
	up, slot int
}

// slotRef locates a field's value as seen from a record: up levels above
// it, at slot.
type slotRef struct{ up, slot int }

// layout lays out the levels of a compiled definition. It tolerates a
// definition with problems, which is discarded afterwards.
func (d *Definition) layout() {
	d.levels = nil
	d.top = d.newLevel(d.flat, nil, nil)
	rowsRead := map[*Field]bool{}
	for _, lv := range d.levels {
		lv.keys = lv.scopeKeys(rowsRead)
		for _, f := range lv.fields {
			for _, name := range f.checkReads {
				if up, g := lv.resolve(name); g != nil {
					f.checkSlots = append(f.checkSlots, slotRef{up, g.slot})
				}
			}
			f.relevantCheck = compileFastCheck(f.relevant, lv.slotOf)
			f.requiredCheck = compileFastCheck(f.requiredIf, lv.slotOf)
			f.constraintCheck = compileFastCheck(f.constraint, lv.slotOf)
			f.calculateFast = nil
			if f.Type == TypeMoney || f.Type == TypeInteger {
				f.calculateFast = compileFastNumber(f.calculate, lv.slotOf)
			}
		}
	}
	// Levels come parents first, so an enclosing row's need is known
	// before its repeats are looked at.
	for _, lv := range d.levels[1:] {
		r := lv.repeat
		lv.rowMaps = rowsRead[r] || readsRows(r.constraint, "value") || lv.parent.rowMaps
		lv.counted = r.scoped || len(r.scopedIn) > 0 || r.constraint != nil
	}
	for _, lv := range d.levels {
		for _, f := range lv.fields {
			f.seen = f.scoped || len(f.scopedIn) > 0 || f.constraint != nil || lv.rowMaps
		}
	}
	for _, batch := range d.batches {
		for i, f := range batch {
			f.sameRelevance = i > 0 && sameRelevance(batch[i-1], f)
		}
	}
}

// sameRelevance reports whether f's relevance is prev's and cannot see
// prev's value, so that settling prev leaves its result as it was.
func sameRelevance(prev, f *Field) bool {
	if prev.relevant == nil || f.relevant == nil || prev.relevant.Source().String() != f.relevant.Source().String() {
		return false
	}
	names := identifiers(f.relevant)
	return !slices.Contains(names, prev.Name) && !slices.Contains(names, "$env")
}

func (d *Definition) newLevel(fields []*Field, repeat *Field, parent *level) *level {
	lv := &level{id: len(d.levels), fields: fields, repeat: repeat, parent: parent}
	d.levels = append(d.levels, lv)
	for i, f := range fields {
		if f.Required || f.requiredIf != nil || f.filter != nil || f.constraint != nil || f.Type == TypeRepeat {
			lv.checked = append(lv.checked, f)
		}
		f.slot, f.zero = i, f.zeroExpr()
		f.scoped, f.scopedIn, f.checkSlots = false, nil, nil
		if f.Type == TypeRepeat {
			f.rep = len(lv.repeats)
			lv.repeats = append(lv.repeats, f)
			f.rows = d.newLevel(f.flat, f, lv)
		}
	}
	lv.byName = slices.SortedFunc(slices.Values(fields), func(a, b *Field) int { return strings.Compare(a.Name, b.Name) })
	return lv
}

// scopeKeys lists what the level's programs read, each name once, and
// marks the fields read so that changing one updates the scopes holding
// it. A program reading $env may read any name, so it gets them all. The
// repeats whose rows' values some program reads go into rowsRead.
func (lv *level) scopeKeys(rowsRead map[*Field]bool) []scopeKey {
	progs := programsOf(lv.fields)
	names := identifiers(progs...)
	for _, n := range names {
		if n == "$env" {
			names = lv.visibleNames()
			break
		}
	}
	var keys []scopeKey
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		if seen[name] {
			continue
		}
		seen[name] = true
		if name == "params" {
			keys = append(keys, scopeKey{name: name, slot: -1})
			continue
		}
		up, f := lv.resolve(name)
		if f == nil {
			// value, choice, a variable or a function: not a field.
			continue
		}
		keys = append(keys, scopeKey{name: name, up: up, slot: f.slot})
		if f.Type == TypeRepeat {
			for _, prog := range progs {
				if readsRows(prog, name) {
					rowsRead[f] = true
				}
			}
		}
		if up == 0 {
			f.scoped = true
		} else {
			f.scopedIn = append(f.scopedIn, lv.id)
		}
	}
	return keys
}

// programsOf lists every program of the fields.
func programsOf(fields []*Field) []*vm.Program {
	var out []*vm.Program
	for _, f := range fields {
		out = append(out, f.relevant, f.requiredIf, f.constraint, f.calculate, f.filter, f.repeatN)
	}
	return out
}

// visibleNames is every name the level's scope can hold: "params" and the
// fields of the level and the enclosing ones.
func (lv *level) visibleNames() []string {
	names := []string{"params"}
	for l := lv; l != nil; l = l.parent {
		for _, f := range l.fields {
			names = append(names, f.Name)
		}
	}
	return names
}

// resolve finds the field a name means on this level: the level's own
// fields first, then the enclosing rows', the top level's last, as
// Definition.resolve does for the checker. up counts the levels climbed.
func (lv *level) resolve(name string) (up int, f *Field) {
	for l := lv; l != nil; l, up = l.parent, up+1 {
		for _, f := range l.fields {
			if f.Name == name {
				return up, f
			}
		}
	}
	return 0, nil
}

// slotOf locates the field name means on this level (see resolve).
func (lv *level) slotOf(name string) (slotRef, bool) {
	up, f := lv.resolve(name)
	if f == nil {
		return slotRef{}, false
	}
	return slotRef{up, f.slot}, true
}

// readsRows reports whether prog reads the rows behind name, a repeat,
// rather than only counting them: len(name) and comparing name with nil
// need the list but not the rows' values, so the rows need no maps. The
// common "members == nil || len(members) == 0 ? …" is such a read.
func readsRows(prog *vm.Program, name string) bool {
	if prog == nil {
		return false
	}
	u := rowUse{name: name}
	node := prog.Node()
	ast.Walk(&node, &u)
	return u.env || u.reads > u.counts
}

// rowUse counts the reads of one name in a program and those of them that
// only count rows.
type rowUse struct {
	name          string
	reads, counts int
	env           bool // $env is read: any name may be
}

func (u *rowUse) Visit(n *ast.Node) {
	switch n := (*n).(type) {
	case *ast.IdentifierNode:
		switch n.Value {
		case u.name:
			u.reads++
		case "$env":
			u.env = true
		}
	case *ast.BuiltinNode:
		if n.Name == "len" && len(n.Arguments) == 1 && u.is(n.Arguments[0]) {
			u.counts++
		}
		if n.Map != nil {
			// The optimizer folds map() into filter() here; ast.Walk
			// does not visit it.
			ast.Walk(&n.Map, u)
		}
	case *ast.BinaryNode:
		if n.Operator == "==" || n.Operator == "!=" {
			_, leftNil := n.Left.(*ast.NilNode)
			_, rightNil := n.Right.(*ast.NilNode)
			if leftNil && u.is(n.Right) || rightNil && u.is(n.Left) {
				u.counts++
			}
		}
	}
}

func (u *rowUse) is(n ast.Node) bool {
	id, ok := n.(*ast.IdentifierNode)
	return ok && id.Value == u.name
}
