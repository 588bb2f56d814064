package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"entgo.io/ent/dialect/sql"

	"jianfu/ent"
	"jianfu/ent/household"
	"jianfu/ent/locality"
	"jianfu/ent/member"
	"jianfu/ent/predicate"
	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// Households lists the first limit households under the actor's locality
// that match query, without counting them all (the demo seed and tools
// need no more); SearchHouseholds is the paged list behind the pages and
// the API. query is the end of the head's 身份证号 when it is digits (the
// last may be X), and otherwise the beginning of the head's name: both are
// searched through an index (docs/BENCHMARKS.md); a name holding the text
// elsewhere, or holding digits, is not found.
func (s *Service) Households(ctx context.Context, actor workflows.User, query string, limit int) ([]workflows.Household, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	match, ok := s.householdMatch(actor, query)
	if !ok {
		return []workflows.Household{}, nil
	}
	hs, err := s.householdsIn(ctx, match, limit, 0)
	if err != nil {
		return nil, fmt.Errorf("list households: %w", err)
	}
	return hs, nil
}

// SearchHouseholds lists one page of the households under the actor's
// locality that match query (as Households reads it), in id order, with
// the number of matches; both stop at workflows.MaxListedHouseholds.
func (s *Service) SearchHouseholds(ctx context.Context, actor workflows.User, query string, page workflows.Page) (workflows.HouseholdPage, error) {
	page = page.Normal()
	out := workflows.HouseholdPage{Households: []workflows.Household{}, Page: page}
	match, ok := s.householdMatch(actor, query)
	if !ok {
		return out, nil
	}
	offset := page.Offset()
	if size := min(page.Size, workflows.MaxListedHouseholds-offset); size > 0 {
		hs, err := s.householdsIn(ctx, match, size, offset)
		if err != nil {
			return out, fmt.Errorf("list households, page %d: %w", page.Number, err)
		}
		out.Households = hs
		// A page short of full is the last one and so tells the total:
		// most searches (a name, the end of a number) find less than a
		// page and cost one statement, as before there were pages. Only
		// a full page, or one past the end, asks the index to count.
		if n := len(hs); n < size && (n > 0 || offset == 0) {
			out.Total = offset + n
			return out, nil
		}
	}
	n, err := s.countHouseholds(ctx, match, workflows.MaxListedHouseholds+1)
	if err != nil {
		return workflows.HouseholdPage{Households: []workflows.Household{}, Page: page},
			fmt.Errorf("count households: %w", err)
	}
	out.Total, out.Capped = min(n, workflows.MaxListedHouseholds), n > workflows.MaxListedHouseholds
	return out, nil
}

// countHouseholds counts the households that match, up to most: the count
// reads no more index entries than that.
func (s *Service) countHouseholds(ctx context.Context, match []predicate.Household, most int) (int, error) {
	b := sql.Dialect(s.db.Dialect)
	t := sql.Table(household.Table).As("m")
	some := b.Select(t.C(household.FieldID)).From(t)
	household.And(match...)(some)
	some.Limit(most)
	query, args := b.Select(sql.Count("*")).From(some.As("some")).Query()
	return s.countOf(ctx, query, args)
}

// householdMatch is the predicates of a household search by actor; false
// when nothing can match.
func (s *Service) householdMatch(actor workflows.User, query string) ([]predicate.Household, bool) {
	query = strings.TrimSpace(query)
	if !plainText(query) {
		// No name or number holds such text; and the databases would
		// refuse it (PostgreSQL) or cut the pattern short (SQLite).
		return nil, false
	}
	match := []predicate.Household{under[predicate.Household](s.db.Dialect, household.FieldLocalityPath, actor)}
	switch {
	case query == "":
	case isIDTail(query):
		match = append(match, idTailIs(strings.ToUpper(query))...)
	default:
		match = append(match, namePrefix(s.db.Dialect, query)...)
	}
	return match, true
}

