package ui

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

type publishResponse struct {
	Kind    string `json:"kind"`
	ID      string `json:"id"`
	Version int    `json:"version"`
}

// apiDefinitionPublish publishes a new version of a definition from its
// YAML text, whatever the content type; problems come back with their
// line and path.
func (s *server) apiDefinitionPublish(c echo.Context) error {
	src, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return fmt.Errorf("read definition: %w", err)
	}
	if len(src) == 0 {
		return badRequest("请求体须为定义的 YAML 文本")
	}
	info, err := s.svc.PublishDefinition(c.Request().Context(), currentUser(c), src)
	if err != nil {
		return fmt.Errorf("publish definition: %w", err)
	}
	return c.JSON(http.StatusCreated, publishResponse{Kind: info.Kind, ID: info.ID, Version: info.Version})
}
