package store

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"

	"jianfu/ent/submission"
	"jianfu/workflows"
)

// drafts returns, by form id, the newest submission in the case of each
// action's form: a case sent back to an earlier step keeps what was filled
// there before, and the cadre corrects it rather than starting over. One
// query for all of a page's actions; nil when no action has a form.
func (s *Service) drafts(ctx context.Context, caseID int, actions []workflows.Action) (map[string]map[string]any, error) {
	var formIDs []string
	for _, a := range actions {
		if a.Form != "" {
			formIDs = append(formIDs, a.Form)
		}
	}
	if len(formIDs) == 0 {
		return nil, nil
	}
	// Only the newest row of each form is read and decoded: a case sent
	// back and forth keeps every earlier submission, and decoding them
	// all was a fifth of an action's time (docs/BENCHMARKS.md).
	newestIDs := func(s *sql.Selector) {
		t := sql.Table(submission.Table)
		s.Where(sql.In(s.C(submission.FieldID), sql.Select(sql.Max(t.C(submission.FieldID))).From(t).
			Where(sql.And(sql.EQ(t.C(submission.FieldCaseID), caseID), sql.In(t.C(submission.FieldForm), anys(formIDs)...))).
			GroupBy(t.C(submission.FieldForm))))
	}
	rows, err := s.client.Submission.Query().Where(newestIDs).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load drafts of case %d: %w", caseID, err)
	}
	newest := make(map[string]map[string]any, len(formIDs))
	for _, r := range rows {
		newest[r.Form] = r.Data
	}
	return newest, nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
