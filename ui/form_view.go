package ui

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"jianfu/forms"
)

// This file turns a form definition plus what the user typed into a view
// model the templ components draw. It is shared by the action form of a
// case (case_fire.go) and the department task form (task_complete.go).

// maxRows bounds the rows of one repeat a page renders, whatever a posted
// row count claims.
const maxRows = 100

// Names of the page's own controls; the definition never sees them.
const (
	versionField = "version" // the case version the page was drawn from
	addField     = "_add"    // value: path of the repeat to grow
	removeField  = "_remove" // value: path of the row to drop, "members[1]"
	rowsPrefix   = "_rows."  // "_rows.members": rows the page showed
)

// Control kinds a field is drawn as.
const (
	controlInput      = "input"
	controlTextarea   = "textarea"
	controlSelect     = "select"
	controlCheckboxes = "checkboxes"
	controlCheckbox   = "checkbox"
	controlRepeat     = "repeat"
	controlComputed   = "computed"
	controlGroup      = "group"
	controlAttachment = "attachment"
)

// formInput is what a form page shows besides its definition.
type formInput struct {
	// Posted holds the values as the browser sent them, so a failed
	// form comes back exactly as typed; nil on first display, when
	// defaults are shown instead.
	Posted url.Values
	// Errors are the field errors of a failed submission.
	Errors forms.FieldErrors
	// Message is the failure message of a refused submission.
	Message string
	// AddRow is the path of a repeat that gets one more row.
	AddRow string
	// Preset holds values shown instead of the definition's defaults where
	// nothing was posted (a department task's own department).
	Preset url.Values
	// Uploads is false when no attachment store is configured: file
	// fields then say so instead of offering an input.
	Uploads bool
	// Prefilled is set when Preset holds what the form prefills from the
	// household: the page asks the cadre to check it.
	Prefilled bool
	// origins are the prefilled values as first shown, carried through
	// redraws (an added row, a refused post) in hidden inputs, so a value
	// still as prefilled keeps its tag; read from Posted by newFormView.
	origins url.Values
}

// hiddenInput is one hidden name and value of a form.
type hiddenInput struct{ Name, Value string }

// originPrefix names the hidden inputs that carry a prefilled value
// through a redraw: _pf.members[0].name. Posted keys starting with "_" are
// never submitted as data.
const originPrefix = "_pf."

// originsOf reads the prefilled values a posted form carried.
func originsOf(posted url.Values) url.Values {
	out := url.Values{}
	for k, v := range posted {
		if path, ok := strings.CutPrefix(k, originPrefix); ok {
			out[path] = v
		}
	}
	return out
}

// formView is a drawn form: its fields and, after a failed submission, the
// summary at the top.
type formView struct {
	Fields    []fieldView
	Failed    bool
	Prefilled bool // shown with values the case already knew
	// Origins are the hidden inputs that carry the prefilled values
	// through a redraw, in path order.
	Origins []hiddenInput
	Message string
	Summary []summaryItem
	// Multipart is set when a field takes a file: the form must post
	// multipart/form-data.
	Multipart bool
}

// summaryItem is one line of the error summary, linking to its field.
type summaryItem struct {
	Href string // "" for errors of the whole form
	Text string
}

// fieldView is one field as drawn.
type fieldView struct {
	Path        string // input name, "members[0].name"
	ID          string // element id, "f-members-0-name"
	Label       string
	Hint        string
	Control     string
	InputType   string // text, date, tel
	InputMode   string // numeric, decimal, tel
	MaxLength   int
	Suffix      string // unit after the input, e.g. 元
	Required    bool
	Conditional bool // required only when a condition holds
	// Prefilled marks a value the form prefilled (first display only), so
	// the cadre checks it rather than takes it for typed.
	Prefilled bool
	// Autofocus marks the first input of a row just added, so the page
	// opens there instead of at the top of a long form.
	Autofocus bool
	Value     string
	Checked   bool
	Choices   []choiceView
	Errors    []string

	// Repeat only.
	Rows      []rowView
	RowsName  string
	RowsValue string
	CanAdd    bool

	// Group only: the fields of the section, on the group's own level.
	Children []fieldView

	// Attachment only.
	Accept  string // the accept attribute: "image/*", "application/pdf,.pdf"
	Capture bool   // photos: offer the back camera first
	// Current is the reference already uploaded (after a failed post or
	// from a draft), kept in a hidden input so it need not be sent again.
	Current     string
	CurrentName string
	CurrentHref string
	NoStore     bool // no attachment store configured
}

