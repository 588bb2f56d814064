package ui

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"jianfu/roles"
	"jianfu/workflows"
)

// page is what the layout needs from every page.
type page struct {
	Title    string
	User     workflows.User
	SignedIn bool
	Flash    string
	Nav      string // active section: "tasks", "households", "lists" or "definitions"
	// ListsLink shows 预警名单 in the navigation (see listsInNav).
	ListsLink bool
	// DefinitionsLink shows 定义 (administrators).
	DefinitionsLink bool
	// Wide lets the page use a desktop's width (a definition's text),
	// where other pages keep one readable column.
	Wide bool
	// Refresh reloads the page every so many seconds (a running import's
	// progress, without script); 0: never.
	Refresh int
}

// page builds the layout model of the current request. It consumes the
// flash message, so call it once per rendered page.
func (s *server) page(c echo.Context, title string) page {
	p := page{Title: title, Flash: takeFlash(c)}
	p.User, p.SignedIn = userOf(c)
	if p.SignedIn {
		p.ListsLink = s.listsInNav(c, p.User)
		p.DefinitionsLink = p.User.Role == roles.Admin
	}
	switch path := c.Path(); {
	case strings.HasPrefix(path, "/tasks"), strings.HasPrefix(path, "/cases"):
		p.Nav = "tasks"
	case strings.HasPrefix(path, "/households"):
		p.Nav = "households"
	case strings.HasPrefix(path, "/lists"):
		p.Nav = "lists"
	}
	return p
}

// render writes a complete page. It renders into a buffer first so a
// failing component yields a clean error page, not half a page.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// pathID reads a numeric path parameter.
func pathID(c echo.Context, name string) (int, error) {
	id, err := strconv.Atoi(c.Param(name))
	if err != nil || id <= 0 {
		return 0, badRequest(msgBadID)
	}
	return id, nil
}

// date formats a day in China time; the zero time is shown as "—".
func (s *server) date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(s.zone).Format("2006-01-02")
}

// dateTime formats a moment in China time to the minute.
func (s *server) dateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(s.zone).Format("2006-01-02 15:04")
}

func caseURL(id int) string          { return "/cases/" + strconv.Itoa(id) }
func taskURL(id int) string          { return "/tasks/" + strconv.Itoa(id) }
func householdURL(id int) string     { return "/households/" + strconv.Itoa(id) }
func attachmentURL(id string) string { return "/attachments/" + url.PathEscape(id) }
