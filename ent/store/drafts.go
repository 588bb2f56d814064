package store

import (
	"context"
	"fmt"

	"jianfu/ent"
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
	rows, err := s.client.Submission.Query().Where(submission.CaseID(caseID), submission.FormIn(formIDs...)).
		Order(ent.Desc(submission.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load drafts of case %d: %w", caseID, err)
	}
	newest := make(map[string]map[string]any, len(formIDs))
	for _, r := range rows {
		if _, ok := newest[r.Form]; !ok {
			newest[r.Form] = r.Data
		}
	}
	return newest, nil
}
