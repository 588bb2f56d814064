package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

type caseCreateRequest struct {
	Workflow    string `json:"workflow"`
	HouseholdID int    `json:"household_id"`
}

// apiCaseCreate starts the newest published version of a workflow for a
// household.
func (s *server) apiCaseCreate(c echo.Context) error {
	var req caseCreateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cs, err := s.svc.StartCase(c.Request().Context(), currentUser(c), req.Workflow, req.HouseholdID)
	if err != nil {
		return fmt.Errorf("start %s for household %d: %w", req.Workflow, req.HouseholdID, err)
	}
	return c.JSON(http.StatusCreated, toCaseJSON(cs))
}
