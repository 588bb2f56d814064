package ui

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

// caseShowView is one case: where it stands, what happened, what is open,
// and a button per action the user may take now.
type caseShowView struct {
	Page          page
	ID            int
	Workflow      string
	StateTitle    string
	Final         bool
	HouseholdName string
	HouseholdHref string
	Entered       string
	Actions       []actionButton
	Tasks         []caseTask
	History       []historyRow
}

type actionButton struct {
	Href  string
	Title string
}

type caseTask struct {
	Href       string // department tasks only
	Step       string
	Who        string
	Due        string
	Status     string
	Overdue    bool
	Department bool
}

type historyRow struct {
	At      string
	Actor   string
	Role    string
	Trigger string
	From    string
	To      string
	Reason  string
}

// caseShow renders one case.
func (s *server) caseShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cs, err := s.svc.Case(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return fmt.Errorf("load case %d: %w", id, err)
	}
	return render(c, http.StatusOK, caseShowPage(s.caseShowView(c, cs)))
}

func (s *server) caseShowView(c echo.Context, cs workflows.Case) caseShowView {
	title := cs.WorkflowTitle
	if title == "" {
		title = cs.Workflow
	}
	v := caseShowView{
		Page:          s.page(c, cs.StateTitle+" · "+cs.HouseholdName),
		ID:            cs.ID,
		Workflow:      title,
		StateTitle:    cs.StateTitle,
		Final:         cs.Final,
		HouseholdName: cs.HouseholdName,
		HouseholdHref: householdURL(cs.HouseholdID),
		Entered:       s.dateTime(cs.EnteredAt),
	}
	for _, a := range cs.Actions {
		v.Actions = append(v.Actions, actionButton{Href: fireURL(cs.ID, a.Trigger), Title: actionTitle(a)})
	}
	now := s.now()
	for _, t := range cs.Tasks {
		if t.Status != workflows.TaskOpen {
			continue
		}
		ct := caseTask{
			Step:       t.StateTitle,
			Due:        s.due(t.Due),
			Status:     taskStatusLabel(t.Status),
			Overdue:    isOverdue(t, now),
			Department: t.Department != "",
			Who:        roleLabel(t.Role),
		}
		if ct.Department {
			ct.Href = taskURL(t.ID)
			ct.Who = departmentLabel(t.Department)
		}
		v.Tasks = append(v.Tasks, ct)
	}
	for _, e := range cs.History {
		v.History = append(v.History, historyRow{
			At: s.dateTime(e.At), Actor: e.Actor, Role: roleLabel(e.Role),
			Trigger: triggerLabel(e.Trigger), From: e.From, To: e.To, Reason: e.Reason,
		})
	}
	return v
}

func fireURL(caseID int, trigger string) string {
	return caseURL(caseID) + "/fire/" + url.PathEscape(trigger)
}

func actionTitle(a workflows.Action) string {
	if a.Title != "" {
		return a.Title
	}
	return a.Trigger
}

// triggerLabel names a trigger in the history. Events carry trigger names
// only; the one every case shares is named in Chinese.
func triggerLabel(trigger string) string {
	if trigger == "start" {
		return "发起"
	}
	return trigger
}
