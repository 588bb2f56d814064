package workflows

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDepartmentWarningLists(t *testing.T) {
	d, e := builtinEngine(t, "department_warning.yaml")
	for _, dept := range []string{"medical_insurance", "education", "housing"} {
		if l := d.List(dept); l == nil || l.MatchField() != DefaultListMatch {
			t.Errorf("List(%s) = %+v; want a list matched on %s", dept, l, DefaultListMatch)
		}
	}
	if d.List("public_security") != nil {
		t.Error("List(public_security) is set; the built-in takes no 公安 list")
	}
	if !slices.Contains(d.Rules(), Rule{Role: RoleLiaison, Trigger: TriggerImportList}) {
		t.Errorf("Rules() = %v; want the liaisons' import_list row", d.Rules())
	}

	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.Local)
	s := Snapshot{Definition: d, Locality: household}
	tests := []struct {
		name, user, dept string
		want             Code
	}{
		{"liaison of a listed department", "jiaoyu", "education", ""},
		{"department without a list", "gongan", "public_security", Invalid},
		{"another department's list", "gongan", "education", Forbidden},
		{"village cadre", "cun", "education", Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := e.StartFromList(s, User{Username: tt.user}, tt.dept, now)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("StartFromList: %v", err)
				}
				if tr.To != "verify" || len(tr.NewTasks) != 1 || tr.NewTasks[0].Role != "village" {
					t.Errorf("StartFromList = to %q, tasks %+v; want one village task in verify", tr.To, tr.NewTasks)
				}
				return
			}
			var we *Error
			if !errors.As(err, &we) || we.Code != tt.want {
				t.Errorf("StartFromList = %v; want code %s", err, tt.want)
			}
		})
	}
}

func TestListProblems(t *testing.T) {
	const head = "id: w\ntitle: 名单\nstart: a\n"
	const states = "states:\n  a: {title: 核实, role: village, form: explanation, on: {done: b}}\n  b: {title: 完成, final: true, outcome: 完成}\n"
	tests := []struct {
		name, lists, want string
	}{
		{"unknown department", "lists:\n  police: {form: warning_medical}\n", `5: lists.police: 未知的部门 "police"`},
		{"unknown form", "lists:\n  education: {form: nosuch}\n", `5: lists.education.form: 未知的表单 "nosuch"`},
		{"no form", "lists:\n  education: {title: 名单}\n", "lists.education.form: 名单须指定表单 form"},
		{"match field missing", "lists:\n  education: {form: explanation}\n", "表单 explanation 没有字段 id_number"},
		{"match field not an id card", "lists:\n  education: {form: warning_medical, match: name}\n",
			"字段 name 须为必填的身份证号"},
		{"unknown key", "lists:\n  education: {form: warning_medical, column: x}\n", `未知的配置项 "column"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("w.yaml", []byte(head+tt.lists+states))
			if err == nil {
				err = d.Compile(builtinForms(t))
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("problems = %v; want one containing %q", err, tt.want)
			}
		})
	}
}
