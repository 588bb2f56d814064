package ui

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

// listTemplate downloads the empty list of a workflow: one header row of
// the column labels, which the upload maps back onto the form's fields.
func (s *server) listTemplate(c echo.Context) error {
	l, err := s.uploadableList(c, c.Param("workflow"))
	if err != nil {
		return withBack(err, "/lists")
	}
	header := make([]string, len(l.Columns))
	for i, col := range l.Columns {
		header[i] = col.Label
	}
	none := func() ([]string, bool) { return nil, false }
	return writeSheetDownload(c, l.Title+"-模板.xlsx", "名单", header, none, nil)
}

// uploadableList returns the list of workflow the user may upload.
// Returns NotFound when there is none.
func (s *server) uploadableList(c echo.Context, workflow string) (workflows.ListInfo, error) {
	lists, err := s.svc.Lists(c.Request().Context(), currentUser(c))
	if err != nil {
		return workflows.ListInfo{}, fmt.Errorf("list screening lists: %w", err)
	}
	for _, l := range lists {
		if l.Workflow == workflow {
			return l, nil
		}
	}
	return workflows.ListInfo{}, workflows.Errorf(workflows.NotFound, "没有您可以导入的这份名单")
}
