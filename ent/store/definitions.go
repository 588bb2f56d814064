package store

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"jianfu/ent"
	"jianfu/ent/definition"
	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// Definitions lists every stored definition version.
func (s *Service) Definitions(ctx context.Context, actor workflows.User) ([]workflows.DefinitionInfo, error) {
	rows, err := s.client.Definition.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list definitions: %w", err)
	}
	// Sorted here, in byte order: ORDER BY on text follows PostgreSQL's
	// collation (zh_CN ignores "_" and puts "a" before "B"), SQLite's bytes.
	slices.SortFunc(rows, func(a, b *ent.Definition) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.DefID, b.DefID), cmp.Compare(a.Version, b.Version))
	})
	out := make([]workflows.DefinitionInfo, len(rows))
	for i, r := range rows {
		out[i] = workflows.DefinitionInfo{Kind: r.Kind, ID: r.DefID, Version: r.Version, Title: r.Title,
			Published: r.Published, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// DefinitionSource implements workflows.Service.
func (s *Service) DefinitionSource(ctx context.Context, actor workflows.User, kind, id string, version int) (workflows.DefinitionSource, error) {
	if !s.auth.MayAdminister(actor.Username) {
		return workflows.DefinitionSource{}, workflows.Errorf(workflows.Forbidden, "只有管理员可以查看定义原文")
	}
	q := s.client.Definition.Query().Where(definition.Kind(kind), definition.DefID(id))
	if version > 0 {
		q = q.Where(definition.Version(version))
	}
	d, err := q.Order(ent.Desc(definition.FieldVersion)).First(ctx)
	if ent.IsNotFound(err) {
		return workflows.DefinitionSource{}, workflows.Errorf(workflows.NotFound, "定义不存在")
	}
	if err != nil {
		return workflows.DefinitionSource{}, fmt.Errorf("load %s %s v%d: %w", kind, id, version, err)
	}
	return workflows.DefinitionSource{
		DefinitionInfo: workflows.DefinitionInfo{Kind: d.Kind, ID: d.DefID, Version: d.Version, Title: d.Title,
			Published: d.Published, CreatedAt: d.CreatedAt},
		Source: d.Source, CreatedBy: d.CreatedBy,
	}, nil
}

// WorkflowVersion implements workflows.Service.
func (s *Service) WorkflowVersion(ctx context.Context, id string, version int) (*workflows.Definition, error) {
	return s.reg.Workflow(id, version)
}

// Form returns the newest published form definition.
// FormVersion implements workflows.Service.
func (s *Service) FormVersion(ctx context.Context, id string, version int) (*forms.Definition, error) {
	return s.reg.FormVersion(id, version)
}

func (s *Service) Form(ctx context.Context, id, locality string) (*forms.Definition, error) {
	if locality == "" {
		return s.reg.Form(id)
	}
	return s.reg.FormFor(id, locality)
}

// PublishDefinition lints and publishes a new version of a definition.
// Publishing the same text as the newest version returns that version.
func (s *Service) PublishDefinition(ctx context.Context, actor workflows.User, src []byte) (workflows.DefinitionInfo, error) {
	src = unixLines(src)
	p, err := s.lint(actor, src)
	if err != nil {
		return workflows.DefinitionInfo{}, err
	}
	return s.publish(ctx, actor, p, src)
}

// CheckDefinition implements workflows.Service.
func (s *Service) CheckDefinition(ctx context.Context, actor workflows.User, src []byte) (workflows.DefinitionCheck, error) {
	p, err := s.lint(actor, unixLines(src))
	if err != nil {
		return workflows.DefinitionCheck{}, err
	}
	return workflows.DefinitionCheck{Kind: p.kind, ID: p.id, Title: p.title, Form: p.form, Workflow: p.workflow}, nil
}

// unixLines ends every line with \n alone. A browser posts a text box
// with \r\n, as Windows editors save files: stored as sent, every line of
// such a version would differ from the one before, and publishing the
// same text again would make a new version.
func unixLines(src []byte) []byte {
	return bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
}

// lint is what publishing asks before it stores: the actor administers,
// the text parses against the published definitions, and a variant is
// for the actor's own area.
func (s *Service) lint(actor workflows.User, src []byte) (*parsed, error) {
	if !s.auth.MayAdminister(actor.Username) {
		return nil, workflows.Errorf(workflows.Forbidden, "只有管理员可以发布定义")
	}
	p, err := s.reg.parse("upload.yaml", src, nil)
	if err != nil {
		return nil, err
	}
	if p.form != nil {
		if ps := s.reg.prefillProblems(p.form); len(ps) > 0 {
			return nil, &workflows.Error{Code: workflows.Invalid, Message: "定义有误", Problems: ps}
		}
	}
	// A variant changes the work of one locality: its administrators',
	// not a neighbouring county's.
	if l := p.overlayLocality(); l != "" && !s.auth.MaySee(actor.Username, l) {
		return nil, workflows.Errorf(workflows.Forbidden, "只能为本辖区发布变体定义")
	}
	return p, nil
}

func (s *Service) publish(ctx context.Context, actor workflows.User, p *parsed, src []byte) (workflows.DefinitionInfo, error) {
	var version, rowID int
	fresh := false
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		latest, same, err := sameAsLatest(ctx, tx, p.kind, p.id, src)
		if err != nil {
			return fmt.Errorf("latest %s %s: %w", p.kind, p.id, err)
		}
		if same {
			version = latest
			return nil
		}
		version, fresh = latest+1, true
		row, err := tx.Definition.Create().SetKind(p.kind).SetDefID(p.id).SetVersion(version).
			SetTitle(p.title).SetSource(string(src)).SetPublished(true).SetCreatedBy(actor.Username).
			SetCreatedAt(s.now()).Save(ctx)
		if err != nil {
			return fmt.Errorf("store %s %s v%d: %w", p.kind, p.id, version, err)
		}
		rowID = row.ID
		return s.audit(ctx, tx, actor, auditEntry{kind: "publish_definition", locality: actor.Locality,
			object: fmt.Sprintf("%s:%s@%d", p.kind, p.id, version)})
	})
	if err != nil {
		return workflows.DefinitionInfo{}, err
	}
	if fresh {
		s.reg.add(p, version, true)
		s.reg.markLoaded(rowID)
		if p.calendar != nil && !s.fixedCalendar {
			s.setCalendar(p.calendar)
		}
		if p.workflow != nil {
			if err := s.auth.SetWorkflowRules(p.id, s.reg.workflowRules(p.id)); err != nil {
				return workflows.DefinitionInfo{}, fmt.Errorf("rules of workflow %s: %w", p.id, err)
			}
		}
	}
	return workflows.DefinitionInfo{Kind: p.kind, ID: p.id, Version: version, Title: p.title, Published: true,
		Unchanged: !fresh}, nil
}

