package ui

import (
	"time"

	"jianfu/workflows"
)

// The JSON shapes of the API (documented in docs/api.md). Lists carry only
// masked 身份证号; times are RFC 3339 strings.

type userJSON struct {
	Username   string `json:"username"`
	Name       string `json:"name"`
	Role       string `json:"role"`
	Locality   string `json:"locality"`
	Department string `json:"department"`
}

type householdJSON struct {
	ID             int          `json:"id"`
	HeadName       string       `json:"head_name"`
	IDNumberMasked string       `json:"id_number_masked"`
	Locality       string       `json:"locality"`
	Members        []memberJSON `json:"members,omitempty"`
}

type memberJSON struct {
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	Relation       string `json:"relation"`
	Gender         string `json:"gender,omitempty"`
	Birth          string `json:"birth,omitempty"`
}

type caseJSON struct {
	ID              int               `json:"id"`
	Workflow        string            `json:"workflow"`
	WorkflowVersion int               `json:"workflow_version"`
	WorkflowTitle   string            `json:"workflow_title"`
	State           string            `json:"state"`
	StateTitle      string            `json:"state_title"`
	HouseholdID     int               `json:"household_id"`
	HouseholdName   string            `json:"household_name"`
	Locality        string            `json:"locality"`
	Version         int               `json:"version"`
	Final           bool              `json:"final"`
	Classification  string            `json:"classification"`
	EnteredAt       string            `json:"entered_at,omitempty"`
	CreatedAt       string            `json:"created_at,omitempty"`
	Actions         []string          `json:"actions"`
	ActionForms     map[string]string `json:"action_forms"`
	BlockedActions  []blockedJSON     `json:"blocked_actions"`
	Tasks           []taskJSON        `json:"tasks"`
	History         []eventJSON       `json:"history"`
}

// blockedJSON is an action the caller may take once a hold is over or the
// departments' checks are in.
type blockedJSON struct {
	Trigger string `json:"trigger"`
	Title   string `json:"title"`
	Reason  string `json:"reason"`
}

type taskJSON struct {
	ID            int    `json:"id"`
	CaseID        int    `json:"case_id"`
	Workflow      string `json:"workflow"`
	WorkflowTitle string `json:"workflow_title"`
	State         string `json:"state"`
	StateTitle    string `json:"state_title"`
	Role          string `json:"role"`
	Department    string `json:"department"`
	Form          string `json:"form"`
	Due           string `json:"due,omitempty"`
	Status        string `json:"status"`
	Locality      string `json:"locality"`
	Household     string `json:"household"`
	CompletedBy   string `json:"completed_by,omitempty"`
	CompletedAt   string `json:"completed_at,omitempty"`
	Recurring     bool   `json:"recurring"`
	EscalatedTo   string `json:"escalated_to"`
	Warnings      int    `json:"warnings"`
}

type eventJSON struct {
	At           string `json:"at"`
	Actor        string `json:"actor"`
	Role         string `json:"role"`
	Trigger      string `json:"trigger"`
	From         string `json:"from"`
	To           string `json:"to"`
	Reason       string `json:"reason,omitempty"`
	ActorName    string `json:"actor_name"`
	TriggerTitle string `json:"trigger_title"`
	FromTitle    string `json:"from_title"`
	ToTitle      string `json:"to_title"`
}

type definitionJSON struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Version   int    `json:"version"`
	Title     string `json:"title"`
	Published bool   `json:"published"`
	CreatedAt string `json:"created_at,omitempty"`
}

// listJSON wraps every list so it can grow paging fields later.
type listJSON[T any] struct {
	Items []T `json:"items"`
}

// rfc3339 formats a time for JSON; the zero time is "" (and omitted).
// chinaTime is the zone pages and the API show times in (never changed):
// China Standard Time, fixed, because the deadlines are computed in it.
var chinaTime = time.FixedZone("CST", 8*60*60)

// rfc3339 writes a time for the API in China time, whatever zone the store
// read it in (SQLite and PostgreSQL's default session answer UTC).
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format(time.RFC3339)
}

func toUserJSON(u workflows.User) userJSON {
	return userJSON{Username: u.Username, Name: u.Name, Role: u.Role, Locality: u.Locality, Department: u.Department}
}

// toHouseholdJSON never carries a full 身份证号, not even of the members.
func toHouseholdJSON(h workflows.Household, withMembers bool) householdJSON {
	out := householdJSON{
		ID:             h.ID,
		HeadName:       h.HeadName,
		IDNumberMasked: maskedID(h.IDNumber, h.IDNumberMasked),
		Locality:       h.Locality,
	}
	if !withMembers {
		return out
	}
	out.Members = make([]memberJSON, 0, len(h.Members))
	for _, m := range h.Members {
		out.Members = append(out.Members, memberJSON{
			Name:           m.Name,
			IDNumberMasked: maskedID(m.IDNumber, ""),
			Relation:       m.Relation,
			Gender:         m.Gender,
			Birth:          m.Birth,
		})
	}
	return out
}

