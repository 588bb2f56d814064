package forms

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// verificationVariants are submissions of 入户核实表 of different sizes and
// shapes, valid or not, so that a pooled scratch serves records of every
// size and leftovers of one would show in the next.
func verificationVariants() []map[string]any {
	var out []map[string]any
	for n := 1; n <= 6; n++ {
		out = append(out, verificationInput(n))
	}
	bad := verificationInput(6)
	bad["members"].([]any)[2].(map[string]any)["age"] = "很老"
	bad["members"].([]any)[4] = "not a row"
	bad["checker2"] = bad["checker1"]
	bad["wage"] = "1.234"
	out = append(out, bad)
	dropped := verificationInput(3)
	dropped["housing_grade"] = "D"
	dropped["members"].([]any)[0].(map[string]any)["health"] = "残疾"
	dropped["members"].([]any)[1].(map[string]any)["labour"] = "无劳动力"
	out = append(out, dropped)
	out = append(out, map[string]any{}, nil)
	return out
}

type validated struct {
	out  map[string]any
	errs FieldErrors
}

// TestValidateReusesScratchCleanly validates submissions one after the
// other with one definition, whose pooled scratch then serves them all,
// and compares each result with that of a definition that never
// validated anything.
func TestValidateReusesScratchCleanly(t *testing.T) {
	shared := builtin(t, "household_verification")
	params := Params{"income_line": 7000}
	for round := range 3 {
		for i, in := range verificationVariants() {
			out, errs := shared.Validate(in, params)
			wantOut, wantErrs := builtin(t, "household_verification").Validate(in, params)
			if !reflect.DeepEqual(out, wantOut) || !reflect.DeepEqual(errs, wantErrs) {
				t.Errorf("round %d, submission %d: got %v %v, want %v %v", round, i, out, errs, wantOut, wantErrs)
			}
		}
	}
}

// TestValidateVerificationConcurrently validates submissions of every
// shape from several goroutines with one shared definition; run with
// -race.
func TestValidateVerificationConcurrently(t *testing.T) {
	d := builtin(t, "household_verification")
	variants := verificationVariants()
	want := make([]validated, len(variants))
	for i, in := range variants {
		out, errs := builtin(t, "household_verification").Validate(in, nil)
		want[i] = validated{out, errs}
	}
	const goroutines, rounds = 8, 25
	var wg sync.WaitGroup
	failures := make(chan string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				i := (g + r) % len(variants)
				out, errs := d.Validate(variants[i], nil)
				if !reflect.DeepEqual(validated{out, errs}, want[i]) {
					failures <- fmt.Sprintf("goroutine %d, submission %d: got %v %v, want %v %v", g, i, out, errs, want[i].out, want[i].errs)
					return
				}
			}
		})
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}
