package store

import (
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"jianfu/roles"
	"jianfu/workflows"
)

// under is the predicate "column is the user's locality path or below it",
// written so that each database answers it from the B-tree index that ends
// in the column. PostgreSQL's index has text_pattern_ops, which serves
// LIKE 'p%' but not < and >=. SQLite uses an index for LIKE only under
// case_sensitive_like, so it gets the equivalent range p <= column < p'
// (p' is p with its last byte raised: paths are ASCII). A user with a
// broken locality code sees nothing.
func under[P ~func(*entsql.Selector)](d string, column string, u workflows.User) P {
	p, err := roles.Path(u.Locality)
	if err != nil || p == "" {
		return func(s *entsql.Selector) { s.Where(entsql.False()) }
	}
	if d == dialect.Postgres {
		return func(s *entsql.Selector) { s.Where(entsql.HasPrefix(s.C(column), p)) }
	}
	return func(s *entsql.Selector) {
		s.Where(entsql.And(entsql.GTE(s.C(column), p), entsql.LT(s.C(column), pathEnd(p))))
	}
}

// pathEnd is the least string greater than every string starting with p,
// for an ASCII p.
func pathEnd(p string) string {
	return p[:len(p)-1] + string(p[len(p)-1]+1)
}
