package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Submission is the data of one filled form, pinned to the form version it
// was validated against.
type Submission struct{ ent.Schema }

func (Submission) Fields() []ent.Field {
	return []ent.Field{
		field.Int("case_id"),
		field.Int("task_id").Optional().Nillable(),
		field.String("state").Default(""),
		field.String("trigger").Default(""),
		field.String("form"),
		field.Int("form_version"),
		field.JSON("data", map[string]any{}),
		field.String("created_by"),
		field.Time("created_at").Immutable(),
	}
}

// A case page reads the newest submission of each of its actions' forms
// (drafts); without the index every page read the whole table.
func (Submission) Indexes() []ent.Index {
	return []ent.Index{index.Fields("case_id", "form")}
}

func (Submission) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("case", Casefile.Type).Ref("submissions").Field("case_id").Unique().Required(),
	}
}
