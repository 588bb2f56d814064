package forms

import "testing"

func TestRequiredMessage(t *testing.T) {
	d, err := Parse("required.yaml", []byte(`id: required
title: 必填提示
fields:
  - {name: promise, type: boolean, label: 承诺所填信息真实, required: true}
  - {name: channel, type: select, label: 申请渠道, required: true, choices: [书面, APP]}
  - {name: risks, type: multiselect, label: 风险类型, required: true, choices: [因病, 因学]}
  - {name: reason, type: text, label: 申请理由, required: true}
`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tests := []struct {
		name, field, want string
	}{
		{"BooleanAsksToTick", "promise", "请勾选「承诺所填信息真实」"},
		{"SelectAsksToChoose", "channel", "请选择申请渠道"},
		{"MultiselectAsksToChoose", "risks", "请选择风险类型"},
		{"TextAsksToFill", "reason", "请填写申请理由"},
	}
	_, errs := d.Validate(map[string]any{}, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := errs.For(tt.field)
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("errors for %s = %q, want [%q]", tt.field, got, tt.want)
			}
		})
	}
}
