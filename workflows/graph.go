package workflows

import (
	"fmt"
	"strconv"
	"strings"

	"jianfu/forms"
)

// DOT renders the definition as a Graphviz digraph: one box per state
// (title, acting role, hold and department tasks), final states as double
// octagons labelled with their outcome, one edge per trigger labelled with
// its title and guard. The output is deterministic: states in source order.
func (d *Definition) DOT() string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(d.ID))
	fmt.Fprintf(&b, "\tlabel=%s;\n\tlabelloc=t;\n", dotQuote(d.Title))
	b.WriteString("\tnode [shape=box, style=rounded];\n")
	b.WriteString("\t\"\" [shape=point];\n")
	fmt.Fprintf(&b, "\t\"\" -> %s;\n", dotQuote(d.Start))
	for _, name := range d.Order {
		st := d.States[name]
		if st.Final {
			fmt.Fprintf(&b, "\t%s [label=%s, shape=doubleoctagon];\n", dotQuote(name), dotQuote(st.Title+"\n"+st.Outcome))
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
	if f := st.Tasks; f != nil {
		deps := make([]string, len(f.Departments))
		for i, dep := range f.Departments {
			deps[i] = DepartmentTitle(dep)
		}
		lines = append(lines, "部门："+strings.Join(deps, "、"))
	}
	return strings.Join(lines, "\n")
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
