package store

import (
	"context"
	"fmt"
	"time"

	"jianfu/ent"
	"jianfu/ent/casefile"
	"jianfu/workflows"
)

// handOver starts the workflow a case's final state names (then:) for the
// same household, in the transaction that ended the case: entry hands over
// to monitoring, monitoring to exit. Like StartCase it takes the most
// specific variant covering the household and the params of the year it
// starts. The new case carries the old one's classification. A household
// that already has an open case on that workflow's road (road) keeps it:
// nothing is started twice, and a household under monitoring that a
// department warning refers again is not identified a second time.
func (s *Service) handOver(ctx context.Context, tx *ent.Tx, actor workflows.User, from *ent.Casefile, tr *workflows.Transition, now time.Time) error {
	def, err := s.reg.forHousehold(tr.Then, from.LocalityPath)
	if err != nil {
		return fmt.Errorf("hand case %d over to %s: %w", from.ID, tr.Then, err)
	}
	ids, err := s.road(tr.Then, def, from.LocalityPath)
	if err != nil {
		return fmt.Errorf("hand case %d over to %s: %w", from.ID, tr.Then, err)
	}
	open, err := tx.Casefile.Query().Where(casefile.HouseholdID(from.HouseholdID), casefile.WorkflowIn(ids...),
		casefile.Final(false)).Select(casefile.FieldID).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("check open %s cases of household %d: %w", def.ID, from.HouseholdID, err)
	}
	if open != nil {
		// The case's history says why its outcome started nothing.
		return s.audit(ctx, tx, actor, auditEntry{kind: workflows.TriggerHandOverSkipped, locality: from.Locality,
			trigger: workflows.TriggerHandOverSkipped, from: tr.To, to: tr.To, caseID: &from.ID,
			object: fmt.Sprintf("case:%d", open.ID)})
	}
	class := from.Classification
	if tr.Classification != "" {
		class = tr.Classification
	}
	next, err := s.eng().HandOver(workflows.Snapshot{Definition: def, Locality: from.Locality, Classification: class,
		Params: def.ParamsFor(now)}, now)
	if err != nil {
		return fmt.Errorf("hand case %d over to %s: %w", from.ID, def.ID, err)
	}
	c, err := tx.Casefile.Create().SetWorkflow(def.ID).SetWorkflowVersion(def.Version).
		SetState(next.To).SetHouseholdID(from.HouseholdID).SetLocality(from.Locality).
		SetLocalityPath(from.LocalityPath).SetFinal(next.Final).SetOutcome(next.Outcome).
		SetClassification(class).SetEnteredAt(now).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return fmt.Errorf("create %s case for household %d: %w", def.ID, from.HouseholdID, err)
	}
	if err := s.createTasks(ctx, tx, c, next.To, next.NewTasks, now); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, auditEntry{kind: "start", locality: c.Locality, trigger: workflows.TriggerStart,
		to: next.To, object: fmt.Sprintf("case:%d", from.ID), caseID: &c.ID})
}

// road lists the workflows a household on the road that starts with
// workflow base (def, its variant for the household's locality) may
// already be on: base and def themselves, then whatever their final states
// hand over to, and so on (识别纳入 → 监测帮扶 → 风险消除), each with the
// variant that covers the locality. An open case anywhere on it means the
// household is on that road already.
func (s *Service) road(base string, def *workflows.Definition, localityPath string) ([]string, error) {
	seen := map[string]bool{base: true, def.ID: true}
	ids := []string{base}
	if def.ID != base {
		ids = append(ids, def.ID)
	}
	for queue := []*workflows.Definition{def}; len(queue) > 0; queue = queue[1:] {
		for _, st := range queue[0].States {
			if st.Then == "" || seen[st.Then] {
				continue
			}
			next, err := s.reg.forHousehold(st.Then, localityPath)
			if err != nil {
				return nil, err
			}
			seen[st.Then] = true
			ids = append(ids, st.Then)
			if !seen[next.ID] {
				seen[next.ID] = true
				ids = append(ids, next.ID)
			}
			queue = append(queue, next)
		}
	}
	return ids, nil
}
