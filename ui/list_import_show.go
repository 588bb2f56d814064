package ui

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

// listRefreshSeconds is how often a running import's page reloads itself:
// the progress bar moves without any script.
const listRefreshSeconds = 2

// listImportView is the progress and outcome of one upload. It reloads
// itself while the import runs; it shows counts, never a 身份证号.
type listImportView struct {
	Page       page
	Title      string
	Department string
	FileName   string
	Period     string
	Created    string
	Finished   string
	Status     importStatus
	Running    bool
	Message    string
	Percent    int
	Processed  int
	Total      int
	Started    int
	Duplicates int
	OpenCases  int
	Problems   int
	// ProblemsHref downloads the rows that started nothing; "" while
	// running or when every row started a case.
	ProblemsHref string
	// Errors are the first rows in error with their reasons, so a liaison
	// on a phone sees what to correct without opening the spreadsheet.
	Errors []listErrorLine
}

// listErrorLine is one row in error on the import page.
type listErrorLine struct {
	Line   int
	Reason string
}

// listErrorsShown is how many rows in error the import page lists.
const listErrorsShown = 10

// errEnoughErrors stops reading problems once the page has its rows.
var errEnoughErrors = errors.New("enough rows in error")

// listErrors reads the first rows in error of an import (skipped rows are
// not errors: they are in the spreadsheet).
func (s *server) listErrors(c echo.Context, id int) ([]listErrorLine, error) {
	var out []listErrorLine
	err := s.svc.ListProblems(c.Request().Context(), currentUser(c), id, func(p workflows.ListProblem) error {
		if p.Kind != workflows.ProblemError {
			return nil
		}
		out = append(out, listErrorLine{Line: p.Line, Reason: maskIDsIn(p.Message)})
		if len(out) == listErrorsShown {
			return errEnoughErrors
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnoughErrors) {
		return nil, err
	}
	return out, nil
}

// listImportShow renders an import's page.
func (s *server) listImportShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	imp, err := s.svc.ListImport(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return withBack(fmt.Errorf("load list import %d: %w", id, err), "/lists")
	}
	v := listImportView{
		Page:       s.page(c, "名单导入"),
		Title:      imp.Title,
		Department: departmentLabel(imp.Department),
		FileName:   maskIDsIn(imp.FileName),
		Period:     imp.Period,
		Created:    s.dateTime(imp.CreatedAt),
		Status:     statusOfImport(imp.Status),
		Running:    imp.Status == workflows.ImportRunning,
		Message:    imp.Message,
		Percent:    imp.Percent(),
		Processed:  imp.Processed,
		Total:      imp.Total,
		Started:    imp.Started,
		Duplicates: imp.Duplicates,
		OpenCases:  imp.OpenCases,
		Problems:   imp.Problems,
	}
	if v.Running {
		v.Page.Refresh = listRefreshSeconds
	} else {
		v.Finished = s.dateTime(imp.FinishedAt)
		if imp.Problems+imp.Duplicates+imp.OpenCases > 0 {
			v.ProblemsHref = listProblemsURL(imp.ID)
		}
		if imp.Problems > 0 {
			if v.Errors, err = s.listErrors(c, imp.ID); err != nil {
				return withBack(fmt.Errorf("rows in error of list import %d: %w", id, err), "/lists")
			}
		}
	}
	return render(c, http.StatusOK, listImportPage(v))
}
