package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiCaseShow returns a case with the triggers the caller may fire now.
func (s *server) apiCaseShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cs, err := s.svc.Case(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return fmt.Errorf("load case %d: %w", id, err)
	}
	return c.JSON(http.StatusOK, toCaseJSON(cs))
}
