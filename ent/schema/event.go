package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Event is one line of the audit trail: who did what, as which role, where,
// when, and which state change or record it made. Rows are only appended.
type Event struct{ ent.Schema }

func (Event) Fields() []ent.Field {
	return []ent.Field{
		field.Int("case_id").Optional().Nillable(),
		field.String("kind"), // start, fire, complete_task, create_household, publish_definition
		field.String("actor"),
		field.String("role"),
		field.String("locality").Default(""),
		field.String("trigger").Default(""),
		field.String("from_state").Default(""),
		field.String("to_state").Default(""),
		field.Int("submission_id").Optional().Nillable(),
		field.String("object").Default(""), // what a non-case event touched, e.g. household:12
		field.Time("at").Immutable(),
	}
}

func (Event) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("case", Casefile.Type).Ref("events").Field("case_id").Unique(),
	}
}

func (Event) Indexes() []ent.Index {
	return []ent.Index{index.Fields("case_id", "at"), index.Fields("at")}
}
