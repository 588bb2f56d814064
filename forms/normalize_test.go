package forms

import (
	"strings"
	"testing"
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
