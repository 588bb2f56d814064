package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

// caseShowView is one case: where it stands, what happened, what is open,
// and a button per action the user may take now.
type caseShowView struct {
	Page       page
	ID         int
	Workflow   string
	StateTitle string
	Final      bool
	// Classification is the colour band or category the workflow
	// computed; Band is its CSS modifier (red, yellow, green) or "".
	Classification string
	Band           string
	HouseholdName  string
	HouseholdHref  string
	Entered        string
	Actions        []actionButton
	// Escalated explains, to the level an overdue task was handed to,
	// why it sees the case and what it is to do: the step stays the
	// lower level's to act on.
	Escalated string
	Tasks     []caseTask
	History   []historyRow
}

type actionButton struct {
	Href  string
	Title string
	// Negative draws a refusal or send-back as a secondary button.
	Negative bool
	// Reason, when set, is what the action waits for (a hold, the
	// departments' checks): it is drawn as a disabled button over the
	// reason, and ID ties the two together for screen readers.
	Reason string
	ID     string
}

type caseTask struct {
	Href       string // department and recurring tasks only
	Step       string
	Who        string
	Due        string
	Status     string
	Badges     taskBadges
	Department bool
}

// historyRow is one line of 办理记录, in the words of the pinned
// definition: "张明（村级） 提交申请：农户申请 → 入户核实".
type historyRow struct {
	At      string
	Actor   string
	Role    string
	Trigger string
	From    string
	To      string
	Reason  string
	// Filed is what was submitted with the event, if anything.
	Filed []filedItem
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
	filed := s.filedByEvent(c.Request().Context(), currentUser(c), cs)
	return render(c, http.StatusOK, caseShowPage(s.caseShowView(c, cs, filed)))
}

// caseShowView draws case cs; filed holds the drawn submissions by id.
func (s *server) caseShowView(c echo.Context, cs workflows.Case, filed map[int][]filedItem) caseShowView {
	title := cs.WorkflowTitle
	if title == "" {
		title = cs.Workflow
	}
	v := caseShowView{
		Page:           s.page(c, cs.StateTitle+" · "+cs.HouseholdName),
		ID:             cs.ID,
		Workflow:       title,
		StateTitle:     cs.StateTitle,
		Final:          cs.Final,
		Classification: cs.Classification,
		Band:           bandClass(cs.Classification),
		HouseholdName:  cs.HouseholdName,
		HouseholdHref:  householdURL(cs.HouseholdID),
		Entered:        s.dateTime(cs.EnteredAt),
	}
	// What waits comes first: a hold or a join keeps back the step's way
	// forward, which definitions list before their send-backs, and it is
	// the button a cadre comes looking for.
	for _, b := range cs.Blocked {
		v.Actions = append(v.Actions, actionButton{Title: actionTitle(b.Action), Reason: b.Reason, ID: "waits-" + b.Trigger})
	}
	for _, a := range cs.Actions {
		v.Actions = append(v.Actions, actionButton{Href: fireURL(cs.ID, a.Trigger), Title: actionTitle(a), Negative: a.Negative})
	}
	now := s.now()
	names := s.taskNames(c.Request().Context())
	for _, t := range cs.Tasks {
		if t.Status != workflows.TaskOpen {
			continue
		}
		ct := caseTask{
			Step:       names.step(t),
			Due:        s.due(t.Due),
			Status:     taskStatusLabel(t.Status),
			Badges:     badgesOf(t, now),
			Department: t.Department != "",
			Who:        roleLabel(t.Role),
		}
		if ct.Department {
			ct.Who = departmentLabel(t.Department)
		}
		if ct.Department || t.Recurring {
			ct.Href = taskURL(t.ID)
		}
		if u := currentUser(c); t.EscalatedTo != "" && t.EscalatedTo == u.Role && t.Role != u.Role {
			v.Escalated = fmt.Sprintf("%s的「%s」已超期（期限 %s），提级至%s督办：请督促%s尽快办理，本环节仍由%s办理。",
				roleLabel(t.Role), ct.Step, s.date(t.Due), roleLabel(u.Role), roleLabel(t.Role), roleLabel(t.Role))
		}
		v.Tasks = append(v.Tasks, ct)
	}
	for _, e := range cs.History {
		row := s.historyRow(e)
		if e.SubmissionID != 0 {
			row.Filed = filed[e.SubmissionID]
		}
		v.History = append(v.History, row)
	}
	return v
}

// historyRow names an event by the titles the store filled in, falling
// back to the ids for events of definitions that no longer know them.
func (s *server) historyRow(e workflows.Event) historyRow {
	return historyRow{
		At:      s.dateTime(e.At),
		Actor:   firstNonEmpty(e.ActorName, e.Actor),
		Role:    roleLabel(e.Role),
		Trigger: firstNonEmpty(e.TriggerTitle, triggerLabel(e.Trigger)),
		From:    firstNonEmpty(e.FromTitle, e.From),
		To:      firstNonEmpty(e.ToTitle, e.To),
		Reason:  e.Reason,
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// bandClass maps a colour-band classification to its CSS modifier, so the
// band is also told by colour; other classifications get none.
func bandClass(classification string) string {
	switch {
	case strings.HasPrefix(classification, "红"):
		return "red"
	case strings.HasPrefix(classification, "黄"):
		return "yellow"
	case strings.HasPrefix(classification, "绿"):
		return "green"
	}
	return ""
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
	switch trigger {
	case "start":
		return "发起"
	case workflows.TriggerListWarning:
		return "部门预警"
	}
	return trigger
}