func toCaseJSON(cs workflows.Case) caseJSON {
	out := caseJSON{
		ID:              cs.ID,
		Workflow:        cs.Workflow,
		WorkflowVersion: cs.WorkflowVersion,
		WorkflowTitle:   cs.WorkflowTitle,
		State:           cs.State,
		StateTitle:      cs.StateTitle,
		HouseholdID:     cs.HouseholdID,
		HouseholdName:   cs.HouseholdName,
		Locality:        cs.Locality,
		Version:         cs.Version,
		Final:           cs.Final,
		Classification:  cs.Classification,
		EnteredAt:       rfc3339(cs.EnteredAt),
		CreatedAt:       rfc3339(cs.CreatedAt),
		Actions:         make([]string, 0, len(cs.Actions)),
		ActionForms:     make(map[string]string, len(cs.Actions)),
		BlockedActions:  make([]blockedJSON, 0, len(cs.Blocked)),
		Tasks:           make([]taskJSON, 0, len(cs.Tasks)),
		History:         make([]eventJSON, 0, len(cs.History)),
	}
	for _, a := range cs.Actions {
		out.Actions = append(out.Actions, a.Trigger)
		if a.Form != "" {
			out.ActionForms[a.Trigger] = a.Form
		}
	}
	for _, b := range cs.Blocked {
		out.BlockedActions = append(out.BlockedActions, blockedJSON{Trigger: b.Trigger, Title: b.Title, Reason: b.Reason})
	}
	for _, t := range cs.Tasks {
		out.Tasks = append(out.Tasks, toTaskJSON(t))
	}
	for _, e := range cs.History {
		out.History = append(out.History, eventJSON{
			At: rfc3339(e.At), Actor: e.Actor, Role: e.Role,
			Trigger: e.Trigger, From: e.From, To: e.To, Reason: e.Reason,
			ActorName: e.ActorName, TriggerTitle: e.TriggerTitle, FromTitle: e.FromTitle, ToTitle: e.ToTitle,
		})
	}
	return out
}

func toTaskJSON(t workflows.Task) taskJSON {
	return taskJSON{
		ID:            t.ID,
		CaseID:        t.CaseID,
		Workflow:      t.Workflow,
		WorkflowTitle: t.WorkflowTitle,
		State:         t.State,
		StateTitle:    t.StateTitle,
		Role:          t.Role,
		Department:    t.Department,
		Form:          t.Form,
		Due:           rfc3339(t.Due),
		Status:        t.Status,
		Locality:      t.Locality,
		Household:     t.Household,
		CompletedBy:   t.CompletedBy,
		CompletedAt:   rfc3339(t.CompletedAt),
		Recurring:     t.Recurring,
		EscalatedTo:   t.EscalatedTo,
		Warnings:      t.Warnings,
	}
}

func toDefinitionJSON(d workflows.DefinitionInfo) definitionJSON {
	return definitionJSON{
		Kind: d.Kind, ID: d.ID, Version: d.Version, Title: d.Title,
		Published: d.Published, CreatedAt: rfc3339(d.CreatedAt),
	}
}

// screeningListJSON is a list the caller may upload, with the columns of
// its form.
type screeningListJSON struct {
	Workflow        string           `json:"workflow"`
	WorkflowTitle   string           `json:"workflow_title"`
	Department      string           `json:"department"`
	DepartmentTitle string           `json:"department_title"`
	Title           string           `json:"title"`
	Form            string           `json:"form"`
	Columns         []listColumnJSON `json:"columns"`
}

type listColumnJSON struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// listImportJSON is an upload and its progress; it carries counts, never
// a 身份证号.
type listImportJSON struct {
	ID         int    `json:"id"`
	Workflow   string `json:"workflow"`
	Department string `json:"department"`
	Title      string `json:"title"`
	Period     string `json:"period"`
	FileName   string `json:"file_name"`
	Status     string `json:"status"`
	Message    string `json:"message,omitempty"`
	Total      int    `json:"total"`
	Processed  int    `json:"processed"`
	Started    int    `json:"started"`
	Duplicates int    `json:"duplicates"`
	OpenCases  int    `json:"open_cases"`
	Problems   int    `json:"problems"`
	Percent    int    `json:"percent"`
	CreatedBy  string `json:"created_by"`
	CreatedAt  string `json:"created_at,omitempty"`
	FinishedAt string `json:"finished_at,omitempty"`
}

func toScreeningListJSON(l workflows.ListInfo) screeningListJSON {
	out := screeningListJSON{
		Workflow:        l.Workflow,
		WorkflowTitle:   l.WorkflowTitle,
		Department:      l.Department,
		DepartmentTitle: departmentLabel(l.Department),
		Title:           l.Title,
		Form:            l.Form,
		Columns:         make([]listColumnJSON, 0, len(l.Columns)),
	}
	for _, c := range l.Columns {
		out.Columns = append(out.Columns, listColumnJSON{Name: c.Name, Label: c.Label, Required: c.Required})
	}
	return out
}

func toListImportJSON(imp workflows.ListImport) listImportJSON {
	return listImportJSON{
		ID:         imp.ID,
		Workflow:   imp.Workflow,
		Department: imp.Department,
		Title:      imp.Title,
		Period:     imp.Period,
		FileName:   maskIDsIn(imp.FileName),
		Status:     imp.Status,
		Message:    imp.Message,
		Total:      imp.Total,
		Processed:  imp.Processed,
		Started:    imp.Started,
		Duplicates: imp.Duplicates,
		OpenCases:  imp.OpenCases,
		Problems:   imp.Problems,
		Percent:    imp.Percent(),
		CreatedBy:  imp.CreatedBy,
		CreatedAt:  rfc3339(imp.CreatedAt),
		FinishedAt: rfc3339(imp.FinishedAt),
	}
}
