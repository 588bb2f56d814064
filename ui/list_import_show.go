package ui

import (
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
	}
	return render(c, http.StatusOK, listImportPage(v))
}
