package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// The page 预警名单: each screening list the liaison may upload, with its
// columns, a template and an upload form, then the recent imports. County
// cadres and administrators see the imports of their county only.

// listImportsShown bounds the recent imports on the page.
const listImportsShown = 20

// mayViewLists reports whether a role has the page 预警名单 in its
// navigation: liaisons upload their department's lists, county cadres and
// administrators follow the imports.
func mayViewLists(role string) bool {
	return role == "liaison" || role == "county" || role == "admin"
}

// listsInNav reports whether the navigation offers 预警名单 to u. A liaison
// gets it only when the service lists something for their department: for
// the others (公安, say) the page would only say there is nothing to
// import. County cadres and administrators always get it, to follow the
// imports. The page itself stays open to all of them. A failing Lists is
// logged and hides the link; it must not cost the user the page.
func (s *server) listsInNav(c echo.Context, u workflows.User) bool {
	if !mayViewLists(u.Role) {
		return false
	}
	if u.Role != "liaison" {
		return true
	}
	lists, err := s.screeningLists(c)
	if err != nil {
		s.log.Error("navigation: list screening lists", "route", c.Path(), "user", u.Username, "err", err)
		return false
	}
	return len(lists) > 0
}

// screeningListsKey is where screeningLists keeps the service's answer in
// the echo context.
const screeningListsKey = "jianfu.screeningLists"

// screeningListsAnswer is what Service.Lists returned for a request.
type screeningListsAnswer struct {
	lists []workflows.ListInfo
	err   error
}

// screeningLists returns the lists the signed-in user may upload. It asks
// the service once per request: the navigation and 预警名单 both need them,
// and a request may draw two pages (a handler's, then the error page).
func (s *server) screeningLists(c echo.Context) ([]workflows.ListInfo, error) {
	if a, ok := c.Get(screeningListsKey).(screeningListsAnswer); ok {
		return a.lists, a.err
	}
	lists, err := s.svc.Lists(c.Request().Context(), currentUser(c))
	c.Set(screeningListsKey, screeningListsAnswer{lists: lists, err: err})
	return lists, err
}

type listIndexView struct {
	Page    page
	Liaison bool
	Lists   []listCard
	Imports []importItem
	// Refused is the message of an upload refused for a list that is not
	// on the page (one the department does not send).
	Refused string
}

// listCard is one list the user may upload, with its upload form as
// posted last (period and errors) or fresh.
type listCard struct {
	Workflow      string
	Title         string
	WorkflowTitle string
	Department    string
	Columns       []workflows.ListColumn
	TemplateHref  string
	Action        string
	// ID prefixes the ids of the form's inputs, unique on the page.
	ID          string
	Period      string
	Message     string // the refusal of the last upload, "" when none
	PeriodError string
	FileError   string
}

func (l listCard) periodID() string { return l.ID + "-period" }
func (l listCard) fileID() string   { return l.ID + "-file" }

// importItem is one line of the recent imports. It names the file the
// liaison uploaded; no 身份证号 is ever shown.
type importItem struct {
	Href       string
	Title      string
	Department string
	FileName   string
	Period     string
	Created    string
	Status     importStatus
	Started    int
	Duplicates int
	OpenCases  int
	Problems   int
}

// importStatus is an import's status as shown: a word and a badge class.
type importStatus struct {
	Label, Class string
}

func statusOfImport(status string) importStatus {
	switch status {
	case workflows.ImportRunning:
		return importStatus{Label: "导入中", Class: "running"}
	case workflows.ImportDone:
		return importStatus{Label: "已完成", Class: "done"}
	case workflows.ImportFailed:
		return importStatus{Label: "已中断", Class: "failed"}
	}
	return importStatus{Label: status}
}

// refusedUpload is an upload the service refused before accepting it,
// redrawn with what was posted.
type refusedUpload struct {
	Workflow string
	Period   string
	Err      *workflows.Error
}

// listIndex renders 预警名单.
func (s *server) listIndex(c echo.Context) error {
	return s.renderListIndex(c, http.StatusOK, nil)
}

