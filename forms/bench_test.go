package forms

import "testing"

// BenchmarkValidateVerification validates a complete 入户核实表 for a
// household of six, the commonest heavy submission.
func BenchmarkValidateVerification(b *testing.B) {
	d := builtin(b, "household_verification")
	in := verificationInput(6)
	in["risks"] = []any{"因病", "因学"}
	if _, errs := d.Validate(in, nil); errs != nil {
		b.Fatalf("benchmark input is invalid: %v", errs)
	}
	params := Params{"income_line": 6320}
	b.ReportAllocs()
	for b.Loop() {
		d.Validate(in, params)
	}
}
