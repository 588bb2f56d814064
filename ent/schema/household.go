package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
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
		// id_reversed is id_number backwards: a search by the last digits
		// of a 身份证号 becomes a prefix an index can find, where
		// "id_number LIKE '%1234'" reads every row (docs/BENCHMARKS.md).
		field.String("id_reversed").MaxLen(18).Default(""),
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
		// For "locality_path LIKE '51/5101/%'" on PostgreSQL (see Task).
		index.Fields("locality_path").Annotations(entsql.OpClass("text_pattern_ops")),
		index.Fields("id_reversed"),
		// Names are searched by prefix. PostgreSQL uses a btree for
		// "LIKE '王建%'" only with the pattern operator class, whatever
		// the database's collation. The path rides along so a search
		// finds its page of ids in the index alone (store.Households):
		// SQLite's indexes carry the rowid anyway, PostgreSQL's only with
		// INCLUDE (without it a common name read ~950 table rows).
		index.Fields("head_name", "locality_path").
			Annotations(entsql.OpClassColumn("head_name", "text_pattern_ops"), entsql.IncludeColumns("id")),
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

// A household page reads its members by household_id.
func (Member) Indexes() []ent.Index {
	return []ent.Index{index.Fields("id_number"), index.Fields("household_id")}
}
