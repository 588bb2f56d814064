package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

type taskCompleteRequest struct {
	Data map[string]any `json:"data"`
}

// apiTaskComplete completes a department task with its form data.
func (s *server) apiTaskComplete(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req taskCompleteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Data == nil {
		req.Data = map[string]any{}
	}
	t, err := s.svc.CompleteTask(c.Request().Context(), currentUser(c), id, req.Data)
	if err != nil {
		return fmt.Errorf("complete task %d: %w", id, err)
	}
	return c.JSON(http.StatusOK, toTaskJSON(t))
}
