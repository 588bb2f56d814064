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
		// ("17/monitoring/2026-11"): unique, so a rerun creates nothing twice.
		field.String("schedule_key").Optional().Nillable().Unique(),
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

// The inbox queries are "open tasks of a role under a locality path" and
// "open tasks of a department under a county path", oldest due first.
// PostgreSQL serves "locality_path LIKE '51/5101/%'" from a btree only with
// the pattern operator class, unless the database's collation is C.
func (Task) Indexes() []ent.Index {
	underPath := entsql.OpClassColumn("locality_path", "text_pattern_ops")
	return []ent.Index{
		index.Fields("status", "role", "locality_path").Annotations(underPath),
		index.Fields("status", "department", "locality_path").Annotations(underPath),
		index.Fields("case_id", "status"),
	}
}
