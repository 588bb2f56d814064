package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// apiListUpload takes a list (multipart: period, file) and answers 202 with
// the import as soon as the service has accepted the file; the rows are
// processed afterwards (GET /api/v1/list-imports/:id for the progress).
func (s *server) apiListUpload(c echo.Context) error {
	up, err := readListUpload(c)
	if err != nil {
		return err
	}
	imp, err := s.startImport(c.Request().Context(), currentUser(c), up)
	if err != nil {
		return fmt.Errorf("upload list of %s: %w", up.Workflow, err)
	}
	c.Response().Header().Set(echo.HeaderLocation, apiListImportURL(imp.ID))
	return c.JSON(http.StatusAccepted, toListImportJSON(imp))
}

func apiListImportURL(id int) string { return "/api/v1/list-imports/" + strconv.Itoa(id) }
