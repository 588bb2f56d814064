package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// householdShowView is the household's own screen, the one place where its
// members' full 身份证号 are shown.
// startWorkflow is what a household page starts: 识别纳入, the way in.
const startWorkflow = "identification"

type householdShowView struct {
	Page     page
	ID       int
	HeadName string
	IDNumber string
	// Place names the household's village as placeNames.of reads it.
	Place   string
	Members []memberRow
	Cases   []caseRow
	// StartURL starts 识别纳入 when the user may ("" otherwise); OpenHref
	// and OpenTitle link its open case instead of offering a second.
	StartURL  string
	OpenHref  string
	OpenTitle string
}

type memberRow struct {
	Name     string
	IDNumber string
	Relation string
	Gender   string
	Birth    string
}

type caseRow struct {
	Href    string
	Title   string
	State   string
	Created string
	Final   bool
}

// householdShow renders one household with its members and cases.
func (s *server) householdShow(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, user := c.Request().Context(), currentUser(c)
	h, err := s.svc.Household(ctx, user, id)
	if err != nil {
		return fmt.Errorf("load household %d: %w", id, err)
	}
	cases, err := s.svc.Cases(ctx, user, id)
	if err != nil {
		return fmt.Errorf("list cases of household %d: %w", id, err)
	}
	places, err := s.placeNames(ctx, user)
	if err != nil {
		return err
	}
	start, err := s.svc.StartCheck(ctx, user, startWorkflow, id)
	if err != nil {
		return fmt.Errorf("may %s start %s for household %d: %w", user.Username, startWorkflow, id, err)
	}
	v := householdShowView{
		Page:     s.page(c, "农户 "+h.HeadName),
		ID:       h.ID,
		HeadName: h.HeadName,
		IDNumber: h.IDNumber,
		Place:    places.of(h.Locality, user.Locality),
	}
	switch {
	case start.Allowed:
		v.StartURL = householdURL(h.ID) + "/cases"
	case start.OpenCaseID != 0:
		v.OpenHref, v.OpenTitle = caseURL(start.OpenCaseID), start.Title
	}
	for _, m := range h.Members {
		v.Members = append(v.Members, memberRow{Name: m.Name, IDNumber: m.IDNumber, Relation: m.Relation, Gender: m.Gender, Birth: m.Birth})
	}
	for _, cs := range cases {
		title := cs.WorkflowTitle
		if title == "" {
			title = cs.Workflow
		}
		v.Cases = append(v.Cases, caseRow{
			Href: caseURL(cs.ID), Title: title, State: cs.StateTitle,
			Created: s.date(cs.CreatedAt), Final: cs.Final,
		})
	}
	return render(c, http.StatusOK, householdShowPage(v))
}
