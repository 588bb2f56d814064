package ui

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"jianfu/forms"
	"jianfu/workflows"
)

// This file draws what was filed with each step of a case's history: the
// submission an event carries, as label → value in form order, so that
// whoever takes the case over sees what the previous step recorded.

// rowPreviewFields is how many fields of each repeat row the page shows:
// enough to tell the rows apart (a name, a relation) without the whole table.
const rowPreviewFields = 2

// filedItem is one field of a submission as shown: its label and its
// value in words, never a full 身份证号.
type filedItem struct {
	Label string
	Value string
	// Href links an attachment to its content; Value is then its file name.
	Href string
	// Rows are the rows of a repeat (Value says how many), each its first
	// fields joined.
	Rows []string
}

// filedByEvent loads the case's submissions with one call and draws each
// one, by submission id. Submissions are extra help on the page: when they
// cannot be loaded the page is drawn without them and the failure logged.
func (s *server) filedByEvent(ctx context.Context, actor workflows.User, cs workflows.Case) map[int][]filedItem {
	if !hasSubmission(cs.History) {
		return nil
	}
	subs, err := s.svc.Submissions(ctx, actor, cs.ID)
	if err != nil {
		s.log.Error("load case submissions", "case", cs.ID, "err", err)
		return nil
	}
	type formKey struct {
		id      string
		version int
	}
	defs := map[formKey]*forms.Definition{}
	out := make(map[int][]filedItem, len(subs))
	for _, sub := range subs {
		// The labels and choices the data was filed with, not today's.
		key := formKey{sub.Form, sub.FormVersion}
		d, ok := defs[key]
		if !ok {
			d, err = s.svc.FormVersion(ctx, sub.Form, sub.FormVersion)
			if err != nil {
				s.log.Error("load form of submission", "case", cs.ID, "submission", sub.ID, "form", sub.Form,
					"version", sub.FormVersion, "err", err)
			}
			defs[key] = d // nil remembers the failure
		}
		if d != nil {
			out[sub.ID] = filedItems(d, sub.Data)
		}
	}
	return out
}

func hasSubmission(events []workflows.Event) bool {
	for _, e := range events {
		if e.SubmissionID != 0 {
			return true
		}
	}
	return false
}

// filedItems lists the top-level values of data in the order of form d,
// leaving out empty ones and keys the form does not know.
func filedItems(d *forms.Definition, data map[string]any) []filedItem {
	var out []filedItem
	for _, f := range d.Flat(nil) {
		if item, ok := filedItemOf(d, f, data[f.Name]); ok {
			out = append(out, item)
		}
	}
	return out
}

func filedItemOf(d *forms.Definition, f *forms.Field, v any) (filedItem, bool) {
	item := filedItem{Label: fieldLabel(f)}
	switch f.Type {
	case forms.TypeRepeat:
		rows := draftRows(v)
		if len(rows) == 0 {
			return item, false
		}
		item.Value = strconv.Itoa(len(rows)) + " 行"
		cols := d.Flat(f)
		cols = cols[:min(len(cols), rowPreviewFields)]
		for _, row := range rows {
			item.Rows = append(item.Rows, rowPreview(cols, row))
		}
		return item, true
	case forms.TypePhoto, forms.TypeSignature, forms.TypeFile:
		a, ok := forms.AttachmentFrom(v)
		if !ok || a.ID == "" {
			return item, false
		}
		item.Value, item.Href = firstNonEmpty(a.Name, "附件"), attachmentURL(a.ID)
		return item, true
	}
	item.Value = filedValue(f, v)
	return item, item.Value != ""
}

// rowPreview joins the values of a row's first fields: "张三 · 户主".
func rowPreview(cols []*forms.Field, row map[string]any) string {
	parts := make([]string, 0, len(cols))
	for _, c := range cols {
		if s := filedValue(c, row[c.Name]); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// filedValue is a single value in words; "" when empty. Repeats and
// attachments in a row preview are only counted or named.
func filedValue(f *forms.Field, v any) string {
	if v == nil {
		return ""
	}
	switch f.Type {
	case forms.TypeMoney:
		fen, ok := wholeNumber(v)
		if !ok {
			return ""
		}
		return groupedYuan(fen) + " 元"
	case forms.TypeInteger:
		n, ok := wholeNumber(v)
		if !ok {
			return ""
		}
		return strconv.FormatInt(n, 10)
	case forms.TypeBoolean:
		b, ok := v.(bool)
		if !ok {
			return ""
		}
		if b {
			return "是"
		}
		return "否"
	case forms.TypeIDCard:
		s, _ := v.(string)
		return forms.MaskIDCard(s)
	case forms.TypeSelect:
		s, _ := v.(string)
		return choiceLabel(f, s)
	case forms.TypeMultiselect:
		return choiceLabels(f, v)
	case forms.TypeRepeat:
		if n := len(draftRows(v)); n > 0 {
			return strconv.Itoa(n) + " 行"
		}
		return ""
	case forms.TypePhoto, forms.TypeSignature, forms.TypeFile:
		if a, ok := forms.AttachmentFrom(v); ok && a.ID != "" {
			return firstNonEmpty(a.Name, "附件")
		}
		return ""
	}
	s, _ := v.(string)
	return s
}

func fieldLabel(f *forms.Field) string {
	return firstNonEmpty(f.LabelIn("zh"), f.Name)
}

// choiceLabel names a stored choice value by its label, or shows the value
// itself when the form no longer offers it.
func choiceLabel(f *forms.Field, value string) string {
	if value == "" {
		return ""
	}
	for _, c := range f.Choices {
		if c.Value == value {
			return firstNonEmpty(c.Label, c.Value)
		}
	}
	return value
}

func choiceLabels(f *forms.Field, v any) string {
	values := draftStrings(v)
	labels := make([]string, 0, len(values))
	for _, s := range values {
		if l := choiceLabel(f, s); l != "" {
			labels = append(labels, l)
		}
	}
	return strings.Join(labels, "、")
}

// wholeNumber reads an integer the way stored data may carry it: as a Go
// integer, or as a float64 or json.Number after a JSON round trip.
func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return 0, false
		}
		return int64(math.Round(n)), true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		f, err := n.Float64()
		if err != nil {
			return 0, false
		}
		return wholeNumber(f)
	}
	return 0, false
}

// groupedYuan writes an amount in fen as yuan with two decimals and
// thousands separators, for reading rather than editing (unlike yuan):
// 1800050 → "18,000.50".
func groupedYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	whole := strconv.FormatInt(fen/100, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	cents := fen % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + cents/10))
	b.WriteByte(byte('0' + cents%10))
	return b.String()
}
