package forms

import (
	"strings"
	"testing"
)

func TestBuiltinDefinitionsParse(t *testing.T) {
	defs := Builtin()
	want := []string{"application_authorization", "household_verification", "deliberation_record",
		"public_notice", "department_check", "asset_comparison", "township_review", "county_decision",
		"explanation", "send_back",
		// Forms of the monitoring, exit and seven-step workflows (issue 3, workflows).
		"screening_list", "monthly_visit", "assistance_plan", "risk_review", "risk_warning",
		"elimination_assessment", "elimination_decision", "closure",
		// Department screening lists and their village verification.
		"warning_medical", "warning_education", "warning_housing", "warning_verification"}
	if len(defs) != len(want) {
		t.Errorf("Builtin() has %d definitions, want %d", len(defs), len(want))
	}
	for _, id := range want {
		t.Run(id, func(t *testing.T) {
			file := id + ".yaml"
			src, ok := defs[file]
			if !ok {
				t.Fatalf("Builtin() has no %s", file)
			}
			d, err := Parse(file, src)
			if err != nil {
				t.Fatalf("Parse(%s) problems:\n%v", file, err)
			}
			if d.ID != id {
				t.Errorf("Parse(%s).ID = %q, want %q", file, d.ID, id)
			}
			if d.Title == "" || strings.ContainsAny(d.Title, "abcdefghijklmnopqrstuvwxyz") {
				t.Errorf("Parse(%s).Title = %q, want a Chinese title", file, d.Title)
			}
		})
	}
}

func builtin(t testing.TB, id string) *Definition {
	t.Helper()
	d, err := Parse(id+".yaml", Builtin()[id+".yaml"])
	if err != nil {
		t.Fatalf("Parse(%s): %v", id, err)
	}
	return d
}

func TestBuiltinDepartmentIDs(t *testing.T) {
	want := map[string]string{
		"public_security": "公安", "civil_affairs": "民政", "finance": "财政", "natural_resources": "自然资源",
		"market_regulation": "市场监管", "tax": "税务", "education": "教育", "housing": "住建", "water": "水利",
		"health": "卫健", "medical_insurance": "医保", "human_resources": "人社", "disabled_federation": "残联",
	}
	for _, c := range []struct{ form, field string }{
		{"department_check", "department"}, {"asset_comparison", "department"}, {"county_decision", "lead_department"},
	} {
		t.Run(c.form, func(t *testing.T) {
			f := builtin(t, c.form).Field(c.field)
			if f == nil || f.Type != TypeSelect {
				t.Fatalf("%s has no select field %s", c.form, c.field)
			}
			if len(f.Choices) != len(want) {
				t.Errorf("%s.%s has %d departments, want %d", c.form, c.field, len(f.Choices), len(want))
			}
			for _, ch := range f.Choices {
				if want[ch.Value] != ch.Label {
					t.Errorf("%s.%s choice %v, want one of the department ids with its Chinese label", c.form, c.field, ch)
				}
			}
		})
	}
}

func TestBuiltinDeliberationExposesVoteCounts(t *testing.T) {
	d := builtin(t, "deliberation_record")
	for _, name := range []string{"invited", "attended", "yes"} {
		if f := d.Field(name); f == nil || f.Type != TypeInteger || !f.Required {
			t.Errorf("deliberation_record.%s = %+v, want a required integer", name, f)
		}
	}
}

// verificationInput is a complete 入户核实表 for a household of n members.
func verificationInput(n int) map[string]any {
	ids := []string{"11010519491231002X", "110101199003071233", "440304198510150018",
		"510107200002294572", "320583197012310888", "630102202012310032"}
	members := make([]any, n)
	for i := range members {
		members[i] = map[string]any{
			"name": "成员" + string(rune('甲'+i)), "id_card": ids[i%len(ids)], "relation": "之子",
			"gender": "男", "age": float64(20 + i*9), "education": "初中", "health": "健康",
			"labour": "普通", "work_place": "广东", "work_months": 6.0, "insured": true,
		}
	}
	return map[string]any{
		"township": "城关镇", "village": "新华村", "head_name": "成员甲", "head_id": "11010519491231002X",
		"phone": "13800138000", "household_type": "一般农户", "members": members,
		"wage": "24000", "business": "3000.5", "property": 0.0, "transfer": "1200",
		"production_cost": "2000", "medical_selfpay": "500",
		"housing_grade": "B", "water_quality": "ok", "water_quantity": "ok", "water_access": "ok", "water_supply": "ok",
		"checker1": "王干部", "checker2": "李干部", "visit_date": "2025-03-01",
	}
}

