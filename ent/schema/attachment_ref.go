package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// AttachmentRef says who may read a stored attachment (a photo, signature
// or file, by the id its store gave it): the user who uploaded it, and
// whoever may see a case one of whose submissions uses it. One row per
// uploader and one per case that uses it.
type AttachmentRef struct{ ent.Schema }

func (AttachmentRef) Fields() []ent.Field {
	return []ent.Field{
		field.String("attachment_id").MaxLen(128),
		field.String("uploaded_by").Default(""),
		field.Int("case_id").Optional().Nillable(),
		field.Time("created_at").Immutable(),
	}
}

func (AttachmentRef) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("attachment_id", "uploaded_by"),
		index.Fields("attachment_id", "case_id"),
	}
}
