package store

import (
	"context"
	"fmt"

	"jianfu/ent"
	"jianfu/ent/casefile"
	"jianfu/ent/task"
	"jianfu/workflows"
)

// MigrateCases moves chosen cases of a workflow to a newer published
// version. Each case is checked by workflows.Unmappable; in a dry run
// nothing changes, otherwise the mappable cases move in one transaction
// (workflow_version set, version + 1, one audit event each) and the others
// are reported with the reason they stayed.
func (s *Service) MigrateCases(ctx context.Context, actor workflows.User, m workflows.Migration) (workflows.MigrationReport, error) {
	if !s.auth.MayAdminister(actor.Username) {
		return workflows.MigrationReport{}, workflows.Errorf(workflows.Forbidden, "只有管理员可以迁移事项")
	}
	if m.Workflow == "" || m.ToVersion < 1 {
		return workflows.MigrationReport{}, workflows.Errorf(workflows.Invalid, "请指明流程和目标版本")
	}
	to, err := s.reg.Workflow(m.Workflow, m.ToVersion)
	if err != nil {
		return workflows.MigrationReport{}, err
	}
	report := workflows.MigrationReport{Workflow: m.Workflow, ToVersion: m.ToVersion, DryRun: m.DryRun}
	err = s.inTx(ctx, func(tx *ent.Tx) error {
		report.Cases = report.Cases[:0]
		rows, err := migrationCandidates(ctx, tx, m)
		if err != nil {
			return err
		}
		for _, c := range rows {
			if len(m.CaseIDs) == 0 && !s.auth.MaySee(actor.Username, c.Locality) {
				continue // "every open case" means every one in the administrator's area
			}
			line, err := s.migrateCase(ctx, tx, actor, c, to, m.DryRun)
			if err != nil {
				return err
			}
			report.Cases = append(report.Cases, line)
		}
		return nil
	})
	if err != nil {
		return workflows.MigrationReport{}, err
	}
	return report, nil
}

// migrationCandidates reads the chosen cases, or every open case of the
// workflow below the target version. A chosen case of another workflow is
// still reported (as not mappable) rather than silently dropped.
func migrationCandidates(ctx context.Context, tx *ent.Tx, m workflows.Migration) ([]*ent.Casefile, error) {
	q := tx.Casefile.Query().Order(ent.Asc(casefile.FieldID))
	if len(m.CaseIDs) > 0 {
		q = q.Where(casefile.IDIn(m.CaseIDs...))
	} else {
		q = q.Where(casefile.Workflow(m.Workflow), casefile.Final(false), casefile.WorkflowVersionLT(m.ToVersion))
	}
	if m.FromVersion > 0 {
		q = q.Where(casefile.WorkflowVersion(m.FromVersion))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load cases to migrate: %w", err)
	}
	if len(m.CaseIDs) > 0 && len(rows) != len(m.CaseIDs) && m.FromVersion == 0 {
		return nil, workflows.Errorf(workflows.NotFound, "部分事项不存在")
	}
	return rows, nil
}

func (s *Service) migrateCase(ctx context.Context, tx *ent.Tx, actor workflows.User, c *ent.Casefile, to *workflows.Definition, dryRun bool) (workflows.CaseMigration, error) {
	line := workflows.CaseMigration{CaseID: c.ID, FromVersion: c.WorkflowVersion, State: c.State}
	if !s.auth.MaySee(actor.Username, c.Locality) {
		return line, forbidden() // a chosen case of another area
	}
	from, err := s.reg.Workflow(c.Workflow, c.WorkflowVersion)
	if err != nil {
		return line, err
	}
	depts, err := openDepartments(ctx, tx, c)
	if err != nil {
		return line, err
	}
	line.Reason = workflows.Unmappable(workflows.MigrationPosition{From: from, State: c.State, Final: c.Final,
		OpenDepartments: depts}, to)
	line.Mappable = line.Reason == ""
	if !line.Mappable || dryRun {
		return line, nil
	}
	n, err := tx.Casefile.Update().Where(casefile.ID(c.ID), casefile.Version(c.Version)).
		SetWorkflowVersion(to.Version).AddVersion(1).SetUpdatedAt(s.now()).Save(ctx)
	if err != nil {
		return line, fmt.Errorf("migrate case %d: %w", c.ID, err)
	}
	if n != 1 {
		return line, workflows.Errorf(workflows.Conflict, "事项 %d 已被他人办理，请重试", c.ID)
	}
	line.Migrated = true
	return line, s.audit(ctx, tx, actor, auditEntry{kind: "migrate", locality: c.Locality, from: c.State, to: c.State,
		caseID: &c.ID, object: fmt.Sprintf("workflow:%s@%d→%d", c.Workflow, c.WorkflowVersion, to.Version)})
}

// openDepartments lists the departments with open tasks in the case's
// current state.
func openDepartments(ctx context.Context, tx *ent.Tx, c *ent.Casefile) ([]string, error) {
	rows, err := tx.Task.Query().Where(task.CaseID(c.ID), task.State(c.State), task.Status(workflows.TaskOpen),
		task.DepartmentNEQ("")).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load open tasks of case %d: %w", c.ID, err)
	}
	out := make([]string, len(rows))
	for i, t := range rows {
		out[i] = t.Department
	}
	return out, nil
}
