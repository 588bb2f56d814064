package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Casefile (table "cases") is one run of one pinned workflow version for one household. The
// state machine's state lives here (external storage); version is the
// optimistic lock every change checks and increments.
type Casefile struct{ ent.Schema }

func (Casefile) Fields() []ent.Field {
	return []ent.Field{
		field.String("workflow"),
		field.Int("workflow_version"),
		field.String("state"),
		field.Int("household_id"),
		field.String("locality").MaxLen(12),
		field.String("locality_path"),
		field.Int("version").Default(1),
		field.Bool("final").Default(false),
		field.String("outcome").Default(""),
		// classification is the category or colour band a workflow's
		// classify expression computed last (红/黄/绿); "" when none.
		field.String("classification").Default(""),
		field.Time("entered_at"),
		field.Time("created_at").Immutable(),
		field.Time("updated_at"),
	}
}

func (Casefile) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("household", Household.Type).Ref("cases").Field("household_id").Unique().Required(),
		edge.To("tasks", Task.Type),
		edge.To("events", Event.Type),
		edge.To("submissions", Submission.Type),
	}
}

func (Casefile) Indexes() []ent.Index {
	return []ent.Index{
		// For "locality_path LIKE '51/5101/%'" on PostgreSQL (see Task).
		index.Fields("locality_path").Annotations(entsql.OpClass("text_pattern_ops")),
		// Case migration's scan (workflow, older version). Not the state:
		// an index on it would be rewritten by every action, and on
		// PostgreSQL would make the case's UPDATE a non-HOT one that adds
		// an entry to each of the table's indexes. Nothing asks for cases
		// by state.
		index.Fields("workflow", "workflow_version"),
		// A household's cases: its record's newest 入户核实表, the check
		// for an open case before starting or handing over one.
		index.Fields("household_id"),
	}
}

// Annotations keeps the table named after the domain word; the Go type
// cannot be Case because "case" is a Go keyword.
func (Casefile) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "cases"}}
}
