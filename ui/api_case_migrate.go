package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

type caseMigrateRequest struct {
	Workflow    string `json:"workflow"`
	FromVersion int    `json:"from_version"`
	ToVersion   int    `json:"to_version"`
	CaseIDs     []int  `json:"case_ids"`
	DryRun      bool   `json:"dry_run"`
}

type caseMigrationJSON struct {
	CaseID      int    `json:"case_id"`
	FromVersion int    `json:"from_version"`
	State       string `json:"state"`
	Mappable    bool   `json:"mappable"`
	Migrated    bool   `json:"migrated"`
	Reason      string `json:"reason,omitempty"`
}

type migrationReportJSON struct {
	Workflow  string              `json:"workflow"`
	ToVersion int                 `json:"to_version"`
	DryRun    bool                `json:"dry_run"`
	Cases     []caseMigrationJSON `json:"cases"`
}

// apiCaseMigrate moves chosen cases to a newer version of their workflow
// (administrators only), or with dry_run lists which cases would move and
// why the others cannot.
func (s *server) apiCaseMigrate(c echo.Context) error {
	var req caseMigrateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	rep, err := s.svc.MigrateCases(c.Request().Context(), currentUser(c), workflows.Migration{
		Workflow: req.Workflow, FromVersion: req.FromVersion, ToVersion: req.ToVersion,
		CaseIDs: req.CaseIDs, DryRun: req.DryRun})
	if err != nil {
		return fmt.Errorf("migrate cases of %s to v%d: %w", req.Workflow, req.ToVersion, err)
	}
	out := migrationReportJSON{Workflow: rep.Workflow, ToVersion: rep.ToVersion, DryRun: rep.DryRun,
		Cases: make([]caseMigrationJSON, len(rep.Cases))}
	for i, l := range rep.Cases {
		out.Cases[i] = caseMigrationJSON{CaseID: l.CaseID, FromVersion: l.FromVersion, State: l.State,
			Mappable: l.Mappable, Migrated: l.Migrated, Reason: l.Reason}
	}
	return c.JSON(http.StatusOK, out)
}
