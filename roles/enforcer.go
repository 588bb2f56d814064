package roles

import (
	"fmt"
	"slices"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/util"
)

// maxDecisions bounds the decision cache: a county's users times the
// villages they cover times the buttons they see stays well below it.
const maxDecisions = 1 << 16

// Enforcer answers "may this user do this here?" with Casbin. It is safe for
// concurrent use; changing grants or rules is rare, asking is frequent.
type Enforcer struct {
	// mu makes a policy change and the emptying of the decision cache one
	// step: askers hold it shared, so no answer computed on the old policy
	// can be cached after the change.
	mu        sync.RWMutex
	casbin    *casbin.SyncedEnforcer
	decisions *decisions
	// base holds the rows of policy.csv, which SetWorkflowRules never
	// removes; generated holds each workflow's rows as last set.
	base      map[[3]string]bool
	generated map[string][][]string
}

// New builds the enforcer from the embedded model and policy plus the
// users' grants. It returns an *InvalidError when a grant does not fit (a
// username granted twice, an unknown role, a malformed locality, a liaison
// without department…).
func New(grants []Grant) (*Enforcer, error) {
	return newEnforcer(grants, maxDecisions)
}

func newEnforcer(grants []Grant, cacheSize int) (*Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("load casbin model: %w", err)
	}
	base, err := parsePolicy(policyText)
	if err != nil {
		return nil, fmt.Errorf("load embedded policy: %w", err)
	}
	adapter := &memoryAdapter{}
	e := &Enforcer{decisions: newDecisions(cacheSize), base: map[[3]string]bool{}, generated: map[string][][]string{}}
	for _, row := range base {
		adapter.rows = append(adapter.rows, row)
		e.base[[3]string(row[1:])] = true
	}
	seen := map[string]bool{}
	for _, g := range grants {
		if seen[g.Username] {
			return nil, &InvalidError{Message: fmt.Sprintf("用户 %s 被授权两次", g.Username)}
		}
		seen[g.Username] = true
		role, dept, err := grantRows(g)
		if err != nil {
			return nil, err
		}
		adapter.rows = append(adapter.rows, withType("g", role))
		if dept != nil {
			adapter.rows = append(adapter.rows, withType("g2", dept))
		}
	}
	ce, err := casbin.NewSyncedEnforcer(m, adapter)
	if err != nil {
		return nil, fmt.Errorf("build casbin enforcer: %w", err)
	}
	// The domain of a grant is a pattern (510100/001/*) that covers the
	// paths below it; without this, domains would have to match exactly.
	ce.AddNamedDomainMatchingFunc("g", "KeyMatch", util.KeyMatch)
	e.casbin = ce
	return e, nil
}

// SetGrant gives a user their grant, replacing whatever they held. It
// returns an *InvalidError when the grant does not fit.
func (e *Enforcer) SetGrant(g Grant) error {
	role, dept, err := grantRows(g)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	defer e.decisions.clear()
	if err := e.removeGrant(g.Username); err != nil {
		return err
	}
	if _, err := e.casbin.AddGroupingPolicy(role); err != nil {
		return fmt.Errorf("grant %s: %w", g.Username, err)
	}
	if dept == nil {
		return nil
	}
	if _, err := e.casbin.AddNamedGroupingPolicy("g2", dept); err != nil {
		return fmt.Errorf("department of %s: %w", g.Username, err)
	}
	return nil
}

// RemoveGrant takes every grant from a user, e.g. when the account is
// disabled; a user without grant may do nothing.
func (e *Enforcer) RemoveGrant(username string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	defer e.decisions.clear()
	return e.removeGrant(username)
}

func (e *Enforcer) removeGrant(username string) error {
	if _, err := e.casbin.RemoveFilteredGroupingPolicy(0, username); err != nil {
		return fmt.Errorf("revoke grant of %s: %w", username, err)
	}
	if _, err := e.casbin.RemoveFilteredNamedGroupingPolicy("g2", 0, username); err != nil {
		return fmt.Errorf("revoke department of %s: %w", username, err)
	}
	return nil
}

// SetWorkflowRules replaces the rows generated from a workflow's definition
// by those of rules (empty rules withdraw the workflow). It returns an
// *InvalidError when the workflow name or a rule does not fit; then nothing
// changes.
func (e *Enforcer) SetWorkflowRules(workflow string, rules []Rule) error {
	if !validName(workflow) {
		return &InvalidError{Message: fmt.Sprintf("流程标识 %q 不合法", workflow)}
	}
	var rows [][]string
	for _, r := range rules {
		row, err := ruleRow(workflow, r)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(rows, func(x []string) bool { return slices.Equal(x, row) }) {
			rows = append(rows, row)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	defer e.decisions.clear()
	old := e.generated[workflow]
	// A row also in policy.csv stays when the workflow drops it, and is not
	// added twice when the workflow brings it.
	stale := e.missingFrom(old, rows)
	fresh := e.missingFrom(rows, old)
	if len(stale) > 0 {
		if _, err := e.casbin.RemovePolicies(stale); err != nil {
			return fmt.Errorf("remove rules of workflow %s: %w", workflow, err)
		}
	}
	if len(fresh) > 0 {
		if _, err := e.casbin.AddPoliciesEx(fresh); err != nil {
			return fmt.Errorf("add rules of workflow %s: %w", workflow, err)
		}
	}
	if len(rows) == 0 {
		delete(e.generated, workflow)
		return nil
	}
	e.generated[workflow] = rows
	return nil
}

// missingFrom returns the rows of a that are neither in b nor in policy.csv.
func (e *Enforcer) missingFrom(a, b [][]string) [][]string {
	var out [][]string
	for _, row := range a {
		if e.base[[3]string(row)] || slices.ContainsFunc(b, func(x []string) bool { return slices.Equal(x, row) }) {
			continue
		}
		out = append(out, row)
	}
	return out
}

// Policy returns every row the enforcer holds, each with its type first
// ("p", "g", "g2"), sorted: for documentation and the administrator's
// screens.
func (e *Enforcer) Policy() [][]string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out [][]string
	for _, ptype := range []string{"p", "g", "g2"} {
		var rows [][]string
		var err error
		if ptype == "p" {
			rows, err = e.casbin.GetPolicy()
		} else {
			rows, err = e.casbin.GetNamedGroupingPolicy(ptype)
		}
		if err != nil {
			// The model declares all three types; reading them cannot fail.
			panic(fmt.Sprintf("roles: read %s rows: %v", ptype, err))
		}
		for _, r := range rows {
			out = append(out, withType(ptype, r))
		}
	}
	slices.SortFunc(out, slices.Compare)
	return out
}
