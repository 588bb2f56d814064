package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// ListImport is one upload of a department's screening list (部门预警推送):
// who sent which file for which period, how far its processing got (the
// progress bar reads it) and what came of its rows.
type ListImport struct{ ent.Schema }

func (ListImport) Fields() []ent.Field {
	return []ent.Field{
		field.String("department"),
		field.String("workflow"),
		field.String("form"),
		field.Int("form_version"),
		field.String("period"), // 2026-11: a list is idempotent per department and period
		field.String("file_name").Default(""),
		field.JSON("header", []string{}),
		field.String("status"), // running, done, failed
		field.String("message").Default(""),
		field.Int("total_rows").Default(0), // known when done
		field.Int("percent").Default(0),    // how far through the file, for the progress bar
		field.Int("processed_rows").Default(0),
		field.Int("started").Default(0),
		field.Int("duplicates").Default(0),
		field.Int("open_cases").Default(0),
		field.Int("problems").Default(0),
		field.String("created_by"),
		field.String("locality").MaxLen(12), // the liaison's county, for who may see the import
		field.Time("created_at").Immutable(),
		field.Time("finished_at").Optional().Nillable(),
	}
}

func (ListImport) Indexes() []ent.Index {
	return []ent.Index{index.Fields("department", "created_at")}
}

// ListEntry is one row of a screening list that started a case, or was
// recorded on the household's open case (a warning). Its unique key makes
// a re-upload of the same period's list start or record nothing twice.
type ListEntry struct{ ent.Schema }

func (ListEntry) Fields() []ent.Field {
	return []ent.Field{
		field.String("department"),
		field.String("period"),
		field.String("id_number").MaxLen(18),
		field.Int("import_id"),
		field.Int("line"),
		field.Int("household_id"),
		field.Int("case_id"),
		field.Time("created_at").Immutable(),
	}
}

func (ListEntry) Indexes() []ent.Index {
	return []ent.Index{index.Fields("department", "period", "id_number").Unique()}
}

// ListProblem is a row of a screening list that started no case: wrong
// (kind error: a bad 身份证号, no such household) or left out (kind skip:
// already on this period's list, or the household's check is still open).
// The error sheet the liaison downloads is made of these rows.
type ListProblem struct{ ent.Schema }

func (ListProblem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("import_id"),
		field.Int("line"),
		field.String("kind"),
		field.JSON("cells", []string{}),
		field.Text("message"),
	}
}

func (ListProblem) Indexes() []ent.Index {
	return []ent.Index{index.Fields("import_id", "line")}
}

func (ListImport) Annotations() []schema.Annotation {
	return []schema.Annotation{entsql.Annotation{Table: "list_imports"}}
}