type choiceView struct {
	ID       string
	Value    string
	Label    string
	Selected bool
}

// rowView is one row of a repeat.
type rowView struct {
	Legend    string
	Path      string // "members[1]", the value of its remove button
	CanRemove bool
	Fields    []fieldView
}

// HintID is the id of the hint element, referenced by aria-describedby.
func (f fieldView) HintID() string { return f.ID + "-hint" }

// ErrorID is the id of the inline error element.
func (f fieldView) ErrorID() string { return f.ID + "-error" }

// HasErrors reports whether the field failed validation.
func (f fieldView) HasErrors() bool { return len(f.Errors) > 0 }

// DescribedBy lists the ids that describe the field to screen readers.
func (f fieldView) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.HintID())
	}
	if f.HasErrors() {
		ids = append(ids, f.ErrorID())
	}
	return strings.Join(ids, " ")
}

// Class is the CSS class of the field's wrapper.
func (f fieldView) Class() string {
	if f.HasErrors() {
		return "field has-error"
	}
	return "field"
}

// drawForm draws definition d with the input of this request, offering
// file inputs when an attachment store is configured.
func (s *server) drawForm(d *forms.Definition, in formInput) formView {
	in.Uploads = s.attachments != nil
	return newFormView(d, in)
}

// newFormView draws definition d with the input of this request.
func newFormView(d *forms.Definition, in formInput) formView {
	switch {
	case in.Prefilled && in.Posted == nil:
		in.origins = url.Values{}
		for k, vs := range in.Preset {
			if !strings.HasPrefix(k, rowsPrefix) {
				in.origins[k] = vs
			}
		}
	case in.Posted != nil:
		in.origins = originsOf(in.Posted)
	}
	b := formBuilder{in: in, labels: map[string]string{}}
	var v formView
	if d != nil {
		v.Fields = b.fields(d.Fields, "", "")
	}
	v.Multipart = b.multipart
	v.Failed = in.Message != "" || len(in.Errors) > 0
	v.Prefilled = b.prefilled
	for _, k := range slices.Sorted(maps.Keys(in.origins)) {
		for _, val := range in.origins[k] {
			v.Origins = append(v.Origins, hiddenInput{Name: originPrefix + k, Value: val})
		}
	}
	v.Message = in.Message
	v.Summary = b.summary()
	return v
}

// formBuilder walks a definition once, remembering each drawn path's label
// for the error summary.
type formBuilder struct {
	in        formInput
	labels    map[string]string
	multipart bool
	prefilled bool // a field shows its prefilled value
}

// asPrefilled reports whether the field at path shows the value the form
// prefilled: on first display, any prefilled value; after a redraw, one
// the cadre has not changed.
func (b *formBuilder) asPrefilled(f *forms.Field, path string) bool {
	orig, ok := b.in.origins[path]
	if !ok || len(orig) == 0 || orig[0] == "" {
		return false
	}
	if b.in.Posted == nil {
		return true
	}
	now := b.in.Posted[path]
	if f.Type == forms.TypeMultiselect {
		return slices.Equal(slices.Sorted(slices.Values(now)), slices.Sorted(slices.Values(orig)))
	}
	return len(now) > 0 && now[0] == orig[0]
}

func (b *formBuilder) fields(fs []*forms.Field, prefix, labelPrefix string) []fieldView {
	out := make([]fieldView, 0, len(fs))
	for _, f := range fs {
		out = append(out, b.field(f, prefix+f.Name, labelPrefix))
	}
	return out
}

