package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// The page of one definition version: its facts, the other versions, a
// preview of a form as cadres see it, and the text with numbered lines.

type definitionShowView struct {
	Page                                          page
	Title, Kind, ID, Created, CreatedBy, EditHref string
	DiffHref, NewestHref, CompareNewestHref       string
	Version, Versions, Newest                     int
	Others                                        []versionLink
	Preview                                       *formView
	Steps                                         []workflowStep
	Lines                                         []sourceLine
}

type versionLink struct {
	Version int
	Href    string
}

// sourceLine is one numbered line of a definition's text, with the
// problems found on it.
type sourceLine struct {
	Number   int
	Text     string
	Problems []string
}

// sourceLines splits a text into numbered lines.
func sourceLines(src string) []sourceLine {
	text := strings.TrimSuffix(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	parts := strings.Split(text, "\n")
	out := make([]sourceLine, len(parts))
	for i, p := range parts {
		out[i] = sourceLine{Number: i + 1, Text: p}
	}
	return out
}

func (s *server) definitionShow(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	kind, id := c.Param("kind"), c.Param("id")
	version, err := positive(c.QueryParam("version"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	user := currentUser(c)
	d, err := s.svc.DefinitionSource(ctx, user, kind, id, version)
	if err != nil {
		return fmt.Errorf("load definition %s %s v%d: %w", kind, id, version, err)
	}
	all, err := s.svc.Definitions(ctx, user)
	if err != nil {
		return fmt.Errorf("list definitions: %w", err)
	}
	title := d.Title
	if title == "" {
		title = d.ID
	}
	v := definitionShowView{Page: s.page(c, title+" · 第"+strconv.Itoa(d.Version)+"版"), Title: title,
		Kind: kindLabel(d.Kind), ID: d.ID, Version: d.Version, Created: s.dateTime(d.CreatedAt),
		CreatedBy: publisher(d.CreatedBy), EditHref: "/definitions/new?" + url.Values{"kind": {d.Kind}, "id": {d.ID}, "version": {strconv.Itoa(d.Version)}}.Encode(),
		Lines: sourceLines(d.Source)}
	v.Page.Nav, v.Page.Wide = "definitions", true
	v.DiffHref = diffHref(d.Kind, d.ID, d.Version-1, d.Version)
	for _, o := range all {
		if o.Kind != d.Kind || o.ID != d.ID {
			continue
		}
		v.Versions++
		v.Newest = max(v.Newest, o.Version)
		if o.Version != d.Version {
			v.Others = append(v.Others, versionLink{Version: o.Version, Href: definitionHref(o.Kind, o.ID, o.Version)})
		}
	}
	v.NewestHref = definitionHref(d.Kind, d.ID, v.Newest)
	v.CompareNewestHref = diffHref(d.Kind, d.ID, d.Version, v.Newest)
	if d.Kind == "workflow" {
		w, err := s.svc.WorkflowVersion(ctx, d.ID, d.Version)
		if err != nil {
			return fmt.Errorf("load workflow %s v%d: %w", d.ID, d.Version, err)
		}
		titles, err := s.definitionTitles(c)
		if err != nil {
			return err
		}
		v.Steps = workflowSteps(w, titles)
	}
	if d.Kind == "form" {
		def, err := s.svc.FormVersion(ctx, d.ID, d.Version)
		if err != nil {
			return fmt.Errorf("load form %s v%d: %w", d.ID, d.Version, err)
		}
		preview := s.drawForm(def, formInput{})
		v.Preview = &preview
	}
	return render(c, http.StatusOK, definitionShowPage(v))
}

// publisher names who published a version; the built-ins are published
// by the system at start-up.
func publisher(username string) string {
	if username == "system" || username == "" {
		return "系统内置"
	}
	return username
}

// diffHref is the comparison of two versions of a definition.
func diffHref(kind, id string, from, to int) string {
	return "/definitions/" + url.PathEscape(kind) + "/" + url.PathEscape(id) + "/diff?" +
		url.Values{"from": {strconv.Itoa(from)}, "to": {strconv.Itoa(to)}}.Encode()
}
