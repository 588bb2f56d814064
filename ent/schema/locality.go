package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Locality is one node of the administrative tree (county, township,
// village), keyed by its 12-digit 统计用区划代码.
type Locality struct{ ent.Schema }

func (Locality) Fields() []ent.Field {
	return []ent.Field{
		field.String("code").MaxLen(12).MinLen(12).Unique().Immutable(),
		field.String("name").NotEmpty(),
		field.String("level").NotEmpty(),
		// path is the code cut at its levels ("510100/001/001/"); a
		// prefix match on it selects a subtree.
		field.String("path").NotEmpty(),
		field.String("parent_code").Optional(),
	}
}

func (Locality) Indexes() []ent.Index {
	return []ent.Index{index.Fields("path")}
}