func (b *formBuilder) field(f *forms.Field, path, labelPrefix string) fieldView {
	v := fieldView{
		Path:  path,
		ID:    inputID(path),
		Label: f.Label,
		Hint:  f.Hint,
		// A required field that is relevant only under a condition (残疾等级
		// when 健康状况 is 残疾) is required only then; the page has no
		// script to hide it, so it says so instead of marking it *.
		Required:    f.Required && !f.IsConditional(),
		Conditional: f.Required && f.IsConditional() || !f.Required && f.RequiredIf != "",
		Errors:      b.in.Errors.For(path),
		Control:     controlInput,
		InputType:   "text",
	}
	if v.Label == "" {
		v.Label = f.Name
	}
	v.Prefilled = b.asPrefilled(f, path)
	b.prefilled = b.prefilled || v.Prefilled
	b.labels[path] = labelPrefix + v.Label
	if f.ReadOnly {
		// Calculated on the server; shown disabled so it is never posted.
		v.Control = controlComputed
		v.Required, v.Conditional = false, false
		v.Value = b.value(f, path)
		return v
	}
	switch f.Type {
	case "textarea":
		v.Control = controlTextarea
		v.Value = b.value(f, path)
	case "integer":
		v.InputMode = "numeric"
		v.Value = b.value(f, path)
	case "money":
		v.InputMode = "decimal"
		v.Suffix = "元"
		v.Value = b.value(f, path)
	case "date":
		v.InputType = "date"
		v.Value = b.value(f, path)
	case "id_card":
		v.MaxLength = 18
		v.Value = b.value(f, path)
	case "phone":
		v.InputType = "tel"
		v.InputMode = "tel"
		v.Value = b.value(f, path)
	case "select":
		v.Control = controlSelect
		v.Value = b.value(f, path)
		v.Choices = choices(f, v.ID, map[string]bool{v.Value: true})
	case "multiselect":
		v.Control = controlCheckboxes
		v.Choices = choices(f, v.ID, b.selected(f, path))
	case "boolean":
		v.Control = controlCheckbox
		v.Checked = b.checked(f, path)
	case forms.TypeRepeat:
		b.repeat(&v, f, path)
	case forms.TypeGroup:
		// A section only: its fields keep the paths of the group's level.
		v.Control = controlGroup
		v.Required, v.Conditional = false, false
		v.Children = b.fields(f.Fields, strings.TrimSuffix(path, f.Name), labelPrefix)
	case forms.TypePhoto, forms.TypeSignature, forms.TypeFile:
		b.attachment(&v, f, path)
	default:
		v.Value = b.value(f, path)
	}
	return v
}

func (b *formBuilder) repeat(v *fieldView, f *forms.Field, path string) {
	rows := b.in.Posted
	if rows == nil && b.in.Preset.Has(rowsPrefix+path) {
		rows = b.in.Preset // prefilled rows, on first display
	}
	n := rowCount(rows, path, f.Min, f.Max, b.in.AddRow == path)
	lo, hi := rowBounds(f.Min, f.Max)
	v.Control = controlRepeat
	v.RowsName = rowsPrefix + path
	v.RowsValue = strconv.Itoa(n)
	v.CanAdd = n < hi
	for i := range n {
		rowPath := fmt.Sprintf("%s[%d]", path, i)
		legend := fmt.Sprintf("%s 第%d行", v.Label, i+1)
		row := rowView{
			Legend:    legend,
			Path:      rowPath,
			CanRemove: n > lo && n > 1,
			Fields:    b.fields(f.Fields, rowPath+".", legend+" · "),
		}
		if b.in.AddRow == path && i == n-1 {
			focusFirst(row.Fields)
		}
		v.Rows = append(v.Rows, row)
	}
}

// focusFirst sets Autofocus on the first text, number, date, select or
// textarea input of fs (into groups): the field a user fills first.
func focusFirst(fs []fieldView) bool {
	for i := range fs {
		switch fs[i].Control {
		case controlInput, controlSelect, controlTextarea:
			fs[i].Autofocus = true
			return true
		case controlGroup:
			if focusFirst(fs[i].Children) {
				return true
			}
		}
	}
	return false
}

