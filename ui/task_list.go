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
	Badges     taskBadges
}

// taskBadges are the flags of an open task, shown in the inbox and on the
// case page.
type taskBadges struct {
	Overdue bool
	// Escalated names the level an overdue task was handed to
	// ("乡镇"); "" when it was not.
	Escalated string
	Recurring bool
}

func badgesOf(t workflows.Task, now time.Time) taskBadges {
	b := taskBadges{Overdue: t.Overdue(now), Recurring: t.Recurring}
	if t.EscalatedTo != "" {
		b.Escalated = roleLabel(t.EscalatedTo)
	}
	return b
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
			Badges:     badgesOf(t, now),
		})
	}
	return render(c, http.StatusOK, taskListPage(v))
}

// taskHref leads a role task to its case, where the step's buttons are,
// and a department or recurring task to its own form: neither moves the
// case.
func taskHref(t workflows.Task) string {
	if t.Department == "" && !t.Recurring {
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
