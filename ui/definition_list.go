package ui

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"jianfu/roles"
	"jianfu/workflows"
)

// The page 定义 (administrators): every form, workflow and calendar with
// its newest version, grouped by kind.

type definitionListView struct {
	Page   page
	Groups []definitionGroup
	// CalendarDue asks for next year's holidays before they are needed.
	CalendarDue string
}

type definitionGroup struct {
	Title string
	Items []definitionItem
}

type definitionItem struct {
	ID, Title, Href, Created string
	Version                  int
}

// definitionKinds orders the groups of the page.
var definitionKinds = []string{"form", "workflow", "calendar"}

func kindLabel(kind string) string {
	switch kind {
	case "form":
		return "表单"
	case "workflow":
		return "流程"
	case "calendar":
		return "节假日历"
	default:
		return kind
	}
}

// definitionHref is the page of one definition; version 0 the newest.
func definitionHref(kind, id string, version int) string {
	u := "/definitions/" + url.PathEscape(kind) + "/" + url.PathEscape(id)
	if version > 0 {
		u += fmt.Sprintf("?version=%d", version)
	}
	return u
}

// requireAdmin refuses the definition pages to everyone but
// administrators; the service refuses their sources and publishing too.
func requireAdmin(c echo.Context) error {
	if currentUser(c).Role != roles.Admin {
		return workflows.Errorf(workflows.Forbidden, "只有管理员可以管理定义")
	}
	return nil
}

func (s *server) definitionList(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	defs, err := s.svc.Definitions(c.Request().Context(), currentUser(c))
	if err != nil {
		return fmt.Errorf("list definitions: %w", err)
	}
	newest := map[[2]string]workflows.DefinitionInfo{}
	for _, d := range defs {
		key := [2]string{d.Kind, d.ID}
		if d.Version > newest[key].Version {
			newest[key] = d
		}
	}
	byKind := map[string][]definitionItem{}
	for _, d := range newest {
		title := d.Title
		if title == "" {
			title = d.ID
		}
		byKind[d.Kind] = append(byKind[d.Kind], definitionItem{ID: d.ID, Title: title, Version: d.Version,
			Href: definitionHref(d.Kind, d.ID, 0), Created: s.date(d.CreatedAt)})
	}
	kinds := slices.Clone(definitionKinds)
	for k := range byKind {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	v := definitionListView{Page: s.page(c, "定义")}
	v.Page.Nav = "definitions"
	for _, k := range kinds {
		items := byKind[k]
		if len(items) == 0 {
			continue
		}
		// By title in pinyin order, as administrators look for 入户核实表,
		// not household_verification; a Collator keeps buffers, so one per
		// request.
		zh := collate.New(language.Chinese)
		slices.SortFunc(items, func(a, b definitionItem) int {
			return cmp.Or(zh.CompareString(a.Title, b.Title), cmp.Compare(a.ID, b.ID))
		})
		v.Groups = append(v.Groups, definitionGroup{Title: kindLabel(k), Items: items})
	}
	v.CalendarDue = s.calendarDue(c)
	return render(c, http.StatusOK, definitionListPage(v))
}

// calendarDue says, from October on, that the holiday calendar has no
// arrangement for next year yet (or, any time, for this year): deadlines
// running into it would count 元旦 and 春节 as working days. "" when it
// has one, or when the calendar cannot be read (logged; the page is
// still worth showing).
func (s *server) calendarDue(c echo.Context) string {
	now := s.now().In(s.zone)
	year := now.Year()
	if now.Month() >= time.October {
		year++
	}
	d, err := s.svc.DefinitionSource(c.Request().Context(), currentUser(c), workflows.KindCalendar, workflows.CalendarID, 0)
	if err != nil {
		if workflows.ErrorCode(err) != workflows.NotFound {
			s.log.Error("definitions: load the calendar", "err", err)
		}
		return ""
	}
	cal, err := workflows.ParseCalendar([]byte(d.Source))
	if err != nil {
		s.log.Error("definitions: parse the calendar", "err", err)
		return ""
	}
	if cal.CoversYear(year) {
		return ""
	}
	return fmt.Sprintf("节假日历还没有%d年的安排：期限跨入%d年时，元旦、春节等假日会被算作工作日。请发布%d年的节假日和调休。", year, year, year)
}
