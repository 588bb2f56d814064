package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
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
	c, err := s.visibleCase(ctx, actor, caseID)
	if err != nil {
		return nil, err
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
	now := s.now()
	return def.Prefilled(forms.Context{Household: hh, Submissions: subs, Now: now,
		User: map[string]any{"name": actor.Name}, Today: now.In(workflows.ChinaTime()).Format(time.DateOnly)}), nil
}

// visibleCase reads the locality and household of a case the actor may
// see: NotFound, or Forbidden for a case outside the actor's area.
func (s *Service) visibleCase(ctx context.Context, actor workflows.User, caseID int) (*ent.Casefile, error) {
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
	return c, nil
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
// with the household's newest 申请及承诺授权书 and newest 入户核实表 laid
// over it in the order they were filed: a later record is more recent than
// the registry wherever it says something. So the 入户核实表 of a case
// shows the phone, the corrected 身份证号 and the added member its
// application gave minutes before. Ages are counted from the 身份证号
// today, so a year-old record does not prefill last year's age.
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
	members := make([]any, 0, len(h.Edges.Members))
	for _, m := range h.Edges.Members {
		row := map[string]any{"name": m.Name}
		for k, v := range map[string]string{"id_card": m.IDNumber, "relation": m.Relation, "gender": m.Gender, "birth": m.Birth} {
			if v != "" {
				row[k] = v
			}
		}
		members = append(members, row)
	}
	if len(members) > 0 {
		rec["members"] = members
	}
	var filed []*ent.Submission
	for _, form := range []string{applicationForm, householdForm} {
		sub, err := newestSubmission(ctx, client, s.reg.formFamily(form), householdID)
		if err != nil {
			return nil, err
		}
		if sub != nil {
			filed = append(filed, sub)
		}
	}
	slices.SortFunc(filed, func(a, b *ent.Submission) int { return cmp.Compare(a.ID, b.ID) })
	for _, sub := range filed {
		layOver(rec, sub.Data)
	}
	now := s.now()
	for _, row := range rowsOf(rec["members"]) {
		id, _ := row["id_card"].(string)
		birth, _ := row["birth"].(string)
		if age, ok := ageOn(birth, id, now); ok {
			row["age"] = age
		}
		if _, ok := row["gender"]; !ok && len(id) == 18 && id[16] >= '0' && id[16] <= '9' {
			row["gender"] = genderOf(id)
		}
		delete(row, "birth")
	}
	return rec, nil
}

// applicationForm is the 申请及承诺授权书, the household's own account of
// itself when it applies.
const applicationForm = "application_authorization"

// layOver lays a filed record's values over rec. Its members replace
// rec's, each completed by rec's row of the same 身份证号 (the registry's
// gender, an earlier verification's health): a member the newer record
// left out is gone.
func layOver(rec, data map[string]any) {
	for k, v := range data {
		if k != "members" {
			rec[k] = v
			continue
		}
		byID := map[string]map[string]any{}
		for _, row := range rowsOf(rec[k]) {
			if id, _ := row["id_card"].(string); id != "" {
				byID[id] = row
			}
		}
		newer := rowsOf(v)
		rows := make([]any, 0, len(newer))
		for _, r := range newer {
			row := map[string]any{}
			if id, _ := r["id_card"].(string); id != "" {
				maps.Copy(row, byID[id])
			}
			maps.Copy(row, r)
			rows = append(rows, row)
		}
		rec[k] = rows
	}
}

// rowsOf reads a record's rows: a list of maps, as JSON decodes them.
func rowsOf(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// latestSubmission is the data of the newest submission of one of family's
// forms in any case of the household; nil when there is none.
func latestSubmission(ctx context.Context, client *ent.Client, family []string, householdID int) (map[string]any, error) {
	sub, err := newestSubmission(ctx, client, family, householdID)
	if sub == nil || err != nil {
		return nil, err
	}
	return sub.Data, nil
}

// newestSubmission is the newest submission of one of family's forms in
// any case of the household; nil when there is none.
func newestSubmission(ctx context.Context, client *ent.Client, family []string, householdID int) (*ent.Submission, error) {
	sub, err := client.Submission.Query().
		Where(submission.FormIn(family...), submission.HasCaseWith(casefile.HouseholdID(householdID))).
		Order(ent.Desc(submission.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s of household %d: %w", family[0], householdID, err)
	}
	return sub, nil
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

// registryKeys are the household record's keys that come from the
// registry (householdRecord); the others are the fields of the records
// laid over it.
var registryKeys = []string{"head_name", "head_id", "township", "village", "members"}

// prefillProblems lints the prefill sources of a form about to be
// published: household.<key> must be a key of the household record,
// submission.<form>.<field> a top-level field of a published form. A typo
// would otherwise pass and prefill nothing, silently. Stored versions are
// not linted again when loaded: a stricter check must not stop a server
// from starting.
func (r *registry) prefillProblems(d *forms.Definition) forms.Problems {
	fieldsOf := func(ids ...string) map[string]bool {
		names := map[string]bool{}
		for _, id := range ids {
			for _, v := range r.formFamily(id) {
				if f, err := r.Form(v); err == nil {
					for _, fd := range f.Flat(nil) {
						names[fd.Name] = true
					}
				}
			}
		}
		return names
	}
	var ps forms.Problems
	var household map[string]bool
	for _, f := range d.Flat(nil) {
		if f.Prefill == "" {
			continue
		}
		parts := strings.Split(f.Prefill, ".")
		switch parts[0] {
		case "household":
			if household == nil {
				household = fieldsOf(householdForm, applicationForm)
				for _, k := range registryKeys {
					household[k] = true
				}
			}
			if !household[parts[1]] {
				ps = append(ps, forms.Problem{File: d.File, Line: f.Line, Path: f.Name + ".prefill",
					Message: fmt.Sprintf("预填来源 %s 不存在：household. 后应为户籍信息（%s）或入户核实表、申请书的字段名",
						f.Prefill, strings.Join(registryKeys, "、"))})
			}
		case "submission":
			if len(parts) == 3 && !fieldsOf(parts[1])[parts[2]] {
				ps = append(ps, forms.Problem{File: d.File, Line: f.Line, Path: f.Name + ".prefill",
					Message: fmt.Sprintf("预填来源 %s 不存在：没有表单 %s 或它没有字段 %s", f.Prefill, parts[1], parts[2])})
			}
		}
	}
	return ps
}
