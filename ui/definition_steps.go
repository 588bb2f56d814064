package ui

import (
	"fmt"
	"strings"

	"jianfu/workflows"
)

// A workflow's steps as an administrator reads them on its definition
// page: who acts, in what time, which departments check, and where each
// action leads. The order is the definition's.

type workflowStep struct {
	Title   string
	Facts   []string // 村级办理 · 5个工作日 …
	Actions []string // 提交申请 → 乡镇审核
	// Forms are the forms filled at the step, linked to their pages.
	Forms []formLink
}

type formLink struct{ Title, Href string }

// definitionTitles names definitions by kind and id.
type definitionTitles map[string]map[string]string

func (t definitionTitles) of(kind, id string) string {
	if title := t[kind][id]; title != "" {
		return title
	}
	return id
}

// workflowSteps lists d's steps; titles names the workflow a final step
// hands over to and the forms of each step.
func workflowSteps(d *workflows.Definition, titles definitionTitles) []workflowStep {
	title := func(name string) string {
		if st, ok := d.States[name]; ok && st.Title != "" {
			return st.Title
		}
		return name
	}
	steps := make([]workflowStep, 0, len(d.Order))
	for _, name := range d.Order {
		st := d.States[name]
		if st == nil {
			continue
		}
		step := workflowStep{Title: title(name)}
		switch {
		case st.Final:
			fact := "办结"
			if st.Outcome != "" {
				fact += "：" + st.Outcome
			}
			if st.Then != "" {
				fact += "，转入「" + titles.of("workflow", st.Then) + "」"
			}
			step.Facts = append(step.Facts, fact)
		case st.Role != "":
			step.Facts = append(step.Facts, roleLabel(st.Role)+"办理")
		}
		switch {
		case st.DueWorkingDays > 0:
			step.Facts = append(step.Facts, fmt.Sprintf("限%d个工作日", st.DueWorkingDays))
		case st.DueCalendarDays > 0:
			step.Facts = append(step.Facts, fmt.Sprintf("限%d天", st.DueCalendarDays))
		}
		if st.Hold != nil {
			step.Facts = append(step.Facts, holdFact(d, st.Hold))
		}
		if f := st.Tasks; f != nil {
			deps := make([]string, 0, len(f.Departments)+len(f.Routes))
			for _, dep := range f.Departments {
				deps = append(deps, workflows.DepartmentTitle(dep))
			}
			for _, r := range f.Routes {
				deps = append(deps, workflows.DepartmentTitle(r.Department)+"（视情况）")
			}
			fact := "部门核查：" + strings.Join(deps, "、")
			if f.DueWorkingDays > 0 {
				fact += fmt.Sprintf("，限%d个工作日", f.DueWorkingDays)
			}
			step.Facts = append(step.Facts, fact)
		}
		if st.Recurring != nil {
			step.Facts = append(step.Facts, "定期生成任务")
		}
		seen := map[string]bool{}
		addForm := func(id string) {
			if id != "" && !seen[id] {
				seen[id] = true
				step.Forms = append(step.Forms, formLink{Title: titles.of("form", id), Href: definitionHref("form", id, 0)})
			}
		}
		addForm(st.Form)
		for _, t := range st.Triggers {
			label := t.Title
			if label == "" {
				label = t.Name
			}
			step.Actions = append(step.Actions, label+" → "+title(t.To))
			addForm(t.Form)
		}
		if st.Tasks != nil {
			addForm(st.Tasks.Form)
		}
		if st.Recurring != nil {
			addForm(st.Recurring.Form)
		}
		steps = append(steps, step)
	}
	return steps
}

// holdFact tells how long a step holds: its days when they are a number
// or one of the definition's params (notice_days: 5), as most are.
func holdFact(d *workflows.Definition, h *workflows.Hold) string {
	expr, unit := h.WorkingDays, "个工作日"
	if expr == "" {
		expr, unit = h.CalendarDays, "天"
	}
	days := strings.TrimSpace(expr)
	if name, ok := strings.CutPrefix(days, "params."); ok {
		if v, ok := d.Params[name]; ok {
			days = fmt.Sprint(v)
		}
	}
	for _, r := range days {
		if r < '0' || r > '9' {
			return "公示期满方可办理"
		}
	}
	if days == "" {
		return "公示期满方可办理"
	}
	return "公示期" + days + unit + "，期满方可办理"
}
