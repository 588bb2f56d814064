package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// apiHouseholdList searches the households the caller may see; items carry
// the masked 身份证号 only.
func (s *server) apiHouseholdList(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	hs, err := s.svc.Households(c.Request().Context(), currentUser(c), q, householdListLimit)
	if err != nil {
		return fmt.Errorf("list households: %w", err)
	}
	out := listJSON[householdJSON]{Items: make([]householdJSON, 0, len(hs))}
	for _, h := range hs {
		out.Items = append(out.Items, toHouseholdJSON(h, false))
	}
	return c.JSON(http.StatusOK, out)
}