// householdsIn reads the limit households after the first offset that
// match, in id order.
func (s *Service) householdsIn(ctx context.Context, match []predicate.Household, limit, offset int) ([]workflows.Household, error) {
	rows, err := s.client.Household.Query().Where(inPage(match, limit, offset)).Order(ent.Asc(household.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]workflows.Household, len(rows))
	for i, h := range rows {
		out[i] = toHousehold(h, nil)
	}
	return out, nil
}

// inPage selects the households of the limit ids after the first offset
// that match, in one statement: the page's ids come from the index alone
// (a common name matches a thousand households of a county), and only the
// page's rows are read, by primary key. As two statements, ids then rows,
// it was two round trips on PostgreSQL, and on SQLite the rows' statement
// (an argument per id) stayed out of the prepared-statement cache.
func inPage(match []predicate.Household, limit, offset int) predicate.Household {
	return func(outer *sql.Selector) {
		t := sql.Table(household.Table).As("m")
		page := sql.Select(t.C(household.FieldID)).From(t)
		household.And(match...)(page)
		page.OrderBy(t.C(household.FieldID)).Limit(limit)
		if offset > 0 {
			page.Offset(offset)
		}
		outer.Where(sql.In(outer.C(household.FieldID), page))
	}
}

// Household returns one household with its members.
func (s *Service) Household(ctx context.Context, actor workflows.User, id int) (workflows.Household, error) {
	h, err := s.client.Household.Query().Where(household.ID(id)).
		WithMembers(func(q *ent.MemberQuery) { q.Order(ent.Asc(member.FieldID)) }).Only(ctx)
	if ent.IsNotFound(err) {
		return workflows.Household{}, workflows.Errorf(workflows.NotFound, "农户不存在")
	}
	if err != nil {
		return workflows.Household{}, fmt.Errorf("load household %d: %w", id, err)
	}
	if !s.auth.MaySee(actor.Username, h.Locality) {
		return workflows.Household{}, forbidden()
	}
	return toHousehold(h, h.Edges.Members), nil
}

func toHousehold(h *ent.Household, members []*ent.Member) workflows.Household {
	out := workflows.Household{ID: h.ID, HeadName: h.HeadName, IDNumber: h.IDNumber,
		IDNumberMasked: forms.MaskIDCard(h.IDNumber), Locality: h.Locality}
	for _, m := range members {
		out.Members = append(out.Members, workflows.Member{Name: m.Name, IDNumber: m.IDNumber,
			Relation: m.Relation, Gender: m.Gender, Birth: m.Birth})
	}
	return out
}

// CreateHousehold registers a household in a village the actor covers.
func (s *Service) CreateHousehold(ctx context.Context, actor workflows.User, h workflows.Household) (workflows.Household, error) {
	if actor.Role == roles.Liaison {
		return workflows.Household{}, forbidden()
	}
	h.HeadName = strings.TrimSpace(h.HeadName)
	h.IDNumber = strings.ToUpper(strings.TrimSpace(h.IDNumber))
	if errs := validateHousehold(h); len(errs) > 0 {
		return workflows.Household{}, &workflows.Error{Code: workflows.Invalid, Message: "农户信息有误", Fields: errs}
	}
	var created *ent.Household
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		loc, err := tx.Locality.Query().Where(locality.Code(h.Locality)).Only(ctx)
		if ent.IsNotFound(err) {
			return &workflows.Error{Code: workflows.Invalid, Message: "农户信息有误",
				Fields: forms.FieldErrors{{Field: "locality", Message: "区划代码不存在"}}}
		}
		if err != nil {
			return fmt.Errorf("find locality %s: %w", h.Locality, err)
		}
		if loc.Level != "village" {
			return &workflows.Error{Code: workflows.Invalid, Message: "农户信息有误",
				Fields: forms.FieldErrors{{Field: "locality", Message: "农户须登记在行政村"}}}
		}
		if !s.auth.MaySee(actor.Username, h.Locality) {
			return forbidden()
		}
		exists, err := tx.Household.Query().Where(household.IDNumber(h.IDNumber)).Exist(ctx)
		if err != nil {
			return fmt.Errorf("check id number: %w", err)
		}
		if exists {
			return &workflows.Error{Code: workflows.Conflict, Message: "该身份证号已登记为户主",
				Fields: forms.FieldErrors{{Field: "id_number", Message: "该身份证号已登记为户主"}}}
		}
		now := s.now()
		created, err = tx.Household.Create().SetHeadName(h.HeadName).SetIDNumber(h.IDNumber).
			SetIDReversed(reversed(h.IDNumber)).SetLocality(h.Locality).SetLocalityPath(loc.Path).SetCreatedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("create household: %w", err)
		}
		for _, m := range h.Members {
			if _, err := tx.Member.Create().SetHouseholdID(created.ID).SetName(strings.TrimSpace(m.Name)).
				SetIDNumber(strings.ToUpper(strings.TrimSpace(m.IDNumber))).SetRelation(m.Relation).
				SetGender(m.Gender).SetBirth(m.Birth).Save(ctx); err != nil {
				return fmt.Errorf("create member: %w", err)
			}
		}
		return s.audit(ctx, tx, actor, auditEntry{kind: "create_household", locality: h.Locality,
			object: fmt.Sprintf("household:%d", created.ID)})
	})
	if err != nil {
		return workflows.Household{}, err
	}
	return s.Household(ctx, actor, created.ID)
}