// Refresh adds the definitions other processes published since this one
// loaded them: new versions and variants, a new holiday calendar, and the
// authorization rules of new workflow versions. Several processes on one
// PostgreSQL run it every few seconds (jianfu serve --refresh-every); what
// this process publishes itself is in use at once. It answers how many
// versions it added.
func (s *Service) Refresh(ctx context.Context) (int, error) {
	added, err := s.reg.loadNew(ctx, s.client)
	for _, p := range added {
		if p.workflow != nil {
			if err := s.auth.SetWorkflowRules(p.id, s.reg.workflowRules(p.id)); err != nil {
				return len(added), fmt.Errorf("rules of workflow %s: %w", p.id, err)
			}
		}
		if p.calendar != nil && !s.fixedCalendar {
			s.setCalendar(s.reg.currentCalendar())
		}
	}
	if err != nil {
		return len(added), fmt.Errorf("refresh definitions: %w", err)
	}
	return len(added), nil
}

// system is the actor of start-up work such as publishing built-ins.
var system = workflows.User{Username: "system", Role: roles.Admin}

// publishBuiltins publishes every built-in definition whose text is not
// stored as any version yet: forms first, so workflows compile against
// them. Comparing with every version, not only the newest, keeps an
// administrator's newer version of a built-in the newest across restarts;
// a release that changes a built-in's text still publishes it.
func (s *Service) publishBuiltins(ctx context.Context) error {
	calendar := map[string][]byte{"calendar.yaml": workflows.BuiltinCalendarSource()}
	for _, set := range []map[string][]byte{forms.Builtin(), workflows.Builtin(), calendar} {
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p, err := s.reg.parse(n, set[n], nil)
			if err != nil {
				return fmt.Errorf("built-in %s: %w", n, err)
			}
			known, err := s.client.Definition.Query().Where(definition.Kind(p.kind), definition.DefID(p.id),
				definition.Source(string(set[n]))).Exist(ctx)
			if err != nil {
				return fmt.Errorf("look up built-in %s: %w", n, err)
			}
			if known {
				continue
			}
			if _, err := s.publish(ctx, system, p, set[n]); err != nil {
				return fmt.Errorf("publish built-in %s: %w", n, err)
			}
		}
	}
	return nil
}

// latestWorkflows returns the newest published version of every workflow.
// workflowRules are the authorization rules of workflow id: its newest
// version's, and of older versions only those for a (state, trigger) the
// newest no longer has. A case keeps the version it started on, so a case
// of an older version may wait in a step a newer version removed; without
// its old rule nobody could act on it until it was migrated. Where the
// newest version still has the step and trigger, its roles govern cases
// of every version.
func (r *registry) workflowRules(id string) []roles.Rule {
	r.mu.RLock()
	defer r.mu.RUnlock()
	type step struct{ state, trigger string }
	var out []roles.Rule
	governed := map[step]bool{}
	for v := r.latestWorkflow[id]; v > 0; v-- {
		d, ok := r.workflows[defKey{id, v}]
		if !ok {
			continue
		}
		var mine []step
		for _, rule := range d.Rules() {
			k := step{rule.State, rule.Trigger}
			if governed[k] {
				continue
			}
			mine = append(mine, k)
			out = append(out, roles.Rule{Role: rule.Role, State: rule.State, Trigger: rule.Trigger})
		}
		// A version's own steps may have several roles (a fan-out's
		// liaison and the state's role): mark them after the version.
		for _, k := range mine {
			governed[k] = true
		}
	}
	return out
}

func (r *registry) latestWorkflows() []*workflows.Definition {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*workflows.Definition, 0, len(r.latestWorkflow))
	for id, v := range r.latestWorkflow {
		out = append(out, r.workflows[defKey{id, v}])
	}
	return out
}

// overlayLocality is the locality a variant covers; "" for a base
// definition or a calendar.
func (p *parsed) overlayLocality() string {
	switch {
	case p.workflow != nil && p.workflow.Overlay != nil:
		return p.workflow.Overlay.Locality
	case p.form != nil && p.form.Overlay != nil:
		return p.form.Overlay.Locality
	}
	return ""
}
