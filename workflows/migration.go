package workflows

import (
	"fmt"
	"slices"
	"strings"
)

// Migration moves chosen cases of a workflow to a newer published version.
// A case keeps the version it started on unless an administrator migrates
// it; only cases whose position maps onto the target version move.
type Migration struct {
	Workflow string
	// FromVersion limits the cases to one version; 0 for every older one.
	FromVersion int
	ToVersion   int
	// CaseIDs chooses cases; empty for every open case of the workflow
	// (and FromVersion).
	CaseIDs []int
	// DryRun reports what would happen and changes nothing.
	DryRun bool
}

// MigrationReport is the answer to a Migration: one line per case.
type MigrationReport struct {
	Workflow  string
	ToVersion int
	DryRun    bool
	Cases     []CaseMigration
}

// CaseMigration says whether one case maps onto the target version and,
// when it does not, why not.
type CaseMigration struct {
	CaseID      int
	FromVersion int
	State       string
	Mappable    bool
	// Migrated is true when the case was moved (never in a dry run).
	Migrated bool
	Reason   string
}

// MigrationPosition is what decides whether a case can move: its pinned
// version, state, and the departments of its open tasks in that state.
type MigrationPosition struct {
	From            *Definition
	State           string
	Final           bool
	OpenDepartments []string
}

// Unmappable returns why a case at pos cannot continue on to (the target
// version), or "" when it can: a final case stays where it ended; the state
// must exist in the target and act the same way (same role, still not
// final); open department tasks must still belong to the state's fan-out,
// or their answers would be orphaned.
func Unmappable(pos MigrationPosition, to *Definition) string {
	switch {
	case pos.Final:
		return "事项已办结，不迁移"
	case pos.From.ID != to.ID:
		return fmt.Sprintf("事项属于流程 %s，不是 %s", pos.From.ID, to.ID)
	case pos.From.Version >= to.Version:
		return fmt.Sprintf("事项已在第%d版，不早于目标第%d版", pos.From.Version, to.Version)
	}
	st, ok := to.States[pos.State]
	if !ok {
		return fmt.Sprintf("当前环节 %s 在第%d版中不存在", pos.State, to.Version)
	}
	if st.Final {
		return fmt.Sprintf("当前环节 %s 在第%d版中是结束环节", pos.State, to.Version)
	}
	if old := pos.From.States[pos.State]; old != nil && old.Role != st.Role {
		return fmt.Sprintf("当前环节 %s 的办理角色由 %s 改为 %s，待办无法对应", pos.State, old.Role, st.Role)
	}
	var orphaned []string
	for _, dept := range pos.OpenDepartments {
		if st.Tasks == nil || !st.Tasks.has(dept) {
			orphaned = append(orphaned, dept)
		}
	}
	if len(orphaned) > 0 {
		slices.Sort(orphaned)
		return fmt.Sprintf("当前环节 %s 有未完成的部门任务（%s），第%d版中该环节没有这些部门", pos.State,
			strings.Join(orphaned, "、"), to.Version)
	}
	return ""
}
