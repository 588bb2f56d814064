package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiDefinitionList lists every stored version of every form and workflow
// definition.
func (s *server) apiDefinitionList(c echo.Context) error {
	defs, err := s.svc.Definitions(c.Request().Context(), currentUser(c))
	if err != nil {
		return fmt.Errorf("list definitions: %w", err)
	}
	out := listJSON[definitionJSON]{Items: make([]definitionJSON, 0, len(defs))}
	for _, d := range defs {
		out.Items = append(out.Items, toDefinitionJSON(d))
	}
	return c.JSON(http.StatusOK, out)
}
