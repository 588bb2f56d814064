package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// householdPageJSON is one page of a household list or search.
type householdPageJSON struct {
	Items   []householdJSON `json:"items"`
	Total   int             `json:"total"`
	Page    int             `json:"page"`
	PerPage int             `json:"per_page"`
	// NextPage is the page to ask for next; 0 (omitted) on the last.
	NextPage int `json:"next_page,omitempty"`
	// Capped: more households match than total, the most a list offers.
	Capped bool `json:"capped,omitempty"`
}

// apiHouseholdList returns one page of the households the caller may see,
// searched by ?q=, paged as the inbox is: ?page=N (from 1) and ?per_page=N
// (default 50, at most 200). Items carry the masked 身份证号 only.
func (s *server) apiHouseholdList(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	hp, err := s.svc.SearchHouseholds(c.Request().Context(), currentUser(c), q, page)
	if err != nil {
		return fmt.Errorf("list households: %w", err)
	}
	out := householdPageJSON{Items: make([]householdJSON, 0, len(hp.Households)), Total: hp.Total,
		Page: hp.Page.Number, PerPage: hp.Page.Size, Capped: hp.Capped}
	if hp.More() {
		out.NextPage = hp.Page.Number + 1
	}
	for _, h := range hp.Households {
		out.Items = append(out.Items, toHouseholdJSON(h, false))
	}
	return c.JSON(http.StatusOK, out)
}
