package ui

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// definitionSourceJSON is one stored version with its text.
type definitionSourceJSON struct {
	definitionJSON
	CreatedBy string `json:"created_by"`
	Source    string `json:"source"`
}

// apiDefinitionShow answers one stored version of a definition with its
// YAML text (?version=N; the newest without it). Administrators only.
func (s *server) apiDefinitionShow(c echo.Context) error {
	version, err := positive(c.QueryParam("version"))
	if err != nil {
		return err
	}
	d, err := s.svc.DefinitionSource(c.Request().Context(), currentUser(c), c.Param("kind"), c.Param("id"), version)
	if err != nil {
		return fmt.Errorf("load definition: %w", err)
	}
	return c.JSON(http.StatusOK, definitionSourceJSON{definitionJSON: toDefinitionJSON(d.DefinitionInfo),
		CreatedBy: d.CreatedBy, Source: d.Source})
}

// definitionCheckJSON is what a definition text would publish.
type definitionCheckJSON struct {
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Title string `json:"title"`
}

// apiDefinitionCheck lints a definition text as publishing does and
// stores nothing: 200 with what it would publish, or 422 with every
// problem.
func (s *server) apiDefinitionCheck(c echo.Context) error {
	src, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return fmt.Errorf("read definition: %w", err)
	}
	if len(src) == 0 {
		return badRequest("请求体须为定义的 YAML 文本")
	}
	out, err := s.svc.CheckDefinition(c.Request().Context(), currentUser(c), src)
	if err != nil {
		return fmt.Errorf("check definition: %w", err)
	}
	return c.JSON(http.StatusOK, definitionCheckJSON{Kind: out.Kind, ID: out.ID, Title: out.Title})
}
