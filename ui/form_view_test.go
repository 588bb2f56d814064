package ui

import (
	"bytes"
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"jianfu/forms"
)

// TestBuiltinFormsRender draws every built-in form definition and checks
// that each field a user fills gets an input named by its path.
func TestBuiltinFormsRender(t *testing.T) {
	builtin := forms.Builtin()
	if len(builtin) == 0 {
		t.Fatal("expected built-in form definitions, got none")
	}
	for file, src := range builtin {
		t.Run(file, func(t *testing.T) {
			def, err := forms.Parse(file, src)
			if err != nil {
				t.Fatalf("parse %s: %v", file, err)
			}
			var buf bytes.Buffer
			v := formPageView{Heading: def.Title, HasForm: true, Form: newFormView(def, formInput{}), Submit: "提交", Action: "/x", Cancel: "/"}
			if err := formPage(v).Render(context.Background(), &buf); err != nil {
				t.Fatalf("render %s: %v", file, err)
			}
			html := buf.String()
			for _, path := range inputPaths(def.Fields, "") {
				if !strings.Contains(html, `name="`+path+`"`) {
					t.Errorf("expected an input named %q", path)
				}
			}
		})
	}
}

// inputPaths lists the names of the inputs a fresh form posts: first row
// of every repeat, no calculated field.
func inputPaths(fields []*forms.Field, prefix string) []string {
	var out []string
	for _, f := range fields {
		switch {
		case f.ReadOnly:
		case f.Type == "repeat":
			out = append(out, inputPaths(f.Fields, prefix+f.Name+"[0].")...)
		default:
			out = append(out, prefix+f.Name)
		}
	}
	return out
}

func TestFormViewSummary(t *testing.T) {
	def := parseForm(t, applicationYAML)
	t.Run("WholeFormErrorIsNotRepeated", func(t *testing.T) {
		v := newFormView(def, formInput{Posted: url.Values{}, Message: "评议未达到法定人数", Errors: forms.FieldErrors{{Message: "评议未达到法定人数"}}})
		if len(v.Summary) != 0 || v.Message != "评议未达到法定人数" || !v.Failed {
			t.Errorf("expected the message once as the lead, got %+v", v)
		}
	})
	t.Run("UnknownPathIsListedWithoutLink", func(t *testing.T) {
		v := newFormView(def, formInput{Posted: url.Values{}, Errors: forms.FieldErrors{{Field: "nosuch", Message: "不在可选项中"}}})
		if len(v.Summary) != 1 || v.Summary[0].Href != "" || v.Summary[0].Text != "不在可选项中" {
			t.Errorf("expected one unlinked item, got %+v", v.Summary)
		}
	})
	t.Run("RepeatErrorShownOnTheRepeat", func(t *testing.T) {
		v := newFormView(def, formInput{Posted: url.Values{}, Errors: forms.FieldErrors{{Field: "members", Message: "至少填写1行"}}})
		i := slices.IndexFunc(v.Fields, func(f fieldView) bool { return f.Path == "members" })
		if i < 0 || !slices.Equal(v.Fields[i].Errors, []string{"至少填写1行"}) {
			t.Fatalf("expected the error on the members repeat, got %+v", v.Fields)
		}
		if v.Summary[0].Href != "#f-members" || v.Summary[0].Text != "家庭成员：至少填写1行" {
			t.Errorf("expected a summary link to #f-members, got %+v", v.Summary)
		}
	})
	t.Run("FirstDisplayShowsDefaults", func(t *testing.T) {
		d := parseForm(t, "id: d\ntitle: D\nfields:\n  - {name: n, type: integer, label: N, default: 5}\n  - {name: b, type: boolean, label: B, default: true}\n")
		v := newFormView(d, formInput{})
		if v.Fields[0].Value != "5" || !v.Fields[1].Checked || v.Failed {
			t.Errorf("expected default 5 and a ticked box, got %+v", v.Fields)
		}
	})
}