func validateHousehold(h workflows.Household) forms.FieldErrors {
	var errs forms.FieldErrors
	switch {
	case h.HeadName == "":
		errs = append(errs, forms.FieldError{Field: "head_name", Message: "请填写户主姓名"})
	case !plainText(h.HeadName):
		errs = append(errs, forms.FieldError{Field: "head_name", Message: "姓名含有无效字符"})
	}
	switch {
	case h.IDNumber == "":
		errs = append(errs, forms.FieldError{Field: "id_number", Message: "请填写户主身份证号"})
	case !forms.ValidIDCard(h.IDNumber):
		errs = append(errs, forms.FieldError{Field: "id_number", Message: "身份证号不正确"})
	}
	if _, err := roles.Path(h.Locality); err != nil {
		errs = append(errs, forms.FieldError{Field: "locality", Message: "区划代码应为12位数字"})
	}
	for i, m := range h.Members {
		if strings.TrimSpace(m.Name) == "" {
			errs = append(errs, forms.FieldError{Field: fmt.Sprintf("members[%d].name", i), Message: "请填写成员姓名"})
		}
		for _, f := range [...]struct{ name, value string }{{"name", m.Name}, {"relation", m.Relation}, {"gender", m.Gender}, {"birth", m.Birth}} {
			if !plainText(f.value) {
				errs = append(errs, forms.FieldError{Field: fmt.Sprintf("members[%d].%s", i, f.name), Message: "含有无效字符"})
			}
		}
		if id := strings.TrimSpace(m.IDNumber); id != "" && !forms.ValidIDCard(strings.ToUpper(id)) {
			errs = append(errs, forms.FieldError{Field: fmt.Sprintf("members[%d].id_number", i), Message: "身份证号不正确"})
		}
	}
	return errs
}

// plainText reports whether s can be stored and searched as it is: valid
// UTF-8 without control characters. PostgreSQL refuses NUL and invalid
// UTF-8 outright, which would surface as an internal error.
func plainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// Localities lists the localities under the actor's path, the actor's own
// included, ordered by path so each township comes before its villages.
func (s *Service) Localities(ctx context.Context, actor workflows.User) ([]workflows.Locality, error) {
	path, err := roles.Path(actor.Locality)
	if err != nil {
		// A user row with a broken code covers nothing; scope's NUL
		// sentinel would be refused by PostgreSQL here.
		return []workflows.Locality{}, nil
	}
	rows, err := s.client.Locality.Query().Where(locality.PathHasPrefix(path)).
		Order(ent.Asc(locality.FieldPath)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list localities under %s: %w", actor.Locality, err)
	}
	out := make([]workflows.Locality, len(rows))
	for i, l := range rows {
		out[i] = workflows.Locality{Code: l.Code, Name: l.Name, Level: l.Level}
	}
	return out, nil
}
