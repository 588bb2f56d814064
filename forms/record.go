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

	// nests is true when rows live inside this record, so that a change
	// here changes what those rows see.
	nests bool
	// gen counts changes to nesting records; kept on the top record.
	gen int
	// scopeCache is a row's merged scope, valid while scopeGen == top.gen.
	scopeCache map[string]any
	scopeGen   int
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
	for _, f := range fields {
		if f.Type == TypeRepeat {
			r.nests = true
		}
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
	if r.scopeCache != nil {
		r.scopeCache[f.Name] = ev
	}
	if r.nests {
		r.top.gen++
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
// returned as is; a row's merged map is cached until a record with rows in
// it changes.
func (r *record) scope() map[string]any {
	if r.parent == nil {
		return r.env
	}
	if r.scopeCache != nil && r.scopeGen == r.top.gen {
		return r.scopeCache
	}
	base := r.parent.scope()
	out := make(map[string]any, len(base)+len(r.env)+1)
	for k, val := range base {
		out[k] = val
	}
	for k, val := range r.env {
		out[k] = val
	}
	r.scopeCache, r.scopeGen = out, r.top.gen
	return out
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
