package forms

import "strconv"

// record is one level of a submission: the form itself or one repeat row.
// Its values sit in slots, in the order of its level's fields.
type record struct {
	lv     *level
	parent *record
	index  int // the row's index in its repeat
	// vals holds the stored form of each field, nil when empty.
	vals []any
	// env holds each field some program sees (Field.seen) in expression
	// form, the zero value when empty; a repeat's is the list of its rows'
	// maps, or of nil maps when programs only count them.
	env     []any
	dropped []bool   // fields whose relevance is false
	bad     []string // why a field's value could not be used; nil while none
	// rows holds the rows of each repeat of the level, by rep.
	rows [][]record
	// m holds every field in expression form when lv.rowMaps is set: the
	// row as a program reading its repeat sees it.
	m map[string]any
	// scope is the environment of the record's programs, filled at the
	// generation gen of its level (see validation.scope).
	scope  map[string]any
	gen    int
	badRow string // why the row itself could not be read
}

// put stores a normalized value (nil for empty) in both views and returns
// its expression form; a value no program sees gets none. The scopes
// holding it are the caller's concern (see validation.set).
func (r *record) put(f *Field, val any) any {
	r.vals[f.slot] = val
	if !f.seen {
		return nil
	}
	ev := f.zero
	if val != nil {
		ev = f.exprValue(val)
	}
	r.env[f.slot] = ev
	if r.m != nil {
		r.m[f.Name] = ev
	}
	return ev
}

func (r *record) markBad(f *Field, msg string) {
	if r.bad == nil {
		r.bad = make([]string, len(r.lv.fields))
	}
	r.bad[f.slot] = msg
}

func (r *record) badAt(slot int) string {
	if r.bad == nil {
		return ""
	}
	return r.bad[slot]
}

// at returns the expression form of the value at ref, as seen from r.
func (r *record) at(ref slotRef) any {
	s := r
	for range ref.up {
		s = s.parent
	}
	return s.env[ref.slot]
}

// unreadable reports whether one of the values at refs, as seen from r,
// could not be read. A check reading it would judge a zero nobody entered
// and add a second, misleading error.
func (r *record) unreadable(refs []slotRef) bool {
	for _, ref := range refs {
		s := r
		for range ref.up {
			s = s.parent
		}
		if s.badAt(ref.slot) != "" {
			return true
		}
	}
	return false
}

// path names the record as errors do: "" for the form, "members[2]" for
// a row. Only errors need it, so it is built on demand.
func (r *record) path() string {
	if r.parent == nil {
		return ""
	}
	return r.parent.fieldPath(r.lv.repeat) + "[" + strconv.Itoa(r.index) + "]"
}

func (r *record) fieldPath(f *Field) string {
	if r.parent == nil {
		return f.Name
	}
	return r.path() + "." + f.Name
}
