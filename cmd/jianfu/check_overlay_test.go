package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeOverlay writes a definition file for check to read.
func writeOverlay(t *testing.T, name, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const countyForm = `id: household_verification_510100
extends: household_verification
locality: "510100000000"
fields:
  - {name: phone, type: phone, label: 联系电话, required: true}
  - {name: doctor, type: text, label: 家庭签约医生, after: phone}
  - {name: members.disability_card, type: text, label: 残疾证号}
remove: [address]
params:
  income_line: {2025: 7000, 2026: 7500}
`

func TestCheckExplainsFormOverlay(t *testing.T) {
	file := writeOverlay(t, "county.yaml", countyForm)
	var stdout, stderr bytes.Buffer
	if code := check([]string{"--explain", file}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d, want 0:\n%s%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, tc := range []struct{ name, want string }{
		{"NamesBaseAndLocality", "household_verification_510100 扩展表单 household_verification（地区 510100000000）"},
		{"ReplacedField", "覆盖       fields.phone                     ← " + file + ":5"},
		{"AddedField", "新增       fields.doctor                    ← " + file + ":6"},
		{"AddedFieldInRepeat", "新增       fields.members.disability_card   ← " + file + ":7"},
		{"RemovedField", "删除       fields.address                   ← " + file + ":8"},
		{"ParamByYear", "覆盖       params.income_line               ← " + file + ":10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("no %q in:\n%s", tc.want, out)
			}
		})
	}
}

func TestCheckFormOverlayProblems(t *testing.T) {
	head := "id: hv_510100\nextends: household_verification\nlocality: \"510100000000\"\n"
	tests := []struct {
		name, body, want string
	}{
		{"IdenticalEntryOverridesNothing", "fields:\n  - {name: phone, type: phone, label: 联系电话, prefill: household.phone}\n",
			":5: fields[0]: 字段 phone 与基础表单相同，未覆盖任何内容"},
		{"OverlayOverridesNothing", "", ":1: : 覆盖定义没有覆盖任何内容"},
		{"UnknownBase", "extends_note: x\n", ":4: extends_note: 未知的键"},
		{"ParamsOnlyOverlayIsTheBaseKind", "params:\n  income_line: 6000\n", ":5: params.income_line: params.income_line 与基础表单相同"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeOverlay(t, "o.yaml", head+tt.body)
			var stdout, stderr bytes.Buffer
			if code := check([]string{file}, &stdout, &stderr); code != 1 {
				t.Fatalf("exit code %d, want 1:\n%s%s", code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), file+tt.want) {
				t.Errorf("no %q in:\n%s", file+tt.want, stdout.String())
			}
		})
	}
}
