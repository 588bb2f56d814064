package workflows

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"jianfu/forms"
)

// DOT renders the definition as a Graphviz digraph: one box per state
// (title, acting role, hold, time limit, recurring work and department
// tasks), final states as double octagons labelled with their outcome, one
// edge per trigger labelled with its title and guard, a dashed edge where an
// optional state is skipped, and a note for the workflow a final state hands
// over to. The output is deterministic: states in source order.
func (d *Definition) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(d.ID))
	title := d.Title
	if l := d.Deadline; l != nil {
		title += "（全程时限 " + limitLabel(*l) + "）"
	}
	fmt.Fprintf(&b, "\tlabel=%s;\n\tlabelloc=t;\n", dotQuote(title))
	b.WriteString("\tnode [shape=box, style=rounded];\n")
	b.WriteString("\t\"\" [shape=point];\n")
	fmt.Fprintf(&b, "\t\"\" -> %s;\n", dotQuote(d.Start))
	for _, name := range d.Order {
		st := d.States[name]
		if st.Final {
			fmt.Fprintf(&b, "\t%s [label=%s, shape=doubleoctagon];\n", dotQuote(name), dotQuote(st.Title+"\n"+st.Outcome))
			if st.Then != "" {
				next := "then:" + st.Then
				fmt.Fprintf(&b, "\t%s [label=%s, shape=note];\n", dotQuote(next), dotQuote("启动流程 "+st.Then))
				fmt.Fprintf(&b, "\t%s -> %s [style=dashed];\n", dotQuote(name), dotQuote(next))
			}
			continue
		}
		fmt.Fprintf(&b, "\t%s [label=%s];\n", dotQuote(name), dotQuote(stateLabel(st, d.Params)))
	}
	for _, name := range d.Order {
		for _, t := range d.States[name].Triggers {
			label := t.Title
			if t.When != "" {
				label += "\n[" + t.When + "]"
			}
			fmt.Fprintf(&b, "\t%s -> %s [label=%s];\n", dotQuote(name), dotQuote(t.To), dotQuote(label))
		}
		if sk := d.States[name].Skip; sk != nil {
			fmt.Fprintf(&b, "\t%s -> %s [label=%s, style=dashed];\n", dotQuote(name), dotQuote(sk.To), dotQuote("跳过\n["+sk.When+"]"))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// holdLabel shows a hold's length, computed with params when the
// definition is compiled, else as written.
func holdLabel(h *Hold, params forms.Params) string {
	days, unit := h.WorkingDays, "个工作日"
	if days == "" {
		days, unit = h.CalendarDays, "天"
	}
	if h.days != nil {
		if n, err := runDays(h.days, params); err == nil {
			days = strconv.Itoa(n)
		}
	}
	return "至少停留 " + days + " " + unit
}

func stateLabel(st *State, params forms.Params) string {
	lines := []string{st.Title, RoleTitle(st.Role)}
	if h := st.Hold; h != nil {
		lines = append(lines, holdLabel(h, params))
	}
	if st.DueWorkingDays > 0 || st.DueCalendarDays > 0 {
		lines = append(lines, "时限 "+limitLabel(Limit{WorkingDays: st.DueWorkingDays, CalendarDays: st.DueCalendarDays}))
	}
	if r := st.Recurring; r != nil {
		every := "每月"
		if r.Every == EveryQuarter {
			every = "每季度"
		}
		lines = append(lines, every+"："+cmp.Or(r.Title, r.Form))
	}
	if f := st.Tasks; f != nil {
		deps := make([]string, 0, len(f.Departments)+len(f.Routes))
		for _, dep := range f.Departments {
			deps = append(deps, DepartmentTitle(dep))
		}
		for _, r := range f.Routes {
			deps = append(deps, DepartmentTitle(r.Department)+"（按条件）")
		}
		lines = append(lines, "部门："+strings.Join(deps, "、"))
	}
	return strings.Join(lines, "\n")
}

func limitLabel(l Limit) string {
	if l.WorkingDays > 0 {
		return strconv.Itoa(l.WorkingDays) + " 个工作日"
	}
	return strconv.Itoa(l.CalendarDays) + " 天"
}

// RoleTitle names an acting role in Chinese; an unknown role is returned as
// it is.
func RoleTitle(role string) string {
	switch role {
	case "village":
		return "村级"
	case "township":
		return "乡镇"
	case "county":
		return "县级"
	case RoleLiaison:
		return "部门联络员"
	default:
		return role
	}
}

// dotQuote quotes s as a DOT string; a newline becomes DOT's centred line
// break.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}
