package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Household is a rural family, the subject of every case.
type Household struct{ ent.Schema }

func (Household) Fields() []ent.Field {
	return []ent.Field{
		field.String("head_name").NotEmpty(),
		field.String("id_number").MaxLen(18),
		field.String("locality").MaxLen(12),
		field.String("locality_path"),
		field.Time("created_at").Immutable(),
	}
}

func (Household) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("members", Member.Type),
		edge.To("cases", Casefile.Type),
	}
}

func (Household) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("id_number").Unique(),
		index.Fields("locality_path"),
	}
}

// Member is one person of a household.
type Member struct{ ent.Schema }

func (Member) Fields() []ent.Field {
	return []ent.Field{
		field.Int("household_id"),
		field.String("name").NotEmpty(),
		field.String("id_number").Default(""),
		field.String("relation").Default(""),
		field.String("gender").Default(""),
		field.String("birth").Default(""),
	}
}

func (Member) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("household", Household.Type).Ref("members").Field("household_id").Unique().Required(),
	}
}

func (Member) Indexes() []ent.Index {
	return []ent.Index{index.Fields("id_number")}
}
