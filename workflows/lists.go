package workflows

import (
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"jianfu/forms"
)

// TriggerImportList is the action of a department liaison who uploads a
// screening list (部门预警推送) that starts cases of a workflow.
const TriggerImportList = "import_list"

// TriggerHandOverSkipped marks, in a case's history, a hand-over (then:)
// that started nothing because the household is already on that road.
const TriggerHandOverSkipped = "handover_skipped"

// TriggerListWarning marks, in a case's history, a row of a screening list
// whose household the case already covers: the row is recorded on the case
// instead of starting another.
const TriggerListWarning = "list_warning"

// DefaultListMatch is the field of a list's form that holds the 身份证号
// matched against the household registry when a list does not name one.
const DefaultListMatch = "id_number"

// List lets a county department start cases with a screening list: every
// row is a submission of Form, matched to a household by the 身份证号 in
// field Match (the head's or any member's), and starts one case. Lists are
// keyed by department in the definition:
//
//	lists:
//	  medical_insurance: {form: warning_medical, title: 医保大额医疗费用预警}
type List struct {
	Department string
	Form       string
	Title      string // shown to the liaison; the form's title when empty
	Match      string // field with the 身份证号; DefaultListMatch when empty
	Line       int
}

// List returns the definition's list for a department, or nil.
func (d *Definition) List(department string) *List {
	for _, l := range d.Lists {
		if l.Department == department {
			return l
		}
	}
	return nil
}

// MatchField is the field of the list's form that holds the 身份证号.
func (l *List) MatchField() string {
	if l.Match == "" {
		return DefaultListMatch
	}
	return l.Match
}

// StartFromList begins a case for a household named on a department's
// screening list. The actor must be allowed to import that department's
// list for the household's locality; the row itself is validated by the
// caller, since it is a submission of the list's form, not of a state's.
func (e *Engine) StartFromList(s Snapshot, actor User, department string, now time.Time) (*Transition, error) {
	def := s.Definition
	if err := ready(def); err != nil {
		return nil, err
	}
	if def.List(department) == nil {
		return nil, Errorf(Invalid, "流程“%s”不接收%s的名单", def.Title, DepartmentTitle(department))
	}
	if !e.Auth.MayImportList(actor.Username, def.ID, department, s.Locality) {
		return nil, errForbidden()
	}
	return e.begin(s, now)
}

// lists reads `lists:`, a mapping from department to its list.
func (p *parser) lists(n *yaml.Node, path string) []*List {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	out := make([]*List, 0, len(entries))
	for _, e := range entries {
		at := join(path, e.key)
		if !validName(e.key) {
			p.add(e.keyAt, at, "部门标识 %q 无效：须以小写字母开头，只含小写字母、数字和下划线", e.key)
			continue
		}
		l := &List{Department: e.key, Line: e.keyAt}
		fields, ok := p.mapping(e.value, at)
		if !ok {
			continue
		}
		for _, f := range fields {
			fat := join(at, f.key)
			switch f.key {
			case "form":
				l.Form, _ = p.name(f.value, fat)
			case "title":
				l.Title, _ = p.scalar(f.value, fat)
			case "match":
				l.Match, _ = p.name(f.value, fat)
			default:
				p.unknown(f, at)
			}
		}
		if l.Form == "" && p.lines[join(at, "form")] == 0 {
			p.add(e.keyAt, join(at, "form"), "名单须指定表单 form（每行数据按此表单校验）")
		}
		out = append(out, l)
	}
	return out
}

// lists checks that every list belongs to a known department and names a
// form with a required 身份证号 field at its top level to match rows by.
func (c *compiler) lists() {
	for _, l := range c.d.Lists {
		at := join("lists", l.Department)
		if !c.cat.HasDepartment(l.Department) {
			c.add(at, "未知的部门 %q", l.Department)
		}
		if l.Form == "" {
			continue
		}
		def, ok := c.cat.Form(l.Form)
		if !ok {
			c.add(join(at, "form"), "未知的表单 %q", l.Form)
			continue
		}
		if msg := listMatchProblem(def, l.MatchField()); msg != "" {
			c.add(join(at, "match"), "%s", msg)
		}
	}
}

// listMatchProblem says why field cannot match a list's rows to households,
// or "" when it can.
func listMatchProblem(def *forms.Definition, field string) string {
	for _, f := range def.Fields {
		if f.Name != field {
			continue
		}
		if f.Type != forms.TypeIDCard || !f.Required {
			return fmt.Sprintf("表单 %s 的字段 %s 须为必填的身份证号（type: %s, required: true）",
				def.ID, field, forms.TypeIDCard)
		}
		return ""
	}
	return fmt.Sprintf("表单 %s 没有字段 %s（名单按该字段的身份证号匹配农户）", def.ID, field)
}

// Statuses of a ListImport.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// Kinds of a ListProblem: a row that is wrong, or one left out on purpose.
const (
	ProblemError = "error"
	ProblemSkip  = "skip"
)

// ListInfo is a screening list a liaison may upload: the workflow it starts
// and the columns its form asks for, for the upload page and its template.
type ListInfo struct {
	Workflow      string
	WorkflowTitle string
	Department    string
	Title         string
	Form          string
	Columns       []ListColumn
}

// ListColumn is one column of a list's template.
type ListColumn struct {
	Name, Label string
	Required    bool
}

// ListUpload is one file of a department's screening list. Period (2026-11)
// makes uploads idempotent: a 身份证号 already imported for the department
// and period starts nothing the second time.
type ListUpload struct {
	Workflow string
	Period   string
	FileName string
	Content  []byte
}

// ListImport is an upload and how far its processing got.
type ListImport struct {
	ID         int
	Department string
	Workflow   string
	Form       string
	Title      string
	Period     string
	FileName   string
	Status     string // ImportRunning, ImportDone, ImportFailed
	Message    string // why it failed, for the uploader
	Header     []string
	Total      int // rows of the file, known when done
	Processed  int
	// PercentDone is how far through the file processing is, 0–100, as
	// stored after each batch (Percent is what to show).
	PercentDone     int
	Started         int // cases started
	Duplicates      int // already imported for this period
	OpenCases       int // the household's check is still open
	Problems        int // rows in error
	CreatedBy       string
	CreatedAt       time.Time
	FinishedAt      time.Time // zero while running
	DepartmentTitle string
}

// Percent is how much of the list is processed, 0–100: all of it once the
// import is over, failed or not.
func (l ListImport) Percent() int {
	if l.Status != ImportRunning {
		return 100
	}
	return min(100, max(0, l.PercentDone))
}

// ListProblem is a row that started no case, as the error sheet shows it.
type ListProblem struct {
	Line    int
	Kind    string // ProblemError or ProblemSkip
	Cells   []string
	Message string
}
