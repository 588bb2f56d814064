package store

import (
	"slices"
	"strings"
	"testing"

	"jianfu/ent/casefile"
)

// TestReadCaseSelectsEveryColumn: the hand-written case read (an action's
// first statement on both dialects) names every column of cases, so a
// column added to the schema cannot come back empty from it unnoticed.
func TestReadCaseSelectsEveryColumn(t *testing.T) {
	for name, query := range map[string]string{"sqlite": sqliteLockCase, "postgres": postgresReadCase} {
		list := strings.TrimPrefix(query[:strings.Index(query, " FROM ")], "SELECT ")
		var got []string
		for _, col := range strings.Split(list, ",") {
			got = append(got, strings.TrimSpace(col))
		}
		want := slices.DeleteFunc(slices.Clone(casefile.Columns), func(c string) bool { return c == casefile.FieldID })
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s case read selects %v, want every column but id: %v", name, got, want)
		}
	}
}
