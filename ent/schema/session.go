package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// Session is a signed-in browser or API client. Only a hash of the token is
// stored, so a copy of the database does not let anyone sign in.
type Session struct{ ent.Schema }

func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Unique().Sensitive(),
		field.String("username"),
		field.Time("created_at"),
		field.Time("expires_at"),
	}
}
