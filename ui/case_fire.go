package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// fireTarget is what an action form needs: the case, the action the user
// may take, and the form it asks for (nil when none).
type fireTarget struct {
	Case   workflows.Case
	Action workflows.Action
	Form   *forms.Definition
}

// showFireForm renders the form of one action of a case.
func (s *server) showFireForm(c echo.Context) error {
	t, err := s.loadFireTarget(c)
	if err != nil {
		return err
	}
	// After a send-back the earlier submission fills the form again;
	// otherwise what the form prefills does.
	in, err := s.firstInput(c, t.Form, t.Case.ID, t.Case.Drafts)
	if err != nil {
		return err
	}
	return s.renderFire(c, http.StatusOK, t, strconv.Itoa(t.Case.Version), in)
}

// caseFire submits an action: on invalid data the form comes back with
// the values kept and errors next to each field; on success the case page
// shows "已提交".
func (s *server) caseFire(c echo.Context) error {
	post, err := readFormPost(c)
	if err != nil {
		return err
	}
	t, err := s.loadFireTarget(c)
	if err != nil {
		return err
	}
	// The version the page was drawn from, not the current one: a stale
	// page must fail with Conflict rather than act on a newer state.
	version := post.Values.Get(versionField)
	if in, ok, err := s.withUploads(c, t.Form, post); err != nil {
		return err
	} else if !ok {
		return s.renderFire(c, http.StatusUnprocessableEntity, t, version, in)
	}
	if post.Redraw {
		return s.renderFire(c, http.StatusOK, t, version, post.input())
	}
	v, err := strconv.Atoi(version)
	if err != nil {
		return withBack(badRequest(msgStaleForm), caseURL(t.Case.ID))
	}
	data := decodeSubmission(t.Form, post.Values)
	_, err = s.svc.Fire(c.Request().Context(), currentUser(c), t.Case.ID, t.Action.Trigger, data, v)
	if in, ok := invalidInput(err, post.Values); ok {
		return s.renderFire(c, http.StatusUnprocessableEntity, t, version, in)
	}
	if err != nil {
		return withBack(err, caseURL(t.Case.ID))
	}
	setFlash(c, flashSubmitted)
	return c.Redirect(http.StatusSeeOther, caseURL(t.Case.ID))
}

// loadFireTarget loads the case of the path and the action named by its
// trigger, refusing an action the user may not take now.
func (s *server) loadFireTarget(c echo.Context) (fireTarget, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return fireTarget{}, err
	}
	trigger, err := url.PathUnescape(c.Param("trigger"))
	if err != nil {
		return fireTarget{}, badRequest(msgBadRequest)
	}
	ctx := c.Request().Context()
	cs, err := s.svc.Case(ctx, currentUser(c), id)
	if err != nil {
		return fireTarget{}, fmt.Errorf("load case %d: %w", id, err)
	}
	t := fireTarget{Case: cs}
	found := false
	for _, a := range cs.Actions {
		if a.Trigger == trigger {
			t.Action, found = a, true
			break
		}
	}
	if !found {
		return fireTarget{}, withBack(workflows.Errorf(workflows.Conflict, "%s", msgActionGone), caseURL(id))
	}
	if t.Form, err = s.loadForm(ctx, t.Action.Form, cs.Locality); err != nil {
		return fireTarget{}, err
	}
	return t, nil
}

func (s *server) renderFire(c echo.Context, status int, t fireTarget, version string, in formInput) error {
	title := actionTitle(t.Action)
	v := formPageView{
		Page:    s.page(c, title+" · "+t.Case.HouseholdName),
		Heading: title,
		Facts: []fact{
			{Label: "农户", Value: t.Case.HouseholdName},
			{Label: "当前环节", Value: t.Case.StateTitle},
		},
		Action:  fireURL(t.Case.ID, t.Action.Trigger),
		Version: version,
		HasForm: t.Form != nil,
		Form:    s.drawForm(t.Form, in),
		Submit:  "提交",
		Cancel:  caseURL(t.Case.ID),
	}
	if t.Form != nil {
		v.Facts = append(v.Facts, fact{Label: "表单", Value: t.Form.Title})
	}
	return render(c, status, formPage(v))
}
