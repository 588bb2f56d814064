package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// Publishing a definition from the browser: its text typed or pasted, or
// a .yaml file. Problems come back in a list that quotes each line and
// links to it in the text as submitted, the text kept in the box.
// 检查并预览 lints without publishing.
//
// Editing starts from a stored version (修改后发布新版本). The page then
// carries what it started from, and publishing refuses a text whose id
// changed (it would create another definition, not a version) or a
// definition someone else published meanwhile (it would silently undo
// their change). These checks are the page's: the API publishes as told.

type definitionPublishView struct {
	Page                    page
	Heading                 string
	Source, Message, Cancel string
	// Refused heads the message box: 发布未成功 or 检查发现问题.
	Refused  string
	Problems []problemItem
	Lines    []sourceLine
	Base     definitionBase
	// Checked says what a check found nothing wrong with; Preview is its
	// form as cadres would see it, Steps its workflow's steps.
	Checked string
	Preview *formView
	Steps   []workflowStep
}

// definitionBase is the stored version an edit started from, and the
// newest version when the page was drawn; zero for a new definition.
type definitionBase struct {
	Kind, ID, Title string
	Version, Newest int
}

func (b definitionBase) editing() bool { return b.ID != "" }

// CompareHref compares the base with the newest version.
func (b definitionBase) CompareHref() string { return diffHref(b.Kind, b.ID, b.Version, b.Newest) }

type problemItem struct{ Text, Quote, Href string }

// maxDefinitionSource bounds an uploaded definition; the largest built-in
// is about 8 KB.
const maxDefinitionSource = 1 << 20

// definitionExample is shown in an empty box: the smallest form.
const definitionExample = "id: my_form\ntitle: 表单名称\nfields:\n  - {name: note, type: textarea, label: 说明, required: true}\n"

func (s *server) showDefinitionPublish(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	v := definitionPublishView{Page: s.page(c, "发布定义"), Heading: "发布定义", Cancel: "/definitions"}
	v.Page.Nav, v.Page.Wide = "definitions", true
	if kind, id := c.QueryParam("kind"), c.QueryParam("id"); kind != "" && id != "" {
		version, err := positive(c.QueryParam("version"))
		if err != nil {
			return err
		}
		ctx, user := c.Request().Context(), currentUser(c)
		d, err := s.svc.DefinitionSource(ctx, user, kind, id, version)
		if err != nil {
			return fmt.Errorf("load definition %s %s v%d: %w", kind, id, version, err)
		}
		newest := d
		if version > 0 {
			if newest, err = s.svc.DefinitionSource(ctx, user, kind, id, 0); err != nil {
				return fmt.Errorf("load definition %s %s: %w", kind, id, err)
			}
		}
		v.Base = definitionBase{Kind: d.Kind, ID: d.ID, Title: titleOf(d.DefinitionInfo), Version: d.Version, Newest: newest.Version}
		v.Heading = fmt.Sprintf("修改「%s」（基于第%d版）", v.Base.Title, d.Version)
		v.Page.Title = v.Heading
		v.Source, v.Cancel = d.Source, definitionHref(kind, id, d.Version)
	}
	return render(c, http.StatusOK, definitionPublishPage(v))
}

