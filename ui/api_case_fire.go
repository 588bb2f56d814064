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
	cs, err := s.svc.Fire(c.Request().Context(), currentUser(c), id, req.Trigger, req.Data, *req.Version)
	if err != nil {
		return fmt.Errorf("fire %s on case %d: %w", req.Trigger, id, err)
	}
	return c.JSON(http.StatusOK, toCaseJSON(cs))
}
