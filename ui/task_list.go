package ui

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

// taskListView is 我的待办: the user's open tasks, oldest due first.
type taskListView struct {
	Page  page
	Items []taskItem
}

// taskItem is one inbox line.
type taskItem struct {
	Href       string
	Household  string
	Step       string
	Department string
	Due        string
	Overdue    bool
}

// taskList renders the signed-in user's inbox.
func (s *server) taskList(c echo.Context) error {
	tasks, err := s.svc.Tasks(c.Request().Context(), currentUser(c))
	if err != nil {
		return fmt.Errorf("list tasks: %w", err)
	}
	v := taskListView{Page: s.page(c, "我的待办")}
	now := s.now()
	for _, t := range tasks {
		v.Items = append(v.Items, taskItem{
			Href:       taskHref(t),
			Household:  t.Household,
			Step:       t.StateTitle,
			Department: departmentLabel(t.Department),
			Due:        s.due(t.Due),
			Overdue:    isOverdue(t, now),
		})
	}
	return render(c, http.StatusOK, taskListPage(v))
}

// taskHref leads a role task to its case, where the step's buttons are, and
// a department task to its own form.
func taskHref(t workflows.Task) string {
	if t.Department == "" {
		return caseURL(t.CaseID)
	}
	return taskURL(t.ID)
}

// due is the time limit of a task as shown; "" for a step without one, so
// no empty 期限 line is drawn.
func (s *server) due(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return s.date(t)
}

func isOverdue(t workflows.Task, now time.Time) bool {
	return t.Status == workflows.TaskOpen && !t.Due.IsZero() && now.After(t.Due)
}
