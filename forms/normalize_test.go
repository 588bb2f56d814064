package forms

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestTrimSpaceMatchesStrings checks the fast path of trimSpace against
// strings.TrimSpace with every character of the Basic Multilingual Plane
// (where all white space is) and a sample of the others at either end of
// the text, and with every byte, for text that is not valid UTF-8.
func TestTrimSpaceMatchesStrings(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r > 0xFFFF {
			r += 997
		}
		c := string(r)
		check(c)
		check("户主" + c)
		check(c + "户主")
		check("a" + c + "b")
	}
	for b := 0; b < 256; b++ {
		c := string([]byte{byte(b)})
		check(c)
		check("户主" + c)
		check(c + "户主")
		check("\xe6\x88" + c)
		check(c + "\x88\xb7")
	}
}

func FuzzTrimSpace(f *testing.F) {
	for _, s := range []string{"", " 甲 ", "\u3000张三\u3000", "a\u00a0", "\xe2\x80", "户\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestNormalizeDateMatchesTimeParse checks the fast path of normalizeDate
// against what time.Parse accepts and formats, over every day of a leap
// and a common year's shape with month and day one past their range, and
// over shapes the fast path must leave to time.Parse.
func TestNormalizeDateMatchesTimeParse(t *testing.T) {
	want := func(s string) (any, string) {
		if tm, err := time.Parse(time.DateOnly, s); err == nil {
			return tm.Format(time.DateOnly), ""
		}
		if tm, err := time.Parse(time.RFC3339, s); err == nil {
			return tm.Format(time.DateOnly), ""
		}
		return nil, msgDate
	}
	var inputs []string
	for _, year := range []int{0, 1900, 2000, 2023, 2024, 2100, 9999} {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				inputs = append(inputs, fmt.Sprintf("%04d-%02d-%02d", year, month, day))
			}
		}
	}
	inputs = append(inputs, "2026-9-01", "2026-09-1", "+202-03-01", "2026-09-01T10:00:00+08:00", "２０２６-09-01",
		"2026/09/01", "2026-09-01 ", "20260901", "2026-0a-01")
	for _, s := range inputs {
		got, gotMsg := normalizeDate(s)
		exp, expMsg := want(strings.TrimSpace(s))
		if got != exp || gotMsg != expMsg {
			t.Errorf("normalizeDate(%q) = %v, %q; want %v, %q", s, got, gotMsg, exp, expMsg)
		}
	}
}

// TestNormalizeMultiselectManyChoices covers a choice list longer than the
// flags kept on the stack.
func TestNormalizeMultiselectManyChoices(t *testing.T) {
	for _, n := range []int{1, 32, 33, 80} {
		f := &Field{Name: "m", Type: TypeMultiselect}
		for i := range n {
			f.Choices = append(f.Choices, Choice{Value: fmt.Sprintf("c%d", i)})
		}
		last := fmt.Sprintf("c%d", n-1)
		got, msg := f.normalizeMultiselect([]any{last, "c0", last})
		want := []string{"c0"}
		if n > 1 {
			want = append(want, last)
		}
		if msg != "" || !slices.Equal(got.([]string), want) {
			t.Errorf("%d choices: normalizeMultiselect = %v, %q; want %v", n, got, msg, want)
		}
		if _, msg := f.normalizeMultiselect([]any{fmt.Sprintf("c%d", n)}); msg != msgChoice {
			t.Errorf("%d choices: unknown choice gave %q, want %q", n, msg, msgChoice)
		}
	}
}

// TestNormalizeMoneyNumbersAsText checks the shortcut for numbers against
// reading their shortest text, which is what an amount sent as a number
// means: same fen, same message.
func TestNormalizeMoneyNumbersAsText(t *testing.T) {
	ints := []int{0, 1, -1, 3000, 9_999_999_999_999, -9_999_999_999_999, 10_000_000_000_000,
		-10_000_000_000_000, math.MaxInt, math.MinInt}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 1000.5, 0.29, -0.01, 0.125, 1e-9, 3000,
		9_999_999_999_999, -9_999_999_999_999, 1e13, -1e13, 1e15, 1e300, math.MaxFloat64}
	check := func(n any, text string) {
		t.Helper()
		gotVal, gotMsg := normalizeMoney(n)
		wantVal, wantMsg := normalizeMoney(text)
		if gotVal != wantVal || gotMsg != wantMsg {
			t.Errorf("normalizeMoney(%v) = %v, %q; its text %q gives %v, %q", n, gotVal, gotMsg, text, wantVal, wantMsg)
		}
	}
	for _, n := range ints {
		check(n, strconv.Itoa(n))
	}
	for _, x := range floats {
		check(x, strconv.FormatFloat(x, 'f', -1, 64))
	}
}
