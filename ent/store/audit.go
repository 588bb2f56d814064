package store

import (
	"context"
	"fmt"

	"jianfu/ent"
	"jianfu/workflows"
)

// auditEntry is what one mutation appends to the audit trail.
type auditEntry struct {
	kind, locality, trigger, from, to, object string
	caseID, submissionID                      *int
}

// audit appends one event inside the mutation's transaction, so a change
// and its record commit or fail together.
func (s *Service) audit(ctx context.Context, tx *ent.Tx, actor workflows.User, e auditEntry) error {
	_, err := tx.Event.Create().
		SetKind(e.kind).SetActor(actor.Username).SetRole(actor.Role).SetLocality(e.locality).
		SetTrigger(e.trigger).SetFromState(e.from).SetToState(e.to).SetObject(e.object).
		SetNillableCaseID(e.caseID).SetNillableSubmissionID(e.submissionID).
		SetAt(s.now()).Save(ctx)
	if err != nil {
		return fmt.Errorf("append audit event %s: %w", e.kind, err)
	}
	return nil
}