func TestBuiltinHouseholdVerification(t *testing.T) {
	d := builtin(t, "household_verification")
	tests := []struct {
		name   string
		edit   func(in map[string]any)
		params Params
		errs   []FieldError
		want   map[string]any
	}{
		{
			name: "NetAndPerCapitaIncome",
			// 24000 + 3000.50 + 0 + 1200 - 2000 - 500 = 25700.50; / 4
			want: map[string]any{"net_income": int64(2570050), "per_capita": int64(642513)},
		},
		{
			name: "RisksRequiredBelowIncomeLine",
			edit: func(in map[string]any) { in["wage"] = "10000" },
			errs: []FieldError{{"risks", "请选择风险类型"}},
		},
		{
			name:   "IncomeLineFromParams",
			params: Params{"income_line": 7000},
			errs:   []FieldError{{"risks", "请选择风险类型"}},
		},
		{
			name: "TwoDifferentCheckers",
			edit: func(in map[string]any) { in["checker2"] = "王干部" },
			errs: []FieldError{{"checker2", "入户核实须两人同行，两名核实人不能是同一人"}},
		},
		{
			name: "HousingNoteForUnsafeHouse",
			edit: func(in map[string]any) { in["housing_grade"] = "D" },
			errs: []FieldError{{"housing_note", "请填写危房情况说明"}},
		},
		{
			name: "DisabilityGradeWhenDisabled",
			edit: func(in map[string]any) { in["members"].([]any)[2].(map[string]any)["health"] = "残疾" },
			errs: []FieldError{{"members[2].disability", "请选择残疾等级"}},
		},
		{
			name: "AtLeastOneMember",
			edit: func(in map[string]any) { delete(in, "members") },
			// With no members the per-capita income is 0, below the line.
			errs: []FieldError{{"members", "至少填写1行"}, {"risks", "请选择风险类型"}},
			want: map[string]any{"per_capita": int64(0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := verificationInput(4)
			if tt.edit != nil {
				tt.edit(in)
			}
			out, errs := d.Validate(in, tt.params)
			if !equalErrors(errs, tt.errs) {
				t.Errorf("errors = %v, want %v", errs, FieldErrors(tt.errs))
			}
			for k, want := range tt.want {
				if out[k] != want {
					t.Errorf("%s = %#v, want %#v", k, out[k], want)
				}
			}
		})
	}
}

func equalErrors(got FieldErrors, want []FieldError) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

func TestBuiltinRules(t *testing.T) {
	tests := []struct {
		name, form string
		in         map[string]any
		errs       []FieldError
	}{
		{
			name: "PromiseOfTruthRequired", form: "application_authorization",
			in: map[string]any{"head_name": "张三", "head_id": "11010519491231002X",
				"members": []any{map[string]any{"name": "张三", "id_card": "11010519491231002X", "relation": "户主"}},
				"reason":  "因病", "channel": "12317", "promise": false, "authorize": []any{"assets", "medical"},
				"signed": true, "filled_by": "张三", "date": "2025-03-01"},
			errs: []FieldError{{"promise", "须承诺所填信息真实"}},
		},
		{
			name: "ObjectionDetailWhenObjections", form: "public_notice",
			in:   map[string]any{"level": "village", "start": "2025-03-03", "place": "村务公开栏", "objections": true},
			errs: []FieldError{{"objection_detail", "请填写异议内容及核实处理情况"}},
		},
		{
			name: "NoObjectionDetailWithoutObjections", form: "public_notice",
			in: map[string]any{"level": "village", "start": "2025-03-03", "place": "村务公开栏", "objections": false,
				"objection_detail": "无"},
		},
		{
			name: "AttendedNotAboveInvited", form: "deliberation_record",
			in: map[string]any{"meeting_type": "村民代表会议", "date": "2025-03-01", "invited": 20.0, "attended": 21.0,
				"yes": 15.0, "outcome": "通过", "recorder": "王"},
			errs: []FieldError{{"attended", "实到人数不能多于应到人数"}},
		},
		{
			name: "FindingWhenSomethingWrong", form: "department_check",
			in:   map[string]any{"department": "tax", "result": "有异常", "checked_by": "赵", "date": "2025-03-01"},
			errs: []FieldError{{"finding", "请填写异常情况"}},
		},
		{
			name: "OverrideNeedsReason", form: "asset_comparison",
			in: map[string]any{"department": "public_security", "overall": "符合", "override": true, "date": "2025-03-01",
				"items": []any{map[string]any{"member": "张三", "item": "车辆", "result": "无"}}},
			errs: []FieldError{{"override_reason", "请填写调整理由"}},
		},
		{
			name: "CategoryWhenIncluded", form: "county_decision",
			in:   map[string]any{"decision": "纳入", "date": "2025-03-01", "lead_department": "health"},
			errs: []FieldError{{"category", "请选择监测对象类别"}},
		},
		{
			name: "NoCategoryWhenNotIncluded", form: "county_decision",
			in: map[string]any{"decision": "不予纳入", "date": "2025-03-01"},
		},
		{
			name: "CommentWhenDisagreeing", form: "township_review",
			in:   map[string]any{"opinion": "不同意", "reviewer": "孙", "date": "2025-03-01"},
			errs: []FieldError{{"comment", "请填写审核说明"}},
		},
		{
			name: "ExplanationReason", form: "explanation",
			in:   map[string]any{"date": "2025-03-01"},
			errs: []FieldError{{"reason", "请填写不予纳入理由"}},
		},
		{
			name: "SendBackReasonLength", form: "send_back",
			in:   map[string]any{"reason": "不对"},
			errs: []FieldError{{"reason", "退回理由至少填写5个字"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := builtin(t, tt.form).Validate(tt.in, nil)
			if !equalErrors(errs, tt.errs) {
				t.Errorf("%s errors = %v, want %v", tt.form, errs, FieldErrors(tt.errs))
			}
		})
	}
}
