package ui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiMe returns the caller.
func (s *server) apiMe(c echo.Context) error {
	return c.JSON(http.StatusOK, toUserJSON(currentUser(c)))
}