// attachment draws a file input, and the reference already uploaded.
func (b *formBuilder) attachment(v *fieldView, f *forms.Field, path string) {
	v.Control = controlAttachment
	if !b.in.Uploads {
		v.NoStore = true
		return
	}
	b.multipart = true
	v.Accept = acceptAttr(f)
	v.Capture = f.Type == forms.TypePhoto
	if a, ok := forms.AttachmentFrom(b.value(f, path)); ok && a.ID != "" {
		ref, err := json.Marshal(a)
		if err == nil {
			v.Current = string(ref)
			v.CurrentName = a.Name
			v.CurrentHref = attachmentURL(a.ID)
		}
	}
}

// acceptAttr is the browser's file picker filter. It only helps the user
// choose: forms checks the type again when the form is validated.
func acceptAttr(f *forms.Field) string {
	if len(f.Accept) > 0 {
		return strings.Join(f.Accept, ",")
	}
	switch f.Type {
	case forms.TypePhoto, forms.TypeSignature:
		return "image/*"
	}
	return ""
}

// value is the text shown in a single-valued input: as posted, else (first
// display, or a row added since the post) the preset or the default. A
// text input or a select is always posted, if only empty, so an absent
// path was not on the page; checkboxes are not read here, as an unticked
// one is absent.
func (b *formBuilder) value(f *forms.Field, path string) string {
	if vs, ok := b.in.Posted[path]; ok && len(vs) > 0 {
		return vs[0]
	}
	if vs, ok := b.in.Preset[path]; ok && len(vs) > 0 {
		return vs[0]
	}
	return defaultText(f.Default)
}

// selected is the set of ticked options of a multiselect.
func (b *formBuilder) selected(f *forms.Field, path string) map[string]bool {
	set := map[string]bool{}
	if vs, ok := b.in.Preset[path]; b.in.Posted == nil && ok {
		for _, s := range vs {
			set[s] = true
		}
		return set
	}
	if b.in.Posted == nil {
		switch d := f.Default.(type) {
		case []string:
			for _, s := range d {
				set[s] = true
			}
		case []any:
			for _, s := range d {
				set[fmt.Sprint(s)] = true
			}
		}
		return set
	}
	for _, s := range b.in.Posted[path] {
		set[s] = true
	}
	return set
}

// checked tells whether a boolean checkbox is ticked.
func (b *formBuilder) checked(f *forms.Field, path string) bool {
	if vs, ok := b.in.Preset[path]; b.in.Posted == nil && ok {
		return isTrue(vs[0])
	}
	if b.in.Posted == nil {
		return f.Default == true || f.Default == "true"
	}
	return isTrue(b.in.Posted.Get(path))
}

// summary lists every error, in the order the service gave them, naming
// the field it belongs to; errors of the whole form come without a link.
func (b *formBuilder) summary() []summaryItem {
	items := make([]summaryItem, 0, len(b.in.Errors))
	for _, e := range b.in.Errors {
		if e.Field == "" && e.Message == b.in.Message {
			continue // already the summary's lead message
		}
		label, drawn := b.labels[e.Field]
		if e.Field == "" || !drawn {
			items = append(items, summaryItem{Text: e.Message})
			continue
		}
		items = append(items, summaryItem{Href: "#" + inputID(e.Field), Text: label + "：" + e.Message})
	}
	return items
}

func choices(f *forms.Field, id string, selected map[string]bool) []choiceView {
	out := make([]choiceView, 0, len(f.Choices))
	for i, c := range f.Choices {
		label := c.Label
		if label == "" {
			label = c.Value
		}
		out = append(out, choiceView{
			ID:       fmt.Sprintf("%s-%d", id, i),
			Value:    c.Value,
			Label:    label,
			Selected: c.Value != "" && selected[c.Value],
		})
	}
	return out
}

// inputID derives an element id from a field path:
// "members[0].name" → "f-members-0-name".
func inputID(path string) string {
	var b strings.Builder
	b.WriteString("f-")
	for _, r := range path {
		switch r {
		case '[', '.':
			b.WriteByte('-')
		case ']':
		case ' ', '\t', '\n', '\r', '\f':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func defaultText(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func isTrue(s string) bool {
	return s == "on" || s == "true" || s == "1"
}
