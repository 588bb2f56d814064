package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// caseStart starts a workflow (the form's "workflow" field, 识别纳入 by
// default) for a household and opens the new case.
func (s *server) caseStart(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	workflow := c.FormValue("workflow")
	if workflow == "" {
		workflow = "identification"
	}
	cs, err := s.svc.StartCase(c.Request().Context(), currentUser(c), workflow, id)
	if err != nil {
		return withBack(fmt.Errorf("start %s for household %d: %w", workflow, id, err), householdURL(id))
	}
	setFlash(c, flashCaseStarted)
	return c.Redirect(http.StatusSeeOther, caseURL(cs.ID))
}
