package forms

// record is one level of a submission: the form itself or one repeat row.
type record struct {
	fields []*Field
	path   string // "" for the form, "members[2]" for a row
	parent *record
	top    *record
	// vals holds the stored form of every filled scalar field.
	vals map[string]any
	// env holds every field in expression form, the zero value when empty;
	// a repeat's entry is the list of its rows' env maps.
	env     map[string]any
	rows    map[string][]*record
	bad     map[string]string // field → why its value could not be used
	dropped map[string]bool   // fields whose relevance is false
	badRow  string            // why the row itself could not be read

	// shared is the scope map this row shares with the other rows of its
	// repeat; nil for the form itself. children are the shared scopes of
	// the repeats inside this record, kept in step with its values.
	shared   *rowScope
	children []*rowScope
}

// rowScope is the scope map the rows of one repeat share: the enclosing
// scope copied once, then the current row's fields laid over it. Rows of a
// repeat all declare the same names, so laying another row's fields over
// it gives that row's scope exactly, without copying the enclosing scope
// again for every row. A change in an enclosing record is written through
// (see record.set), so the map never needs rebuilding.
type rowScope struct {
	m     map[string]any
	rows  []*record
	own   map[string]bool // the row's field names, which shadow outer ones
	owner *record         // the row whose fields are laid over it now
}

func newRecord(fields []*Field, path string, parent *record) *record {
	r := &record{
		fields: fields, path: path, parent: parent,
		vals: make(map[string]any, len(fields)),
		env:  make(map[string]any, len(fields)+2),
	}
	r.top = r
	if parent != nil {
		r.top = parent.top
	}
	return r
}

func (r *record) fieldPath(f *Field) string {
	if r.path == "" {
		return f.Name
	}
	return r.path + "." + f.Name
}

// set stores a normalized value (nil for empty) in both views.
func (r *record) set(f *Field, val any) {
	if val == nil {
		delete(r.vals, f.Name)
	} else {
		r.vals[f.Name] = val
	}
	ev := f.exprValue(val)
	r.env[f.Name] = ev
	if r.shared != nil && r.shared.owner == r {
		r.shared.m[f.Name] = ev
	}
	r.writeThrough(f.Name, ev)
}

// writeThrough updates the built scopes of the rows inside r, unless
// those rows' own fields shadow the name.
func (r *record) writeThrough(name string, ev any) {
	for _, s := range r.children {
		if s.m == nil || s.own[name] {
			continue
		}
		s.m[name] = ev
		for _, row := range s.rows {
			row.writeThrough(name, ev)
		}
	}
}

func (r *record) markBad(name, msg string) {
	if r.bad == nil {
		r.bad = map[string]string{}
	}
	r.bad[name] = msg
}

func (r *record) drop(f *Field) {
	if r.dropped == nil {
		r.dropped = map[string]bool{}
	}
	r.dropped[f.Name] = true
	delete(r.rows, f.Name)
	r.set(f, nil)
}

// scope is the expression environment seen from a record: the top level
// with each enclosing row's fields laid over it. The top level's own env is
// returned as is. A row's map is shared with its sibling rows and valid
// until the next sibling's scope is asked for, which is how Validate uses
// it: one row at a time.
func (r *record) scope() map[string]any {
	if r.parent == nil {
		return r.env
	}
	s := r.shared
	if s.m == nil {
		base := r.parent.scope()
		s.m = make(map[string]any, len(base)+len(r.env)+2)
		for k, val := range base {
			s.m[k] = val
		}
	}
	if s.owner != r {
		for k, val := range r.env {
			s.m[k] = val
		}
		s.owner = r
	}
	return s.m
}

// unreadable reports whether a name, as seen from r, means a field whose
// submitted value could not be read. A check reading it would judge a zero
// nobody entered and add a second, misleading error.
func (r *record) unreadable(names []string) bool {
	for _, name := range names {
		for s := r; s != nil; s = s.parent {
			if s.declares(name) {
				if s.bad[name] != "" {
					return true
				}
				break
			}
		}
	}
	return false
}

func (r *record) declares(name string) bool {
	for _, f := range r.fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

func copyEnv(env map[string]any) map[string]any {
	out := make(map[string]any, len(env)+1)
	for k, v := range env {
		out[k] = v
	}
	return out
}

// output builds the normalized values: filled, relevant fields only, rows
// in order, empty repeats left out. It hands over r.vals, so it is the last
// use of the record.
func (r *record) output() map[string]any {
	out := r.vals
	for name, rows := range r.rows {
		if len(rows) == 0 {
			continue
		}
		list := make([]map[string]any, len(rows))
		for i, row := range rows {
			list[i] = row.output()
		}
		out[name] = list
	}
	return out
}
