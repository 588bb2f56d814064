package store

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/ent/household"
	"jianfu/workflows"
)

// fired is what Fire's transaction already knows about the case it
// changed: the row as locked, the snapshot the engine decided on, the
// transition and the tasks it opened.
type fired struct {
	c      *ent.Casefile
	before workflows.Snapshot
	tr     *workflows.Transition
	tasks  []*ent.Task
	now    time.Time
}

// firedCase is the case as Case would read it back after Fire, built from
// what the transaction wrote instead of reading it again: reading the case,
// its household, its tasks and the new state's tasks back cost about half of
// an action's time (docs/BENCHMARKS.md). Only the household's name, the
// history and the drafts are read.
func (s *Service) firedCase(ctx context.Context, actor workflows.User, f fired) (workflows.Case, error) {
	c, tr, def := *f.c, f.tr, f.before.Definition
	c.State, c.Version, c.Final, c.Outcome = tr.To, c.Version+1, tr.Final, tr.Outcome
	now := s.db.asRead(f.now)
	c.EnteredAt, c.UpdatedAt = now, now
	if tr.Classification != "" {
		c.Classification = tr.Classification
	}
	out := toCase(&c, def)
	head, err := s.client.Household.Query().Where(household.ID(c.HouseholdID)).
		Select(household.FieldHeadName).String(ctx)
	if err != nil {
		return workflows.Case{}, fmt.Errorf("load household %d of case %d: %w", c.HouseholdID, c.ID, err)
	}
	out.HouseholdName = head
	if !c.Final {
		snap, err := s.enteredSnapshot(ctx, f, &c)
		if err != nil {
			return workflows.Case{}, err
		}
		out.Actions = s.eng().Actions(ctx, snap, actor, s.now())
		if out.Drafts, err = s.drafts(ctx, c.ID, out.Actions); err != nil {
			return workflows.Case{}, err
		}
	}
	for _, t := range f.tasks {
		row := *t
		row.CreatedAt = s.db.asRead(row.CreatedAt)
		if row.Due != nil {
			due := s.db.asRead(*row.Due)
			row.Due = &due
		}
		out.Tasks = append(out.Tasks, s.toTask(&row, def, head))
	}
	if out.History, err = s.history(ctx, def, c.ID); err != nil {
		return workflows.Case{}, err
	}
	return out, nil
}

// enteredSnapshot is the snapshot of the state the case has just entered,
// as snapshot would read it: this visit's department tasks are the ones
// just opened, none of them done yet.
func (s *Service) enteredSnapshot(ctx context.Context, f fired, c *ent.Casefile) (workflows.Snapshot, error) {
	def := f.before.Definition
	snap := workflows.Snapshot{Definition: def, State: c.State, EnteredAt: c.EnteredAt, Locality: c.Locality,
		StartedAt: c.CreatedAt, Classification: c.Classification, Params: f.before.Params,
		Household: f.before.Household}
	if def.UsesHousehold() && s.reg.inFamily(householdForm, f.tr.Form) {
		// The submission just stored is now the household's newest
		// record; read it as stored (JSON numbers), as the engine will
		// see it next time.
		h, err := householdFacts(ctx, s.client, s.reg.formFamily(householdForm), c.HouseholdID)
		if err != nil {
			return workflows.Snapshot{}, err
		}
		snap.Household = h
	}
	for _, t := range f.tasks {
		if t.Department != "" {
			snap.Tasks = append(snap.Tasks, workflows.TaskState{Department: t.Department, Done: t.Status == workflows.TaskDone})
		}
	}
	return snap, nil
}

// asRead is t as the database gives it back, so that Fire's answer and a
// later read of the same case are the same JSON: PostgreSQL keeps
// microseconds and answers in the process's zone; SQLite keeps what was
// written.
func (db *DB) asRead(t time.Time) time.Time {
	if db.Dialect != dialect.Postgres {
		return t
	}
	return t.Truncate(time.Microsecond).Local()
}
