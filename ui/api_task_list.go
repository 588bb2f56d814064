package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// taskPageJSON is one page of an inbox.
type taskPageJSON struct {
	Items   []taskJSON `json:"items"`
	Total   int        `json:"total"`
	Page    int        `json:"page"`
	PerPage int        `json:"per_page"`
	// NextPage is the page to ask for next; 0 (omitted) on the last.
	NextPage int `json:"next_page,omitempty"`
}

// apiTaskList returns one page of the caller's open tasks, oldest due
// first: ?page=N (from 1) and ?per_page=N (default 50, at most 200).
func (s *server) apiTaskList(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	tp, err := s.svc.Tasks(c.Request().Context(), currentUser(c), page)
	if err != nil {
		return fmt.Errorf("list tasks: %w", err)
	}
	out := taskPageJSON{Items: make([]taskJSON, 0, len(tp.Tasks)), Total: tp.Total,
		Page: tp.Page.Number, PerPage: tp.Page.Size}
	if tp.More() {
		out.NextPage = tp.Page.Number + 1
	}
	for _, t := range tp.Tasks {
		out.Items = append(out.Items, toTaskJSON(t))
	}
	return c.JSON(http.StatusOK, out)
}
