package forms

import "github.com/expr-lang/expr/vm"

// scratch is the memory of a validation that does not outlive it: the
// machine that runs every program, one after the other, the records with
// their slots and the maps of their scopes and rows. A definition pools
// scratches, so a validation of a size seen before builds no map and
// allocates no record; only what Validate returns is new. A pooled
// scratch still refers to values of the last submission it served, until
// it is reused or the pool drops it at a garbage collection.
type scratch struct {
	vm vm.VM
	// def is the definition whose pool holds the scratch.
	def *Definition
	// over are the context's parameters of the validation in progress;
	// merged holds them laid over the definition's, and params is the
	// parameters programs see once one has needed them (see paramsValue).
	over   Params
	merged map[string]any
	params any
	recs   arena[record]
	slots  arena[any]
	flags  arena[bool]
	rows   arena[[]record]
	// levels holds what belongs to each level, by level id.
	levels []levelScratch
}

// levelScratch holds the maps of the records of one level: their scopes
// and, when lv.rowMaps is set, their rows as maps.
type levelScratch struct {
	scopes, rowMaps mapPool
	// gen counts the changes to values of enclosing records that the
	// level's scopes hold; a scope filled before the last is refilled.
	gen int
}

func (d *Definition) acquire() *scratch {
	if s, ok := d.scratch.Get().(*scratch); ok {
		return s
	}
	return &scratch{
		def:    d,
		merged: make(map[string]any, len(d.Params)),
		levels: make([]levelScratch, len(d.levels)),
	}
}

// paramsValue is the definition's parameters with s.over laid over them,
// merged once per validation into s.merged. Without overrides the
// definition's own map serves: programs only read it.
func (s *scratch) paramsValue() any {
	if s.params == nil {
		if len(s.over) == 0 && s.def.Params != nil {
			s.params = map[string]any(s.def.Params)
		} else {
			s.def.mergeParamsInto(s.merged, s.over)
			s.params = s.merged
		}
	}
	return s.params
}

// release returns s to the pool once nothing uses its records any more.
func (d *Definition) release(s *scratch) {
	// Another validation may be given other parameters.
	s.over, s.params = nil, nil
	clear(s.merged)
	for i := range s.levels {
		// Only counters change: rewriting the pools' slices would take
		// the collector's barrier for nothing.
		ls := &s.levels[i]
		ls.scopes.used, ls.rowMaps.used, ls.gen = 0, 0, 0
	}
	// Reading a submission writes every slot, row list and row map entry
	// before anything reads them, and a scope map is filled before use
	// (see records), so only the flags need zeroing: clearing the rest
	// would cost more than the rest of the release.
	s.recs.rewind()
	s.slots.rewind()
	s.rows.rewind()
	s.flags.reset()
	d.scratch.Put(s)
}

// records returns n records of lv below parent, their slots laid out in
// the scratch's arenas. The slots and maps may hold values of an earlier
// validation: reading the submission overwrites every vals slot, every
// env slot that a program sees (Field.seen), every row list and every
// entry of a row map, and nothing reads the other env slots. A scope map
// is filled when first asked for (see validation.scope).
func (s *scratch) records(lv *level, parent *record, n int) []record {
	if n == 0 {
		return nil
	}
	k, nr := len(lv.fields), len(lv.repeats)
	recs := s.recs.take(n)
	slots := s.slots.take(2 * n * k)
	dropped := s.flags.take(n * k)
	rows := s.rows.take(n * nr)
	for i := range recs {
		// Field by field rather than as one struct: copying a struct with
		// pointers into the heap takes the collector's bulk barrier,
		// which cost more than the rest of laying out the records.
		r := &recs[i]
		r.lv, r.parent, r.index = lv, parent, i
		r.vals = slots[2*i*k : (2*i+1)*k : (2*i+1)*k]
		r.env = slots[(2*i+1)*k : (2*i+2)*k : (2*i+2)*k]
		r.dropped = dropped[i*k : (i+1)*k : (i+1)*k]
		r.rows = rows[i*nr : (i+1)*nr : (i+1)*nr]
		r.bad, r.m, r.scope, r.gen, r.badRow = nil, nil, nil, 0, ""
		if lv.rowMaps {
			r.m = s.levels[lv.id].rowMaps.take(k)
		}
	}
	return recs
}

// mapPool hands out maps kept from earlier validations, with the keys
// they had then.
type mapPool struct {
	maps []map[string]any
	used int
}

// take returns a map, made for size keys if the pool has none left.
func (p *mapPool) take(size int) map[string]any {
	if p.used == len(p.maps) {
		p.maps = append(p.maps, make(map[string]any, size))
	}
	p.used++
	return p.maps[p.used-1]
}

// arena hands out consecutive pieces of one array and takes them all back
// at once, so that the pieces cost no allocation once the array has grown
// to what a validation needs.
type arena[T any] struct{ buf []T }

// take returns n values: zero ones after reset, possibly those handed
// out before after rewind.
func (a *arena[T]) take(n int) []T {
	if n > cap(a.buf)-len(a.buf) {
		// Pieces already handed out keep the old array alive; the next
		// validation will find room in this one.
		a.buf = make([]T, 0, max(2*cap(a.buf), n, 16))
	}
	l := len(a.buf)
	a.buf = a.buf[:l+n]
	return a.buf[l : l+n : l+n]
}

// reset takes every piece back, zeroed.
func (a *arena[T]) reset() {
	clear(a.buf)
	a.buf = a.buf[:0]
}

// rewind takes every piece back as it is.
func (a *arena[T]) rewind() {
	a.buf = a.buf[:0]
}
