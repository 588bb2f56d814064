package store

import (
	"context"

	"jianfu/ent"
)

// householdForm is the form whose newest submission, in any case of the
// household, is what workflow expressions see as household
// (household.no_labour): the 入户核实表 is the one record of a household's
// members, income and labour ability.
const householdForm = "household_verification"

// householdFacts returns the household's data for expressions, nil when it
// has never been verified. family lists householdForm and its locality
// variants (registry.formFamily): a submission pins the variant it was
// filled on.
func householdFacts(ctx context.Context, client *ent.Client, family []string, householdID int) (map[string]any, error) {
	return latestSubmission(ctx, client, family, householdID)
}
