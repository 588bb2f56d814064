package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiListIndex returns the screening lists the caller may upload (a
// liaison's department's; empty for everyone else).
func (s *server) apiListIndex(c echo.Context) error {
	lists, err := s.svc.Lists(c.Request().Context(), currentUser(c))
	if err != nil {
		return fmt.Errorf("list screening lists: %w", err)
	}
	out := listJSON[screeningListJSON]{Items: make([]screeningListJSON, 0, len(lists))}
	for _, l := range lists {
		out.Items = append(out.Items, toScreeningListJSON(l))
	}
	return c.JSON(http.StatusOK, out)
}
