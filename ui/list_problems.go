package ui

import (
	"errors"
	"fmt"
	"iter"

	"github.com/labstack/echo/v4"

	"jianfu/forms/sheets"
	"jianfu/workflows"
)

// skipPrefix starts the reason of a row left out on purpose (already
// imported this period, a check already open), so that the sheet tells
// them from the rows in error.
const skipPrefix = "跳过："

// errStopped ends ListProblems early when the download stops reading.
var errStopped = errors.New("stopped reading problems")

// listProblems downloads the rows of an import that started no case: the
// uploader's own cells, then 行号 and 错误原因. The rows are streamed from
// the service as the workbook is written; a list of 10^5 bad rows is never
// held in memory.
func (s *server) listProblems(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), currentUser(c)
	imp, err := s.svc.ListImport(ctx, actor, id)
	if err != nil {
		return withBack(fmt.Errorf("load list import %d: %w", id, err), "/lists")
	}
	var readErr error
	problems := func(yield func(workflows.ListProblem) bool) {
		readErr = s.svc.ListProblems(ctx, actor, id, func(p workflows.ListProblem) error {
			if !yield(p) {
				return errStopped
			}
			return nil
		})
	}
	next, stop := iter.Pull(problems)
	defer stop()
	width := len(imp.Header)
	rows := func() ([]string, bool) {
		p, ok := next()
		if !ok {
			return nil, false
		}
		return sheets.ErrorRow(sheets.Row{Line: p.Line, Cells: p.Cells}, width, problemReason(p)), true
	}
	failed := func() error {
		if readErr != nil && !errors.Is(readErr, errStopped) {
			return fmt.Errorf("read problems of list import %d: %w", id, readErr)
		}
		return nil
	}
	file := fmt.Sprintf("%s-%s-问题行.xlsx", imp.Title, imp.Period)
	return writeSheetDownload(c, file, "问题行", sheets.ErrorHeader(imp.Header), rows, failed)
}

// problemReason is the 错误原因 cell of a row.
func problemReason(p workflows.ListProblem) string {
	if p.Kind == workflows.ProblemSkip {
		return skipPrefix + p.Message
	}
	return p.Message
}
