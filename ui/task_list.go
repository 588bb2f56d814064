package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jianfu/roles"
	"jianfu/workflows"
)

// taskListView is 我的待办: one page of the user's open tasks, oldest due
// first.
type taskListView struct {
	Page  page
	Items []taskItem
	// Total counts the open tasks on all pages.
	Total int
	// Number and Pages place this page; Prev and Next link its
	// neighbours, "" at either end.
	Number, Pages int
	Prev, Next    string
	// First links page 1 from a page past the end (an old link, a list
	// that got shorter); "" otherwise.
	First string
}

// taskItem is one inbox line.
type taskItem struct {
	Href      string
	Household string
	// Procedure and Place say which procedure and which village: 入户核实
	// of 识别纳入 and 村级入户核实 of 部门预警核实 look alike, and a township
	// or county inbox mixes villages. Place is "" for a village cadre.
	Procedure  string
	Place      string
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
	// Warnings counts the department warnings recorded on the case
	// since the task opened, which its holder should read first.
	Warnings int
}

func badgesOf(t workflows.Task, now time.Time) taskBadges {
	b := taskBadges{Overdue: t.Overdue(now), Recurring: t.Recurring, Warnings: t.Warnings}
	if t.EscalatedTo != "" {
		b.Escalated = roleLabel(t.EscalatedTo)
	}
	return b
}

// taskList renders the signed-in user's inbox.
func (s *server) taskList(c echo.Context) error {
	number, err := pageNumber(c)
	if err != nil {
		return err
	}
	tp, err := s.svc.Tasks(c.Request().Context(), currentUser(c), workflows.Page{Number: number})
	if err != nil {
		return fmt.Errorf("list tasks: %w", err)
	}
	v := taskListView{Page: s.page(c, "我的待办"), Total: tp.Total, Number: tp.Page.Number, Pages: tp.Pages()}
	if v.Number > 1 {
		v.Prev = tasksURL(min(v.Number-1, v.Pages))
	}
	if tp.More() {
		v.Next = tasksURL(v.Number + 1)
	}
	now := s.now()
	names := s.taskNames(c.Request().Context())
	u := currentUser(c)
	var places placeNames
	if u.Role != roles.Village && len(tp.Tasks) > 0 {
		if places, err = s.placeNames(c.Request().Context(), u); err != nil {
			return err
		}
	}
	for _, t := range tp.Tasks {
		item := taskItem{
			Href:       taskHref(t),
			Household:  t.Household,
			Procedure:  t.WorkflowTitle,
			Step:       names.step(t),
			Department: departmentLabel(t.Department),
			Due:        s.due(t.Due),
			Badges:     badgesOf(t, now),
		}
		if places != nil {
			item.Place = places.of(t.Locality, u.Locality)
		}
		v.Items = append(v.Items, item)
	}
	if len(v.Items) == 0 && v.Number > 1 {
		v.First = tasksURL(1)
	}
	return render(c, http.StatusOK, taskListPage(v))
}

// taskNames names the tasks of one page, looking each form up once.
type taskNames struct {
	s     *server
	ctx   context.Context
	forms map[[2]string]string // form id and locality → title, "" when unknown
}

func (s *server) taskNames(ctx context.Context) *taskNames {
	return &taskNames{s: s, ctx: ctx, forms: map[[2]string]string{}}
}

// step names a task as its holder knows it. A task completed with its own
// form (a department's check, recurring work) goes by the form's title,
// which heads the page it opens, with its step after it: "部门核查（乡镇联合审核）";
// under the step's title alone a liaison would read the township's review
// as their own work. A role task goes by its step, whose buttons it leads to.
func (n *taskNames) step(t workflows.Task) string {
	if t.Department == "" && !t.Recurring {
		return t.StateTitle
	}
	title := n.formTitle(t.Form, t.Locality)
	switch {
	case title == "" || title == t.StateTitle:
		return t.StateTitle
	case t.StateTitle == "":
		return title
	}
	return title + "（" + t.StateTitle + "）"
}

// formTitle is the title of the form a household of locality fills, ""
// when it cannot be loaded: the page then names the task by its step, and
// the task's own page reports the error.
func (n *taskNames) formTitle(id, locality string) string {
	key := [2]string{id, locality}
	if title, ok := n.forms[key]; ok {
		return title
	}
	def, err := n.s.loadForm(n.ctx, id, locality)
	title := ""
	switch {
	case err != nil:
		n.s.log.WarnContext(n.ctx, "name task by its form", "form", id, "locality", locality, "err", err)
	case def != nil:
		title = def.Title
	}
	n.forms[key] = title
	return title
}

// tasksURL is page n of the inbox.
func tasksURL(n int) string {
	if n <= 1 {
		return "/tasks"
	}
	return "/tasks?page=" + strconv.Itoa(n)
}

// pageParams reads ?page=N and ?per_page=N, as every paged API list takes
// them.
func pageParams(c echo.Context) (workflows.Page, error) {
	number, err := pageNumber(c)
	if err != nil {
		return workflows.Page{}, err
	}
	size, err := pageSize(c)
	if err != nil {
		return workflows.Page{}, err
	}
	return workflows.Page{Number: number, Size: size}, nil
}

// pageNumber reads ?page=N (from 1); absent means the first page.
func pageNumber(c echo.Context) (int, error) {
	return positiveParam(c, "page", 1, "页码须为正整数")
}

// pageSize reads ?per_page=N; absent (0) means the service's default.
func pageSize(c echo.Context) (int, error) {
	return positiveParam(c, "per_page", 0, fmt.Sprintf("每页条数须为 1 到 %d 之间的整数", workflows.MaxPageSize))
}

// positiveParam reads a positive integer query parameter: absent gives
// absent, anything else not a positive integer is a 400 with message.
func positiveParam(c echo.Context, name string, absent int, message string) (int, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return absent, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, badRequest(message)
	}
	return n, nil
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

// joinNonEmpty joins the parts that are not empty with sep.
func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