func (s *server) definitionPublish(c echo.Context) error {
	if err := requireAdmin(c); err != nil {
		return err
	}
	v := definitionPublishView{Page: s.page(c, "发布定义"), Heading: "发布定义", Cancel: "/definitions",
		Source: c.FormValue("source"), Base: postedBase(c)}
	v.Page.Nav, v.Page.Wide = "definitions", true
	if v.Base.editing() {
		v.Heading = fmt.Sprintf("修改「%s」（基于第%d版）", v.Base.Title, v.Base.Version)
		v.Page.Title = v.Heading
		v.Cancel = definitionHref(v.Base.Kind, v.Base.ID, v.Base.Version)
	}
	checking := c.FormValue("check") != ""
	v.Refused = "发布未成功"
	if checking {
		v.Refused = "检查发现问题"
	}
	src, refusal, err := postedDefinition(c)
	if err != nil {
		return err
	}
	if refusal != "" {
		// The box keeps what it held: a refused file must not cost the
		// administrator their edits.
		v.Message = refusal
		return render(c, http.StatusUnprocessableEntity, definitionPublishPage(v))
	}
	v.Source = src
	if strings.TrimSpace(src) == "" {
		v.Message = "请填写定义原文，或上传 .yaml 文件"
		return render(c, http.StatusUnprocessableEntity, definitionPublishPage(v))
	}
	ctx, user := c.Request().Context(), currentUser(c)
	checked, err := s.svc.CheckDefinition(ctx, user, []byte(src))
	if refused, ok := definitionProblems(err, v); ok {
		return render(c, http.StatusUnprocessableEntity, definitionPublishPage(refused))
	}
	if err != nil {
		return withBack(fmt.Errorf("check definition: %w", err), "/definitions/new")
	}
	if msg, err := s.editConflict(c, v.Base, checked); err != nil || msg != "" {
		if err != nil {
			return err
		}
		v.Message = msg
		return render(c, http.StatusConflict, definitionPublishPage(v))
	}
	if checking {
		return s.renderChecked(c, v, checked)
	}
	info, err := s.svc.PublishDefinition(ctx, user, []byte(src))
	if refused, ok := definitionProblems(err, v); ok {
		return render(c, http.StatusUnprocessableEntity, definitionPublishPage(refused))
	}
	if err != nil {
		return withBack(fmt.Errorf("publish definition: %w", err), "/definitions/new")
	}
	if info.Unchanged {
		setFlash(c, flashDefinitionUnchanged)
	} else {
		setFlash(c, flashDefinitionPublished)
	}
	return c.Redirect(http.StatusSeeOther, definitionHref(info.Kind, info.ID, info.Version))
}

// editConflict is why an edit must not be published as it is: its text
// names another definition than the one edited, or a newer version
// appeared since the page was drawn; "" when neither.
func (s *server) editConflict(c echo.Context, base definitionBase, checked workflows.DefinitionCheck) (string, error) {
	if !base.editing() {
		return "", nil
	}
	if checked.Kind != base.Kind || checked.ID != base.ID {
		return fmt.Sprintf("原文的编号（id）已从「%s」改为「%s」：发布会新建一个定义，而不是「%s」的新版本。"+
			"请改回编号；如要新建定义，请从「定义」页的「发布定义」开始。", base.ID, checked.ID, base.Title), nil
	}
	newest, err := s.svc.DefinitionSource(c.Request().Context(), currentUser(c), base.Kind, base.ID, 0)
	if err != nil {
		return "", fmt.Errorf("load definition %s %s: %w", base.Kind, base.ID, err)
	}
	if newest.Version > base.Newest {
		return fmt.Sprintf("「%s」在您修改期间已发布了第%d版（%s，%s）。为免覆盖其中的修改，请打开第%d版重新修改。",
			base.Title, newest.Version, publisher(newest.CreatedBy), s.dateTime(newest.CreatedAt), newest.Version), nil
	}
	return "", nil
}

// renderChecked answers 检查并预览 of a text without problems: what it
// would publish, and its form's preview or its workflow's steps.
func (s *server) renderChecked(c echo.Context, v definitionPublishView, out workflows.DefinitionCheck) error {
	title := out.Title
	if title == "" {
		title = out.ID
	}
	v.Refused = ""
	v.Checked = fmt.Sprintf("检查通过：%s「%s」（%s），尚未发布。", kindLabel(out.Kind), title, out.ID)
	if out.Form != nil {
		preview := s.drawForm(out.Form, formInput{})
		v.Preview = &preview
	}
	if out.Workflow != nil {
		titles, err := s.definitionTitles(c)
		if err != nil {
			return err
		}
		v.Steps = workflowSteps(out.Workflow, titles)
	}
	return render(c, http.StatusOK, definitionPublishPage(v))
}

