package ui

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

type clockRequest struct {
	Now string `json:"now"`
}

type clockResponse struct {
	Now string `json:"now"`
}

// apiClock moves the fake clock (serve --fake-clock only; the route does
// not exist otherwise) so demos and browser tests can let a public notice
// run out. Administrators only.
func (s *server) apiClock(c echo.Context) error {
	if currentUser(c).Role != "admin" {
		return workflows.Errorf(workflows.Forbidden, "仅管理员可调整系统时间")
	}
	var req clockRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	now, err := time.Parse(time.RFC3339, req.Now)
	if err != nil {
		return &workflows.Error{
			Code:    workflows.Invalid,
			Message: "时间格式不正确",
			Fields:  forms.FieldErrors{{Field: "now", Message: "请使用 RFC 3339 格式，如 2026-10-12T09:00:00+08:00"}},
		}
	}
	if err := s.setClock(now); err != nil {
		return fmt.Errorf("set clock: %w", err)
	}
	return c.JSON(http.StatusOK, clockResponse{Now: now.Format(time.RFC3339)})
}
