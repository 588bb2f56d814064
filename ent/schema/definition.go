package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Definition is one immutable, numbered version of a form or workflow
// definition, kept as the source text the administrator wrote.
type Definition struct{ ent.Schema }

func (Definition) Fields() []ent.Field {
	return []ent.Field{
		field.String("kind").NotEmpty(), // form or workflow
		field.String("def_id").NotEmpty(),
		field.Int("version").Positive(),
		field.String("title").Default(""),
		field.Text("source"),
		field.Bool("published").Default(true),
		field.String("created_by").Default(""),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}

func (Definition) Indexes() []ent.Index {
	return []ent.Index{index.Fields("kind", "def_id", "version").Unique()}
}
