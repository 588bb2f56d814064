package store

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/workflows"
)

// DecideThenWrite is Fire cut in two: it decides trigger on the case as
// read now, runs between (another action on the case, say), then writes
// the decision the way its dialect writes an action — PostgreSQL's one
// autocommitted statement, SQLite's statements in a transaction. It is
// the race that Fire's version check must make the late writer lose.
func (s *Service) DecideThenWrite(ctx context.Context, actor workflows.User, caseID int, trigger string, data map[string]any, between func()) error {
	c, err := s.client.Casefile.Get(ctx, caseID)
	if err != nil {
		return fmt.Errorf("load case %d: %w", caseID, err)
	}
	tr, now, err := s.decide(ctx, nil, actor, c, trigger, data, c.Version)
	if err != nil {
		return err
	}
	between()
	if s.db.Dialect == dialect.Postgres {
		return s.writePostgres(ctx, s.client, actor, c, tr, now)
	}
	return s.inTx(ctx, func(tx *ent.Tx) error { return s.applySQLite(ctx, tx, actor, c, tr, now) })
}
