package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"jianfu/ent"
	"jianfu/ent/casefile"
	"jianfu/ent/household"
	"jianfu/ent/locality"
	"jianfu/ent/member"
	"jianfu/ent/submission"
	"jianfu/forms"
	"jianfu/workflows"
)

// Prefill answers the values form shows before the cadre types, on case
// caseID: what its `prefill:` fields read from the household and earlier
// submissions (formData), as stored values (money in fen). A form without
// prefilled fields answers nil without reading more.
func (s *Service) Prefill(ctx context.Context, actor workflows.User, caseID int, form string) (map[string]any, error) {
	c, err := s.client.Casefile.Query().Where(casefile.ID(caseID)).
		Select(casefile.FieldLocality, casefile.FieldHouseholdID).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, workflows.Errorf(workflows.NotFound, "事项不存在")
	}
	if err != nil {
		return nil, fmt.Errorf("load case %d: %w", caseID, err)
	}
	if !s.auth.MaySee(actor.Username, c.Locality) {
		return nil, forbidden()
	}
	def, err := s.reg.FormFor(form, c.Locality)
	if err != nil {
		return nil, err
	}
	if !def.UsesPrefill() {
		return nil, nil
	}
	hh, subs, err := s.formData(ctx, s.client, c.HouseholdID, def)
	if err != nil {
		return nil, err
	}
	return def.Prefilled(forms.Context{Household: hh, Submissions: subs, Now: s.now()}), nil
}

// formData loads what the prefilled fields of def read for a household:
// household.* reads householdRecord, submission.<form>.<field> the newest
// submission of that form (or a variant of it) in any case of the
// household. Only the sources def names are read.
func (s *Service) formData(ctx context.Context, client *ent.Client, householdID int, def *forms.Definition) (map[string]any, map[string]map[string]any, error) {
	var hh map[string]any
	var subs map[string]map[string]any
	for _, f := range def.Flat(nil) {
		src, ok := strings.CutPrefix(f.Prefill, "submission.")
		if !ok {
			if strings.HasPrefix(f.Prefill, "household.") && hh == nil {
				var err error
				if hh, err = s.householdRecord(ctx, client, householdID); err != nil {
					return nil, nil, err
				}
			}
			continue
		}
		form, _, _ := strings.Cut(src, ".")
		if _, done := subs[form]; done {
			continue
		}
		data, err := latestSubmission(ctx, client, s.reg.formFamily(form), householdID)
		if err != nil {
			return nil, nil, err
		}
		if subs == nil {
			subs = map[string]map[string]any{}
		}
		subs[form] = data
	}
	return hh, subs, nil
}

// householdRecord is the household as a form's household.* sees it, keyed
// like the 入户核实表's fields: the registry's township and village names,
// head_name, head_id and members (name, id_card, relation, gender, age),
// with the household's newest 入户核实表 laid over it, which is more
// recent than the registry wherever it says something. Ages are counted
// from the 身份证号 today, so a year-old record does not prefill last
// year's age.
func (s *Service) householdRecord(ctx context.Context, client *ent.Client, householdID int) (map[string]any, error) {
	h, err := client.Household.Query().Where(household.ID(householdID)).
		WithMembers(func(q *ent.MemberQuery) { q.Order(ent.Asc(member.FieldID)) }).Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("load household %d: %w", householdID, err)
	}
	rec := map[string]any{"head_name": h.HeadName, "head_id": h.IDNumber}
	township := h.Locality[:9] + "000"
	places, err := client.Locality.Query().Where(locality.CodeIn(h.Locality, township)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load localities of household %d: %w", householdID, err)
	}
	for _, p := range places {
		switch p.Code {
		case h.Locality:
			rec["village"] = p.Name
		case township:
			rec["township"] = p.Name
		}
	}
	now := s.now()
	members := make([]any, 0, len(h.Edges.Members))
	for _, m := range h.Edges.Members {
		row := map[string]any{"name": m.Name}
		for k, v := range map[string]string{"id_card": m.IDNumber, "relation": m.Relation, "gender": m.Gender} {
			if v != "" {
				row[k] = v
			}
		}
		if age, ok := ageOn(m.Birth, m.IDNumber, now); ok {
			row["age"] = age
		}
		members = append(members, row)
	}
	if len(members) > 0 {
		rec["members"] = members
	}
	facts, err := householdFacts(ctx, client, s.reg.formFamily(householdForm), householdID)
	if err != nil {
		return nil, err
	}
	for k, v := range facts {
		rec[k] = v
	}
	if rows, ok := rec["members"].([]any); ok && facts != nil {
		for _, r := range rows {
			if m, ok := r.(map[string]any); ok {
				if id, _ := m["id_card"].(string); id != "" {
					if age, ok := ageOn("", id, now); ok {
						m["age"] = age
					}
				}
			}
		}
	}
	return rec, nil
}

// latestSubmission is the data of the newest submission of one of family's
// forms in any case of the household; nil when there is none.
func latestSubmission(ctx context.Context, client *ent.Client, family []string, householdID int) (map[string]any, error) {
	sub, err := client.Submission.Query().
		Where(submission.FormIn(family...), submission.HasCaseWith(casefile.HouseholdID(householdID))).
		Order(ent.Desc(submission.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s of household %d: %w", family[0], householdID, err)
	}
	return sub.Data, nil
}

// ageOn is the age in whole years on now's date in China of someone born
// on birth (2006-01-02), or, when that is empty, on the date in an 18-digit
// 身份证号.
func ageOn(birth, idNumber string, now time.Time) (int, bool) {
	if birth == "" && len(idNumber) == 18 {
		birth = idNumber[6:10] + "-" + idNumber[10:12] + "-" + idNumber[12:14]
	}
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return 0, false
	}
	y, m, d := now.In(workflows.ChinaTime()).Date()
	age := y - b.Year()
	if m < b.Month() || m == b.Month() && d < b.Day() {
		age--
	}
	if age < 0 || age > 150 {
		return 0, false
	}
	return age, true
}