// definitionTitles names every definition by kind and id, for a
// workflow's steps.
func (s *server) definitionTitles(c echo.Context) (definitionTitles, error) {
	all, err := s.svc.Definitions(c.Request().Context(), currentUser(c))
	if err != nil {
		return nil, fmt.Errorf("list definitions: %w", err)
	}
	titles := definitionTitles{}
	for _, o := range all {
		if o.Title == "" {
			continue
		}
		if titles[o.Kind] == nil {
			titles[o.Kind] = map[string]string{}
		}
		titles[o.Kind][o.ID] = o.Title // the newest, as all is in version order
	}
	return titles, nil
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

// postedBase reads what an edit started from.
func postedBase(c echo.Context) definitionBase {
	b := definitionBase{Kind: c.FormValue("base_kind"), ID: c.FormValue("base_id"), Title: c.FormValue("base_title")}
	b.Version, _ = strconv.Atoi(c.FormValue("base_version"))
	b.Newest, _ = strconv.Atoi(c.FormValue("base_newest"))
	if b.Kind == "" || b.ID == "" || b.Version < 1 || b.Newest < b.Version {
		return definitionBase{}
	}
	if b.Title == "" {
		b.Title = b.ID
	}
	return b
}

// postedDefinition is the uploaded file when one was chosen, else the
// text box. refusal says why a file cannot be a definition (not UTF-8,
// not text).
func postedDefinition(c echo.Context) (src, refusal string, err error) {
	fh, err := c.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		// No file chosen, or a plain form post: the text box.
		return c.FormValue("source"), "", nil
	case err != nil:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", "", err
		}
		return "", "", badRequest(msgBadRequest)
	case fh.Size == 0:
		return c.FormValue("source"), "", nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", "", fmt.Errorf("open uploaded definition: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxDefinitionSource+1))
	if err != nil {
		return "", "", fmt.Errorf("read uploaded definition: %w", err)
	}
	switch {
	case len(b) > maxDefinitionSource:
		return "", "定义文件不能超过 1MB", nil
	case bytes.IndexByte(b, 0) >= 0:
		return "", "「" + fh.Filename + "」不是文本文件：请上传 .yaml 文本", nil
	case !utf8.Valid(b):
		return "", "「" + fh.Filename + "」不是 UTF-8 编码：请用记事本打开，「另存为」时编码选 UTF-8，再上传", nil
	}
	return string(bytes.TrimPrefix(b, []byte("\uFEFF"))), "", nil
}

// problemItems words each problem for the summary, quoting its line, and
// marks the line in lines; a problem without a line of the text (the
// whole file) has no link.
func problemItems(ps forms.Problems, lines []sourceLine) []problemItem {
	out := make([]problemItem, 0, len(ps))
	for _, p := range ps {
		// A problem of no particular key (a YAML syntax error) is told by
		// its message alone.
		text := p.Message
		if p.Path != "" {
			text = p.Path + "：" + p.Message
		}
		if p.Line < 1 || p.Line > len(lines) {
			out = append(out, problemItem{Text: text})
			continue
		}
		l := &lines[p.Line-1]
		l.Problems = append(l.Problems, text)
		// The whole line: the mistake may be at its end (a missing }).
		out = append(out, problemItem{Text: fmt.Sprintf("第%d行 · %s", p.Line, text),
			Quote: strings.TrimSpace(l.Text), Href: fmt.Sprintf("#L%d", p.Line)})
	}
	return out
}

// positive reads an optional positive integer query value; 0 when absent.
func positive(q string) (int, error) {
	if q == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 {
		return 0, badRequest("版本号应为正整数")
	}
	return n, nil
}

// titleOf is a definition's title, or its id when it has none.
func titleOf(d workflows.DefinitionInfo) string {
	if d.Title != "" {
		return d.Title
	}
	return d.ID
}