// TestRequiredOnlyWhenRelevant: a required field asked only under a
// condition (its own relevant: or its group's) is shown as required under
// that condition, not with the * of a field always required.
func TestRequiredOnlyWhenRelevant(t *testing.T) {
	d := parseForm(t, `id: d
title: D
fields:
  - {name: health, type: select, label: 健康状况, choices: [健康, 残疾], required: true}
  - {name: level, type: text, label: 残疾等级, required: true, relevant: 'health == "残疾"'}
  - {name: note, type: text, label: 说明, required: 'health == "残疾"'}
  - name: house
    type: group
    label: 住房
    relevant: 'health == "残疾"'
    fields:
      - {name: unsafe, type: text, label: 危房情况, required: true}
`)
	v := newFormView(d, formInput{})
	got := map[string][2]bool{}
	var walk func(fs []fieldView)
	walk = func(fs []fieldView) {
		for _, f := range fs {
			got[f.Path] = [2]bool{f.Required, f.Conditional}
			walk(f.Children)
		}
	}
	walk(v.Fields)
	for path, want := range map[string][2]bool{
		"health": {true, false},
		"level":  {false, true},
		"note":   {false, true},
		"unsafe": {false, true}, // a group's fields are on its level
	} {
		if got[path] != want {
			t.Errorf("%s: required, conditional = %v; want %v", path, got[path], want)
		}
	}
}

// TestValueFallsBackToPresetAndDefault: a row added since the last post
// shows its defaults, not blanks, and a preset (a department task's own
// department) replaces a default where nothing was posted; what was posted,
// even empty, stays as posted.
func TestValueFallsBackToPresetAndDefault(t *testing.T) {
	d := parseForm(t, `id: d
title: D
fields:
  - {name: department, type: text, label: 部门}
  - {name: note, type: text, label: 备注, default: 无}
  - name: members
    type: repeat
    label: 成员
    fields:
      - {name: nation, type: text, label: 民族, default: 汉族}
`)
	posted := url.Values{"note": {""}, "members[0].nation": {"回族"}, rowsPrefix + "members": {"1"}}
	v := newFormView(d, formInput{Posted: posted, AddRow: "members", Preset: url.Values{"department": {"education"}}})
	got := map[string]string{}
	var walk func(fs []fieldView)
	walk = func(fs []fieldView) {
		for _, f := range fs {
			got[f.Path] = f.Value
			walk(f.Children)
			for _, r := range f.Rows {
				walk(r.Fields)
			}
		}
	}
	walk(v.Fields)
	for path, want := range map[string]string{
		"department":        "education", // not posted: the preset
		"note":              "",          // posted empty: kept empty
		"members[0].nation": "回族",        // posted
		"members[1].nation": "汉族",        // the added row: its default
	} {
		if got[path] != want {
			t.Errorf("%s shows %q, want %q", path, got[path], want)
		}
	}
}

// TestAddedRowTakesTheFocus: after 添加一行 the page opens at the new row's
// first input, not at the top of a form thousands of pixels long.
func TestAddedRowTakesTheFocus(t *testing.T) {
	d := parseForm(t, applicationYAML)
	v := newFormView(d, formInput{Posted: url.Values{rowsPrefix + "members": {"1"}}, AddRow: "members"})
	var focused []string
	var walk func(fs []fieldView)
	walk = func(fs []fieldView) {
		for _, f := range fs {
			if f.Autofocus {
				focused = append(focused, f.Path)
			}
			walk(f.Children)
			for _, r := range f.Rows {
				walk(r.Fields)
			}
		}
	}
	walk(v.Fields)
	if len(focused) != 1 || !strings.HasPrefix(focused[0], "members[1].") {
		t.Errorf("autofocus on %q; want the first input of members[1] alone", focused)
	}
	var buf bytes.Buffer
	if err := formPage(formPageView{HasForm: true, Form: v, Action: "/x"}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), " autofocus"); n != 1 {
		t.Errorf("the page has %d autofocus attributes, want 1", n)
	}
}
