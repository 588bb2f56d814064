package ui

import (
	"fmt"
	"net/http"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/labstack/echo/v4"
)

// What changed between two versions of a definition, as a line diff with
// three lines of context, so an administrator reviews a change before
// migrating cases to it.

type definitionDiffView struct {
	Page          page
	Title, Back   string
	From, To      int
	Hunks         []diffHunk
	Added, Delete int
}

type diffHunk struct {
	Header string
	Lines  []diffLine
}

// diffLine is one line of a hunk: Kind is "same", "del" or "ins"; Old and
// New are its numbers in the two versions (0 where it is absent).
type diffLine struct {
	Kind     string
	Text     string
	Old, New int
}

// lineDiff compares two texts line by line. Line ends do not count: a
// version published from a browser before they were normalized has \r\n.
func lineDiff(old, new string) ([]diffHunk, error) {
	old, new = strings.ReplaceAll(old, "\r\n", "\n"), strings.ReplaceAll(new, "\r\n", "\n")
	u, err := udiff.ToUnifiedDiff("", "", old, udiff.Lines(old, new), udiff.DefaultContextLines)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	hunks := make([]diffHunk, 0, len(u.Hunks))
	for _, h := range u.Hunks {
		o, n := h.FromLine, h.ToLine
		out := diffHunk{Header: fmt.Sprintf("原第%d行、新第%d行起", o, n)}
		for _, l := range h.Lines {
			d := diffLine{Text: strings.TrimSuffix(l.Content, "\n")}
			switch l.Kind {
			case udiff.Delete:
				d.Kind, d.Old = "del", o
				o++
			case udiff.Insert:
				d.Kind, d.New = "ins", n
				n++
			default:
				d.Kind, d.Old, d.New = "same", o, n
				o++
				n++
			}
			out.Lines = append(out.Lines, d)
		}
		hunks = append(hunks, out)
	}
	return hunks, nil
}

func (s *server) definitionDiff(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	kind, id := c.Param("kind"), c.Param("id")
	from, err := positive(c.QueryParam("from"))
	if err != nil {
		return err
	}
	to, err := positive(c.QueryParam("to"))
	if err != nil {
		return err
	}
	ctx, user := c.Request().Context(), currentUser(c)
	newer, err := s.svc.DefinitionSource(ctx, user, kind, id, to)
	if err != nil {
		return fmt.Errorf("load definition %s %s v%d: %w", kind, id, to, err)
	}
	if from == 0 {
		from = newer.Version - 1
	}
	if from < 1 || from == newer.Version {
		return withBack(badRequest("请选择另一个版本比较"), definitionHref(kind, id, newer.Version))
	}
	older, err := s.svc.DefinitionSource(ctx, user, kind, id, from)
	if err != nil {
		return fmt.Errorf("load definition %s %s v%d: %w", kind, id, from, err)
	}
	hunks, err := lineDiff(older.Source, newer.Source)
	if err != nil {
		return err
	}
	title := newer.Title
	if title == "" {
		title = newer.ID
	}
	v := definitionDiffView{Page: s.page(c, title+" · 比较"), Title: title, From: older.Version, To: newer.Version,
		Hunks: hunks, Back: definitionHref(kind, id, newer.Version)}
	v.Page.Nav, v.Page.Wide = "definitions", true
	for _, h := range hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case "ins":
				v.Added++
			case "del":
				v.Delete++
			}
		}
	}
	return render(c, http.StatusOK, definitionDiffPage(v))
}
