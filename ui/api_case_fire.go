package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

type fireRequest struct {
	Trigger string         `json:"trigger"`
	Data    map[string]any `json:"data"`
	// Version is the case version the client last saw; required, so a
	// client cannot skip the stale-page check by leaving it out.
	Version *int `json:"version"`
}

// apiCaseFire fires a trigger with the data of its form.
func (s *server) apiCaseFire(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req fireRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Trigger == "" || req.Version == nil {
		return badRequest("请求须包含 trigger 和 version")
	}
	if req.Data == nil {
		req.Data = map[string]any{}
	}
	ctx, user := c.Request().Context(), currentUser(c)
	fired, err := s.svc.Fire(ctx, user, id, req.Trigger, req.Data, *req.Version)
	if err != nil {
		return fmt.Errorf("fire %s on case %d: %w", req.Trigger, id, err)
	}
	// The action is committed; the case page is read after it, as a GET
	// would. Should that read fail, the client still learns the outcome
	// rather than an error that suggests nothing happened.
	cs, err := s.svc.Case(ctx, user, id)
	if err != nil {
		s.log.ErrorContext(ctx, "read case after fire", "case", id, "trigger", req.Trigger, "err", err)
		return c.JSON(http.StatusOK, caseJSON{ID: fired.CaseID, State: fired.To, Version: fired.Version,
			Final: fired.Final, Actions: []string{}, ActionForms: map[string]string{}, Tasks: []taskJSON{}, History: []eventJSON{}})
	}
	return c.JSON(http.StatusOK, toCaseJSON(cs))
}
