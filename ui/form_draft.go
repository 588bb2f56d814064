package ui

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
)

// This file fills a form from a draft: the earlier submission of the same
// form kept on the case after a send-back (workflows.Case.Drafts). The
// draft holds stored values (money in fen, repeats as lists of rows); the
// page needs them as a browser would post them (money in yuan), so the
// draft becomes posted values and the form draws them like a redraw.

// draftInput is the input of a form's first display: the case's draft of
// this form when there is one, else nothing (the defaults).
func draftInput(def *forms.Definition, drafts map[string]map[string]any) formInput {
	if def == nil {
		return formInput{}
	}
	draft, ok := drafts[def.ID]
	if !ok || len(draft) == 0 {
		return formInput{}
	}
	posted := url.Values{}
	putDraft(posted, def, nil, "", draft)
	return formInput{Posted: posted}
}

// firstInput is the input of a form's first display on a case: its draft
// (draftInput), else what the form prefills from the household and earlier
// submissions, shown in place of the defaults; the fields it does not
// prefill keep theirs.
func (s *server) firstInput(c echo.Context, def *forms.Definition, caseID int, drafts map[string]map[string]any) (formInput, error) {
	if in := draftInput(def, drafts); in.Posted != nil || def == nil || !def.UsesPrefill() {
		return in, nil
	}
	values, err := s.svc.Prefill(c.Request().Context(), currentUser(c), caseID, def.ID)
	if err != nil {
		return formInput{}, fmt.Errorf("prefill form %s of case %d: %w", def.ID, caseID, err)
	}
	if len(values) == 0 {
		return formInput{}, nil
	}
	preset := url.Values{}
	putDraft(preset, def, nil, "", values)
	return formInput{Preset: preset, Prefilled: true}, nil
}

// putDraft writes the values of one level (the form, or one row of
// repeat) under prefix.
func putDraft(posted url.Values, def *forms.Definition, repeat *forms.Field, prefix string, values map[string]any) {
	for _, f := range def.Flat(repeat) {
		v, ok := values[f.Name]
		if !ok || v == nil {
			continue
		}
		path := prefix + f.Name
		switch f.Type {
		case forms.TypeRepeat:
			rows := draftRows(v)
			posted.Set(rowsPrefix+path, strconv.Itoa(min(len(rows), maxRows)))
			for i, row := range rows {
				if i == maxRows {
					break
				}
				putDraft(posted, def, f, fmt.Sprintf("%s[%d].", path, i), row)
			}
		case forms.TypeMultiselect:
			for _, s := range draftStrings(v) {
				posted.Add(path, s)
			}
		case forms.TypeBoolean:
			if v == true {
				posted.Set(path, "true")
			}
		case forms.TypeMoney:
			if s, ok := yuan(v); ok {
				posted.Set(path, s)
			}
		case forms.TypePhoto, forms.TypeSignature, forms.TypeFile:
			if a, ok := forms.AttachmentFrom(v); ok {
				if text, err := json.Marshal(a); err == nil {
					posted.Set(path, string(text))
				}
			}
		default:
			posted.Set(path, fmt.Sprint(v))
		}
	}
}

// yuan writes an amount stored in fen as yuan: 123450 → "1234.50". A
// stored amount comes back as an integer, or as a float64 after a JSON
// round trip.
func yuan(v any) (string, bool) {
	var fen int64
	switch n := v.(type) {
	case int64:
		fen = n
	case int:
		fen = int64(n)
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return "", false
		}
		fen = int64(n)
	case json.Number:
		i, err := n.Int64()
		if err != nil {
			return "", false
		}
		fen = i
	default:
		return "", false
	}
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	if fen%100 == 0 {
		return fmt.Sprintf("%s%d", sign, fen/100), true
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100), true
}

func draftRows(v any) []map[string]any {
	switch rows := v.(type) {
	case []map[string]any:
		return rows
	case []any:
		out := make([]map[string]any, 0, len(rows))
		for _, r := range rows {
			if m, ok := r.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

func draftStrings(v any) []string {
	switch list := v.(type) {
	case []string:
		return list
	case []any:
		out := make([]string, 0, len(list))
		for _, s := range list {
			if str, ok := s.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return nil
}
