package store

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"

	"jianfu/ent"
	"jianfu/ent/definition"
	"jianfu/forms"
	"jianfu/workflows"
)

type defKey struct {
	id      string
	version int
}

// registry holds every stored definition version, parsed and compiled once.
// It is the one door through which definitions are loaded, so uploads,
// overlays and migrations can later be added here without touching callers.
type registry struct {
	mu        sync.RWMutex
	forms     map[defKey]*forms.Definition
	workflows map[defKey]*workflows.Definition
	// the newest published holiday calendar (nil before one is stored)
	calendar        *workflows.Calendar
	calendarVersion int
	// newest published version by id, per kind
	latestForm, latestWorkflow map[string]int
	// the newest published overlays by the id they extend, per kind
	formVariants, workflowVariants map[string][]variant
	roles                          map[string]bool
	depts                          map[string]bool
	// loaded holds the ids of the stored rows already added, so that
	// loadNew adds what other processes published since.
	loaded map[int]bool
}

func newRegistry(roleNames, departments []string) *registry {
	r := &registry{
		forms:          map[defKey]*forms.Definition{},
		workflows:      map[defKey]*workflows.Definition{},
		latestForm:     map[string]int{},
		latestWorkflow: map[string]int{},
		roles:          map[string]bool{},
		depts:          map[string]bool{},
		loaded:         map[int]bool{},
	}
	for _, n := range roleNames {
		r.roles[n] = true
	}
	for _, d := range departments {
		r.depts[d] = true
	}
	return r
}

// Form returns the newest published version of a form (workflows.FormSource).
func (r *registry) Form(id string) (*forms.Definition, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.latestForm[id]
	if !ok {
		return nil, workflows.Errorf(workflows.NotFound, "表单 %s 不存在", id)
	}
	return r.forms[defKey{id, v}], nil
}

// FormVersion returns one stored form version, as a submission was
// validated against it.
func (r *registry) FormVersion(id string, version int) (*forms.Definition, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.forms[defKey{id, version}]
	if !ok {
		return nil, workflows.Errorf(workflows.NotFound, "表单 %s 第%d版不存在", id, version)
	}
	return d, nil
}

// Workflow returns one pinned workflow version.
func (r *registry) Workflow(id string, version int) (*workflows.Definition, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	d, ok := r.workflows[defKey{id, version}]
	if !ok {
		return nil, workflows.Errorf(workflows.NotFound, "流程 %s 第%d版不存在", id, version)
	}
	return d, nil
}

// LatestWorkflow returns the newest published version of a workflow.
func (r *registry) LatestWorkflow(id string) (*workflows.Definition, error) {
	r.mu.RLock()
	v, ok := r.latestWorkflow[id]
	r.mu.RUnlock()
	if !ok {
		return nil, workflows.Errorf(workflows.NotFound, "流程 %s 不存在", id)
	}
	return r.Workflow(id, v)
}

// catalog answers the linter's questions against the registry's newest
// forms plus forms still to be published in the same batch.
type catalog struct {
	r       *registry
	pending map[string]*forms.Definition
}

func (c catalog) Form(id string) (*forms.Definition, bool) {
	if f, ok := c.pending[id]; ok {
		return f, true
	}
	f, err := c.r.Form(id)
	return f, err == nil
}
func (c catalog) HasRole(name string) bool     { return c.r.roles[name] }
func (c catalog) HasDepartment(id string) bool { return c.r.depts[id] }

// parsed is a definition that passed the linter, ready to store.
type parsed struct {
	kind, id, title string
	form            *forms.Definition
	workflow        *workflows.Definition
	calendar        *workflows.Calendar
}

// parse lints one definition source. Problems come back as an Invalid
// *workflows.Error so the API can show them line by line.
func (r *registry) parse(file string, src []byte, pending map[string]*forms.Definition) (*parsed, error) {
	kind := workflows.SourceKind(src)
	invalid := func(err error) error {
		if ps, ok := err.(forms.Problems); ok {
			return &workflows.Error{Code: workflows.Invalid, Message: "定义有误", Problems: ps}
		}
		return &workflows.Error{Code: workflows.Invalid, Message: "定义有误",
			Problems: forms.Problems{{File: file, Line: 1, Message: err.Error()}}}
	}
	if kind == workflows.KindCalendar {
		c, err := workflows.ParseCalendar(src)
		if err != nil {
			return nil, invalid(err)
		}
		return &parsed{kind: kind, id: workflows.CalendarID, title: "法定节假日与调休", calendar: c}, nil
	}
	if kind == workflows.KindWorkflow && workflows.IsOverlay(src) && r.extendsForm(src, pending) {
		kind = workflows.KindForm
	}
	if kind == workflows.KindForm {
		f, err := r.parseForm(file, src, pending)
		if err != nil {
			return nil, invalid(err)
		}
		return &parsed{kind: kind, id: f.ID, title: f.Title, form: f}, nil
	}
	if workflows.IsOverlay(src) {
		w, err := r.parseOverlay(file, src, pending)
		if err != nil {
			return nil, invalid(err)
		}
		return &parsed{kind: kind, id: w.ID, title: w.Title, workflow: w}, nil
	}
	w, err := workflows.Parse(file, src)
	if err != nil {
		return nil, invalid(err)
	}
	if err := w.Compile(catalog{r: r, pending: pending}); err != nil {
		return nil, invalid(err)
	}
	return &parsed{kind: kind, id: w.ID, title: w.Title, workflow: w}, nil
}

