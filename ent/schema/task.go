package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Task is one item of an inbox: the acting role's step of a case, or one
// department's check fanned out from a step.
type Task struct{ ent.Schema }

func (Task) Fields() []ent.Field {
	return []ent.Field{
		field.Int("case_id"),
		field.String("workflow"),
		field.String("state"),
		field.String("role").Default(""),
		field.String("department").Default(""),
		field.String("locality").MaxLen(12),
		field.String("locality_path"),
		field.String("form").Default(""),
		field.Time("due").Optional().Nillable(),
		field.String("status").Default("open"),
		field.String("completed_by").Default(""),
		field.Time("completed_at").Optional().Nillable(),
		field.Int("submission_id").Optional().Nillable(),
		field.Time("created_at").Immutable(),
		// schedule_key is set on tasks the scheduler generates
		// ("17/monitoring/2026-11"): unique (task_schedule_key), so a rerun
		// creates nothing twice.
		field.String("schedule_key").Optional().Nillable(),
		// escalated_to is the role one level up that also sees an overdue
		// task; "" when not escalated.
		field.String("escalated_to").Default(""),
	}
}

func (Task) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("case", Casefile.Type).Ref("tasks").Field("case_id").Unique().Required(),
	}
}

// The inbox queries are "open tasks of a role (or escalated to it) under a
// locality path" and "open tasks of a department under a county path",
// oldest due first. Their indexes are partial, over open tasks only (a tenth of
// the rows at county scale): smaller to read, and a task that closes
// leaves them instead of being rewritten in them. The role index starts
// with the path, the selective part for a cadre, and carries escalated_to
// and due so the filter and the order come from the index. Both end with
// the columns of their own WHERE: SQLite still checks those terms, and
// with them in the index a page of ids and the count never touch the
// table (store.Tasks). PostgreSQL
// serves "locality_path LIKE '510100/001/%'" from a btree only with the
// pattern operator class, unless the database's collation is C; SQLite is
// given a range instead (store.under).
//
// The scheduler's "open role tasks not escalated, due before now" has no
// index of its own: one cost every action 1.3 of its ~15 SQLite WAL pages,
// while scanning task_open_role for it takes ~7 ms for a county's open
// tasks, once every ten minutes (docs/BENCHMARKS.md, session 5).
func (Task) Indexes() []ent.Index {
	underPath := entsql.OpClassColumn("locality_path", "text_pattern_ops")
	// A page of ids comes from the index alone: SQLite's indexes carry the
	// rowid anyway, PostgreSQL's only with INCLUDE (a county liaison's
	// page read ~1,500 table pages for its ids without it).
	withID := entsql.IncludeColumns("id")
	return []ent.Index{
		index.Fields("locality_path", "role", "escalated_to", "due", "status", "department").StorageKey("task_open_role").
			Annotations(underPath, withID, entsql.IndexWhere("status = 'open' AND department = ''")),
		index.Fields("department", "locality_path", "due", "status").StorageKey("task_open_department").
			Annotations(underPath, withID, entsql.IndexWhere("status = 'open' AND department <> ''")),
		index.Fields("case_id", "status"),
		// Unique over the scheduler's tasks only: the other nine in ten
		// have no key, and a full index would take an entry for each of
		// them on every action (two on PostgreSQL, whose closing UPDATE
		// is not HOT).
		index.Fields("schedule_key").Unique().StorageKey("task_schedule_key").
			Annotations(entsql.IndexWhere("schedule_key IS NOT NULL")),
	}
}
