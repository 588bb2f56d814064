package ui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz answers load balancers and `jianfu serve` smoke checks.
func (s *server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok")
}
