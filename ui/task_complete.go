package ui

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// showTaskForm renders the form of a department task (部门核查, 比对 …) or
// of recurring work (月度走访); completing either does not move the case.
func (s *server) showTaskForm(c echo.Context) error {
	t, def, err := s.loadTask(c)
	if err != nil {
		return err
	}
	in, err := s.firstInput(c, def, t.CaseID, nil)
	if err != nil {
		return err
	}
	return s.renderTask(c, http.StatusOK, t, def, in)
}

// completeTask submits a department or recurring task; errors behave as
// on an action form.
func (s *server) completeTask(c echo.Context) error {
	post, err := readFormPost(c)
	if err != nil {
		return err
	}
	t, def, err := s.loadTask(c)
	if err != nil {
		return err
	}
	// Refused before any upload is stored: a refusal leaves nothing.
	if !t.MayComplete {
		return withBack(workflows.Errorf(workflows.Forbidden, "无权办理该任务"), taskURL(t.ID))
	}
	if in, ok, err := s.withUploads(c, def, post); err != nil {
		return err
	} else if !ok {
		return s.renderTask(c, http.StatusUnprocessableEntity, t, def, in)
	}
	if post.Redraw {
		return s.renderTask(c, http.StatusOK, t, def, post.input())
	}
	data := decodeSubmission(def, post.Values)
	_, err = s.svc.CompleteTask(c.Request().Context(), currentUser(c), t.ID, data)
	if in, ok := invalidInput(err, post.Values); ok {
		return s.renderTask(c, http.StatusUnprocessableEntity, t, def, in)
	}
	if err != nil {
		return withBack(fmt.Errorf("complete task %d: %w", t.ID, err), taskURL(t.ID))
	}
	setFlash(c, flashSubmitted)
	return c.Redirect(http.StatusSeeOther, "/tasks")
}

// loadTask loads the task of the path and its form.
func (s *server) loadTask(c echo.Context) (workflows.Task, *forms.Definition, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return workflows.Task{}, nil, err
	}
	ctx := c.Request().Context()
	t, err := s.svc.Task(ctx, currentUser(c), id)
	if err != nil {
		return workflows.Task{}, nil, fmt.Errorf("load task %d: %w", id, err)
	}
	def, err := s.loadForm(ctx, t.Form, t.Locality)
	if err != nil {
		return workflows.Task{}, nil, err
	}
	return t, def, nil
}

func (s *server) renderTask(c echo.Context, status int, t workflows.Task, def *forms.Definition, in formInput) error {
	if t.Department != "" {
		// 部门核查's 核查部门 is the task's department (the engine refuses
		// another): chosen for the liaison.
		if in.Preset == nil {
			in.Preset = url.Values{}
		}
		in.Preset.Set("department", t.Department)
	}
	heading := t.StateTitle
	if def != nil && def.Title != "" {
		heading = def.Title
	}
	v := formPageView{
		Page:    s.page(c, heading+" · "+t.Household),
		Heading: heading,
		Facts: []fact{
			{Label: "农户", Value: t.Household},
			{Label: "环节", Value: t.StateTitle},
			taskKind(t),
			{Label: "期限", Value: s.date(t.Due)},
		},
		Action:  taskURL(t.ID),
		HasForm: def != nil,
		Form:    s.drawForm(def, in),
		Submit:  "提交",
		Cancel:  "/tasks",
	}
	if t.Status != workflows.TaskOpen {
		v.Closed = msgTaskClosed
		v.Facts = append(v.Facts, fact{Label: "状态", Value: taskStatusLabel(t.Status)})
		if t.CompletedBy != "" {
			v.Facts = append(v.Facts, fact{Label: "办理人", Value: t.CompletedBy + "，" + s.dateTime(t.CompletedAt)})
		}
	}
	return render(c, status, formPage(v))
}

// taskKind says whose task it is: a department's check, or the recurring
// work of the step.
func taskKind(t workflows.Task) fact {
	if t.Department != "" {
		return fact{Label: "部门", Value: departmentLabel(t.Department)}
	}
	return fact{Label: "类型", Value: "定期任务"}
}