// renderListIndex draws the page; a refused upload lands on its list's
// form, with the period as typed.
func (s *server) renderListIndex(c echo.Context, status int, refused *refusedUpload) error {
	ctx, actor := c.Request().Context(), currentUser(c)
	lists, err := s.screeningLists(c)
	if err != nil {
		return fmt.Errorf("list screening lists: %w", err)
	}
	imports, err := s.svc.ListImports(ctx, actor, listImportsShown)
	if err != nil {
		return fmt.Errorf("list imports: %w", err)
	}
	v := listIndexView{Page: s.page(c, "预警名单"), Liaison: actor.Role == "liaison"}
	period := s.now().In(s.zone).Format("2006-01")
	for i, l := range lists {
		v.Lists = append(v.Lists, s.listCardOf(l, i, period, refused))
	}
	if refused != nil && !v.showsRefusal(refused.Workflow) {
		v.Refused = refusalMessage(refused.Err)
	}
	for _, imp := range imports {
		v.Imports = append(v.Imports, s.importItemOf(imp))
	}
	return render(c, status, listIndexPage(v))
}

func (s *server) listCardOf(l workflows.ListInfo, i int, period string, refused *refusedUpload) listCard {
	card := listCard{
		Workflow:      l.Workflow,
		Title:         l.Title,
		WorkflowTitle: l.WorkflowTitle,
		Department:    departmentLabel(l.Department),
		Columns:       l.Columns,
		TemplateHref:  listTemplateURL(l.Workflow),
		Action:        listUploadURL(l.Workflow),
		ID:            "list-" + strconv.Itoa(i),
		Period:        period,
	}
	if refused == nil || refused.Workflow != l.Workflow {
		return card
	}
	card.Period = refused.Period
	card.Message = refusalMessage(refused.Err)
	for _, fe := range refused.Err.Fields {
		switch fe.Field {
		case "period":
			card.PeriodError = fe.Message
		case "file":
			card.FileError = fe.Message
		}
	}
	return card
}

// showsRefusal reports whether the page has the form of workflow's list.
func (v listIndexView) showsRefusal(workflow string) bool {
	for _, l := range v.Lists {
		if l.Workflow == workflow {
			return true
		}
	}
	return false
}

func refusalMessage(err *workflows.Error) string {
	if err.Message == "" {
		return "上传未成功，请按提示修改后重新上传"
	}
	return err.Message
}

func (s *server) importItemOf(imp workflows.ListImport) importItem {
	return importItem{
		Href:       listImportURL(imp.ID),
		Title:      imp.Title,
		Department: departmentLabel(imp.Department),
		FileName:   maskIDsIn(imp.FileName),
		Period:     imp.Period,
		Created:    s.dateTime(imp.CreatedAt),
		Status:     statusOfImport(imp.Status),
		Started:    imp.Started,
		Duplicates: imp.Duplicates,
		OpenCases:  imp.OpenCases,
		Problems:   imp.Problems,
	}
}

// invalidUpload returns the refusal of an upload the user can correct, or
// false for any other error.
func invalidUpload(err error) (*workflows.Error, bool) {
	var de *workflows.Error
	if errors.As(err, &de) && de.Code == workflows.Invalid {
		return de, true
	}
	return nil, false
}

func listTemplateURL(workflow string) string {
	return "/lists/" + url.PathEscape(workflow) + "/template.xlsx"
}
func listUploadURL(workflow string) string { return "/lists/" + url.PathEscape(workflow) }
func listImportURL(id int) string          { return "/lists/imports/" + strconv.Itoa(id) }
func listProblemsURL(id int) string        { return listImportURL(id) + "/problems.xlsx" }

// idLike finds what looks like a 身份证号 in free text.
var idLike = regexp.MustCompile(`\d{17}[\dXx]`)

// maskIDsIn masks every 身份证号 in a text the user chose, such as the name
// of an uploaded file: a page never shows a full number.
func maskIDsIn(s string) string { return idLike.ReplaceAllStringFunc(s, forms.MaskIDCard) }