// parseForm parses a form, resolving it first when it is an overlay.
func (r *registry) parseForm(file string, src []byte, pending map[string]*forms.Definition) (*forms.Definition, error) {
	if forms.IsOverlay(src) {
		return r.parseFormOverlay(file, src, pending)
	}
	return forms.Parse(file, src)
}

// add makes a stored version available.
func (r *registry) add(p *parsed, version int, published bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := defKey{p.id, version}
	if p.calendar != nil {
		if published && version > r.calendarVersion {
			r.calendar, r.calendarVersion = p.calendar, version
		}
		return
	}
	latest := r.latestWorkflow
	if p.form != nil {
		p.form.Version = version
		r.forms[key] = p.form
		latest = r.latestForm
	} else {
		p.workflow.Version = version
		r.workflows[key] = p.workflow
	}
	if published && version > latest[p.id] {
		latest[p.id] = version
		if p.form != nil {
			r.formVariants = variantsOf(r.latestForm, func(v string, n int) (string, string) {
				if o := r.forms[defKey{v, n}].Overlay; o != nil {
					return o.Base, o.Locality
				}
				return "", ""
			})
		} else {
			r.workflowVariants = variantsOf(r.latestWorkflow, func(v string, n int) (string, string) {
				if o := r.workflows[defKey{v, n}].Overlay; o != nil {
					return o.Base, o.Locality
				}
				return "", ""
			})
		}
	}
}

// load reads every stored definition, forms first so workflows compile
// against them, each kind in the order it was published so an overlay
// resolves against the base version that was newest when it was published.
func (r *registry) load(ctx context.Context, client *ent.Client) error {
	_, err := r.loadNew(ctx, client)
	return err
}

// loadNew adds the stored versions not added yet, in the order they were
// stored, forms first so workflows compile against them, and returns them.
// Rows are found by id, not by "newer than the last": on PostgreSQL a row
// with a smaller id can commit after a larger one. The table holds a few
// hundred rows, so asking for every id costs little.
func (r *registry) loadNew(ctx context.Context, client *ent.Client) ([]*parsed, error) {
	ids, err := client.Definition.Query().IDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list definitions: %w", err)
	}
	r.mu.RLock()
	fresh := make([]int, 0, len(ids))
	for _, id := range ids {
		if !r.loaded[id] {
			fresh = append(fresh, id)
		}
	}
	r.mu.RUnlock()
	if len(fresh) == 0 {
		return nil, nil
	}
	rows, err := client.Definition.Query().Where(definition.IDIn(fresh...)).Order(ent.Asc(definition.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load definitions: %w", err)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Kind == workflows.KindForm && rows[j].Kind != workflows.KindForm })
	added := make([]*parsed, 0, len(rows))
	for _, row := range rows {
		file := fmt.Sprintf("%s/%s@%d", row.Kind, row.DefID, row.Version)
		p, err := r.parse(file, []byte(row.Source), nil)
		if err != nil {
			return added, fmt.Errorf("load %s: %w", file, err)
		}
		r.add(p, row.Version, row.Published)
		r.markLoaded(row.ID)
		added = append(added, p)
	}
	return added, nil
}

// markLoaded records that the stored row id is added.
func (r *registry) markLoaded(id int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.loaded[id] = true
}

// sameAsLatest reports whether src is already the newest stored version.
func sameAsLatest(ctx context.Context, tx *ent.Tx, kind, id string, src []byte) (int, bool, error) {
	row, err := tx.Definition.Query().
		Where(definition.Kind(kind), definition.DefID(id)).
		Order(ent.Desc(definition.FieldVersion)).First(ctx)
	if ent.IsNotFound(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return row.Version, bytes.Equal([]byte(row.Source), src), nil
}

func departmentIDs() []string {
	ds := workflows.Departments()
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids
}

// currentCalendar returns the newest published holiday calendar, or nil.
func (r *registry) currentCalendar() *workflows.Calendar {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.calendar
}
