package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// Publishing a definition from the browser: its text typed or pasted, or
// a .yaml file. Problems come back in a list that links each to its line
// in the text as submitted, the text kept in the box.

type definitionPublishView struct {
	Page                    page
	Source, Message, Cancel string
	Problems                []problemItem
	Lines                   []sourceLine
	// Checked says what a check found nothing wrong with; Preview is its
	// form as cadres would see it.
	Checked string
	Preview *formView
}

type problemItem struct{ Text, Href string }

// maxDefinitionSource bounds an uploaded definition; the largest built-in
// is about 8 KB.
const maxDefinitionSource = 1 << 20

func (s *server) showDefinitionPublish(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	v := definitionPublishView{Page: s.page(c, "发布定义"), Cancel: "/definitions"}
	if kind, id := c.QueryParam("kind"), c.QueryParam("id"); kind != "" && id != "" {
		// The newest version as the draft of the next.
		d, err := s.svc.DefinitionSource(c.Request().Context(), currentUser(c), kind, id, 0)
		if err != nil {
			return fmt.Errorf("load definition %s %s: %w", kind, id, err)
		}
		v.Source, v.Cancel = d.Source, definitionHref(kind, id, 0)
	}
	v.Page.Nav = "definitions"
	return render(c, http.StatusOK, definitionPublishPage(v))
}

func (s *server) definitionPublish(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	src, err := postedDefinition(c)
	if err != nil {
		return err
	}
	v := definitionPublishView{Page: s.page(c, "发布定义"), Source: src, Cancel: "/definitions"}
	v.Page.Nav = "definitions"
	if strings.TrimSpace(src) == "" {
		v.Message = "请填写定义原文，或上传 .yaml 文件"
		return render(c, http.StatusUnprocessableEntity, definitionPublishPage(v))
	}
	if c.FormValue("check") != "" {
		return s.checkDefinition(c, v)
	}
	info, err := s.svc.PublishDefinition(c.Request().Context(), currentUser(c), []byte(src))
	if refused, ok := definitionProblems(err, v); ok {
		return render(c, http.StatusUnprocessableEntity, definitionPublishPage(refused))
	}
	if err != nil {
		return withBack(fmt.Errorf("publish definition: %w", err), "/definitions/new")
	}
	setFlash(c, flashDefinitionPublished)
	return c.Redirect(http.StatusSeeOther, definitionHref(info.Kind, info.ID, info.Version))
}

// checkDefinition answers 检查并预览: the problems, or what the text would
// publish and its form's preview, the text kept for publishing.
func (s *server) checkDefinition(c echo.Context, v definitionPublishView) error {
	out, err := s.svc.CheckDefinition(c.Request().Context(), currentUser(c), []byte(v.Source))
	if refused, ok := definitionProblems(err, v); ok {
		return render(c, http.StatusUnprocessableEntity, definitionPublishPage(refused))
	}
	if err != nil {
		return withBack(fmt.Errorf("check definition: %w", err), "/definitions/new")
	}
	title := out.Title
	if title == "" {
		title = out.ID
	}
	v.Checked = fmt.Sprintf("检查通过：%s「%s」（%s），尚未发布。", kindLabel(out.Kind), title, out.ID)
	if out.Form != nil {
		preview := s.drawForm(out.Form, formInput{})
		v.Preview = &preview
	}
	return render(c, http.StatusOK, definitionPublishPage(v))
}

// definitionProblems fills v with the problems of an Invalid error.
func definitionProblems(err error, v definitionPublishView) (definitionPublishView, bool) {
	var de *workflows.Error
	if !errors.As(err, &de) || de.Code != workflows.Invalid {
		return v, false
	}
	v.Message = de.Message
	v.Lines = sourceLines(v.Source)
	v.Problems = problemItems(de.Problems, v.Lines)
	if len(v.Problems) > 0 {
		v.Message = fmt.Sprintf("定义有 %d 处问题，请按提示修改：", len(v.Problems))
	}
	return v, true
}

// postedDefinition is the uploaded file when one was chosen, else the
// text box.
func postedDefinition(c echo.Context) (string, error) {
	fh, err := c.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		// No file chosen, or a plain form post: the text box.
	case err != nil:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", err
		}
		return "", badRequest(msgBadRequest)
	case fh.Size > 0:
		f, err := fh.Open()
		if err != nil {
			return "", fmt.Errorf("open uploaded definition: %w", err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxDefinitionSource+1))
		if err != nil {
			return "", fmt.Errorf("read uploaded definition: %w", err)
		}
		if len(b) > maxDefinitionSource {
			return "", badRequest("定义文件不能超过 1MB")
		}
		return string(b), nil
	}
	return c.FormValue("source"), nil
}

// problemItems words each problem for the summary and marks its line in
// lines; a problem without a line of the text (the whole file) has no
// link.
func problemItems(ps forms.Problems, lines []sourceLine) []problemItem {
	out := make([]problemItem, 0, len(ps))
	for _, p := range ps {
		where := p.Path
		if where == "" {
			where = "整个定义"
		}
		if p.Line < 1 || p.Line > len(lines) {
			out = append(out, problemItem{Text: where + "：" + p.Message})
			continue
		}
		lines[p.Line-1].Problems = append(lines[p.Line-1].Problems, where+"："+p.Message)
		out = append(out, problemItem{Text: fmt.Sprintf("第%d行 · %s：%s", p.Line, where, p.Message),
			Href: fmt.Sprintf("#L%d", p.Line)})
	}
	return out
}
