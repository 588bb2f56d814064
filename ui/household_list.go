package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// householdListView is one page of the household list or search. It never
// carries a full 身份证号: lists show the masked form only.
type householdListView struct {
	Page  page
	Query string
	Items []householdItem
	// Searched distinguishes "no household matches" from the first visit.
	Searched bool
	// CanRegister offers 登记农户 to the cadres who may.
	CanRegister bool
	// Total counts the matching households on all pages; Capped says
	// more match than a list offers (workflows.MaxListedHouseholds).
	Total  int
	Capped bool
	// Number and Pages place this page; Prev and Next link its
	// neighbours, "" at either end.
	Number, Pages int
	Prev, Next    string
	// First links page 1 from a page past the end (?page= too high).
	First string
}

type householdItem struct {
	Href     string
	HeadName string
	IDMasked string
	Place    string
}

// householdList renders one page of the households the user may see,
// filtered by ?q= and paged by ?page=N, 50 to a page as the inbox is.
func (s *server) householdList(c echo.Context) error {
	number, err := pageNumber(c)
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	q := strings.TrimSpace(c.QueryParam("q"))
	hp, err := s.svc.SearchHouseholds(ctx, u, q, workflows.Page{Number: number})
	if err != nil {
		return fmt.Errorf("list households: %w", err)
	}
	places, err := s.placeNames(ctx, u)
	if err != nil {
		return err
	}
	v := householdListView{Page: s.page(c, "农户"), Query: q, Searched: q != "",
		CanRegister: mayRegisterHouseholds(u.Role),
		Total:       hp.Total, Capped: hp.Capped, Number: hp.Page.Number, Pages: hp.Pages()}
	if v.Number > 1 {
		v.Prev = householdsURL(q, min(v.Number-1, v.Pages))
	}
	if hp.More() {
		v.Next = householdsURL(q, v.Number+1)
	}
	if len(hp.Households) == 0 && hp.Total > 0 {
		v.First = householdsURL(q, 1)
	}
	for _, h := range hp.Households {
		v.Items = append(v.Items, householdItem{
			Href:     householdURL(h.ID),
			HeadName: h.HeadName,
			IDMasked: maskedID(h.IDNumber, h.IDNumberMasked),
			Place:    places.of(h.Locality, u.Locality),
		})
	}
	return render(c, http.StatusOK, householdListPage(v))
}

// householdsURL is page n of the household list searched for q.
func householdsURL(q string, n int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/households"
	}
	return "/households?" + v.Encode()
}

// placeNames holds the names of the localities a user covers, by code.
type placeNames map[string]string

// placeNames reads the names of the localities u covers.
func (s *server) placeNames(ctx context.Context, u workflows.User) (placeNames, error) {
	ls, err := s.svc.Localities(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("list localities of %s: %w", u.Username, err)
	}
	names := make(placeNames, len(ls))
	for _, l := range ls {
		names[l.Code] = l.Name
	}
	return names, nil
}

// of is how the village code reads to a user of locality within: its
// name, after the names of the levels between within and it, so that a
// county cadre tells apart two 桃园村 by their townships (东山镇桃园村) and
// a village cadre reads just 桃园村. A village without a known name reads
// as its code.
func (n placeNames) of(code, within string) string {
	var parts []string
	for c := code; c != within; {
		name, ok := n[c]
		if !ok {
			break
		}
		parts = append(parts, name)
		if c, ok = roles.Parent(c); !ok {
			break
		}
	}
	if len(parts) == 0 {
		if name, ok := n[code]; ok {
			return name
		}
		return code
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
	}
	return b.String()
}

// maskedID masks a 身份证号 here rather than trusting the masked copy a
// service hands over: a list must never show a full number, whatever the
// storage did.
func maskedID(full, masked string) string {
	if full != "" {
		return forms.MaskIDCard(full)
	}
	if masked != "" && !looksLikeFullID(masked) {
		return masked
	}
	return forms.MaskIDCard(masked)
}

// looksLikeFullID reports whether s is 17 digits and a digit or X.
func looksLikeFullID(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	last := s[17]
	return (last >= '0' && last <= '9') || last == 'X' || last == 'x'
}
