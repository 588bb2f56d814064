package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

type householdRequest struct {
	HeadName string          `json:"head_name"`
	IDNumber string          `json:"id_number"`
	Locality string          `json:"locality"`
	Members  []memberRequest `json:"members"`
}

type memberRequest struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Relation string `json:"relation"`
	Gender   string `json:"gender"`
	Birth    string `json:"birth"`
}

// apiHouseholdCreate registers a household. The response masks every
// 身份证号 it received.
func (s *server) apiHouseholdCreate(c echo.Context) error {
	var req householdRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	h := workflows.Household{HeadName: req.HeadName, IDNumber: req.IDNumber, Locality: req.Locality}
	for _, m := range req.Members {
		h.Members = append(h.Members, workflows.Member{
			Name: m.Name, IDNumber: m.IDNumber, Relation: m.Relation, Gender: m.Gender, Birth: m.Birth,
		})
	}
	created, err := s.svc.CreateHousehold(c.Request().Context(), currentUser(c), h)
	if err != nil {
		return fmt.Errorf("create household: %w", err)
	}
	return c.JSON(http.StatusCreated, toHouseholdJSON(created, true))
}
