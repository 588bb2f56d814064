package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
)

// householdListLimit bounds one page of search results.
const householdListLimit = 50

// householdListView is the household search. It never carries a full
// 身份证号: lists show the masked form only.
type householdListView struct {
	Page  page
	Query string
	Items []householdItem
	// Searched distinguishes "no household matches" from the first visit.
	Searched bool
	// CanRegister offers 登记农户 to the cadres who may.
	CanRegister bool
}

type householdItem struct {
	Href     string
	HeadName string
	IDMasked string
	Locality string
}

// householdList renders the households the user may see, filtered by ?q=.
func (s *server) householdList(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	hs, err := s.svc.Households(c.Request().Context(), currentUser(c), q, householdListLimit)
	if err != nil {
		return fmt.Errorf("list households: %w", err)
	}
	v := householdListView{Page: s.page(c, "农户"), Query: q, Searched: q != "",
		CanRegister: mayRegisterHouseholds(currentUser(c).Role)}
	for _, h := range hs {
		v.Items = append(v.Items, householdItem{
			Href:     householdURL(h.ID),
			HeadName: h.HeadName,
			IDMasked: maskedID(h.IDNumber, h.IDNumberMasked),
			Locality: h.Locality,
		})
	}
	return render(c, http.StatusOK, householdListPage(v))
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
