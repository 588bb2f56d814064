package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// apiTaskList returns the caller's open tasks, oldest due first.
func (s *server) apiTaskList(c echo.Context) error {
	tasks, err := s.svc.Tasks(c.Request().Context(), currentUser(c))
	if err != nil {
		return fmt.Errorf("list tasks: %w", err)
	}
	out := listJSON[taskJSON]{Items: make([]taskJSON, 0, len(tasks))}
	for _, t := range tasks {
		out.Items = append(out.Items, toTaskJSON(t))
	}
	return c.JSON(http.StatusOK, out)
}
