package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiListImportShow returns an import and how far it got.
func (s *server) apiListImportShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	imp, err := s.svc.ListImport(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return fmt.Errorf("load list import %d: %w", id, err)
	}
	return c.JSON(http.StatusOK, toListImportJSON(imp))
}
