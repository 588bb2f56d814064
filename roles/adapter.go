package roles

import (
	"slices"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
)

// memoryAdapter is the policy storage of an Enforcer: rows held in memory,
// each with its ptype first ("p", "g", "g2"). Casbin loads from it once and
// then keeps it in step through auto-save, so a database adapter can later
// take its place without changing how the Enforcer writes. Casbin calls it
// under the enforcer's write lock only, so it needs no lock of its own.
type memoryAdapter struct{ rows [][]string }

var (
	_ persist.Adapter      = (*memoryAdapter)(nil)
	_ persist.BatchAdapter = (*memoryAdapter)(nil)
)

func (a *memoryAdapter) LoadPolicy(m model.Model) error {
	for _, row := range a.rows {
		if err := persist.LoadPolicyArray(row, m); err != nil {
			return err
		}
	}
	return nil
}

func (a *memoryAdapter) SavePolicy(m model.Model) error {
	var rows [][]string
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, rule := range ast.Policy {
				rows = append(rows, withType(ptype, rule))
			}
		}
	}
	a.rows = rows
	return nil
}

func (a *memoryAdapter) AddPolicy(_, ptype string, rule []string) error {
	a.rows = append(a.rows, withType(ptype, rule))
	return nil
}

func (a *memoryAdapter) AddPolicies(_, ptype string, rules [][]string) error {
	for _, rule := range rules {
		a.rows = append(a.rows, withType(ptype, rule))
	}
	return nil
}

func (a *memoryAdapter) RemovePolicy(_, ptype string, rule []string) error {
	row := withType(ptype, rule)
	a.rows = slices.DeleteFunc(a.rows, func(r []string) bool { return slices.Equal(r, row) })
	return nil
}

func (a *memoryAdapter) RemovePolicies(sec, ptype string, rules [][]string) error {
	for _, rule := range rules {
		if err := a.RemovePolicy(sec, ptype, rule); err != nil {
			return err
		}
	}
	return nil
}

// RemoveFilteredPolicy removes the rows of ptype whose fields from
// fieldIndex on equal fieldValues; an empty value matches anything, as in
// Casbin's own adapters.
func (a *memoryAdapter) RemoveFilteredPolicy(_, ptype string, fieldIndex int, fieldValues ...string) error {
	a.rows = slices.DeleteFunc(a.rows, func(r []string) bool {
		if r[0] != ptype {
			return false
		}
		rule := r[1:]
		for i, v := range fieldValues {
			j := fieldIndex + i
			if j >= len(rule) || (v != "" && rule[j] != v) {
				return false
			}
		}
		return true
	})
	return nil
}

func withType(ptype string, rule []string) []string {
	return append([]string{ptype}, rule...)
}
