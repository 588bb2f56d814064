package schema

import (
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// User is a person who signs in: a cadre, a department liaison or an
// administrator.
type User struct{ ent.Schema }

func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("username").Unique().NotEmpty(),
		field.String("name").Default(""),
		field.String("password_hash").Sensitive(),
		field.String("role").NotEmpty(),
		field.String("locality").MaxLen(12),
		field.String("department").Default(""),
		field.Time("created_at").Default(time.Now).Immutable(),
	}
}
