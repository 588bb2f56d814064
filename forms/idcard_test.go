package forms

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestValidIDCard(t *testing.T) {
	// Check characters below were computed with GB 11643's weights
	// (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 → "10X98765432").
	tests := []struct {
		name string
		id   string
		want bool
	}{
		{"CheckCharacterX", "11010519491231002X", true},
		{"CheckDigit3", "110101199003071233", true},
		{"CheckDigit8", "440304198510150018", true},
		{"LeapDayBirth", "510107200002294572", true},
		{"CheckDigit0", "630102202012310032", true},
		{"LowercaseXNotCanonical", "11010519491231002x", false},
		{"WrongCheckDigit", "110101199003071234", false},
		{"WrongCheckCharacter", "110105194912310038"[:17] + "X", false},
		{"TooShort", "11010519491231002", false},
		{"TooLong", "11010519491231002X1", false},
		{"LetterInBody", "1101051949123A002X", false},
		{"MonthThirteen", "110105194913310021", false},
		{"NotALeapYear", "510107200102294572", false},
		{"BornBefore1900", "110105189912310021", false},
		{"BornInTheFuture", "110105299912310021", false},
		{"Empty", "", false},
		{"FullWidthDigits", "１１０１０５１９４９１２３１００２X", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidIDCard(tt.id); got != tt.want {
				t.Errorf("ValidIDCard(%q) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}

func TestIDCardProblemMessages(t *testing.T) {
	tests := []struct{ id, want string }{
		{"1101051949", msgIDCardLength},
		{"1101051949123A002X", msgIDCardFormat},
		{"110105194913310021", msgIDCardBirth},
		{"110101199003071234", msgIDCardChecksum},
		{"110101199003071233", ""},
	}
	for _, tt := range tests {
		if got := idCardProblem(tt.id, nil); got != tt.want {
			t.Errorf("idCardProblem(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestMaskIDCard(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"EighteenDigits", "110101199003071234", "110***********1234"},
		{"CheckCharacterKept", "11010519491231002X", "110***********002X"},
		{"ShorterStarredButLastFour", "12345678", "****5678"},
		{"FourOrFewerAllStars", "1234", "****"},
		{"ThreeAllStars", "123", "***"},
		{"Empty", "", ""},
		{"Runes", "张三李四王五", "**李四王五"},
		{"Longer", "11010519900307123456", "110*************3456"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskIDCard(tt.in); got != tt.want {
				t.Errorf("MaskIDCard(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		phone string
		want  bool
	}{
		{"13800138000", true},
		{"19912345678", true},
		{"010-65123456", true},
		{"010-12345678", false}, // local numbers do not start with 1
		{"01065123456", true},
		{"0571-8888666", true},
		{"0571 88886666", true},
		{"021-62345678-123", true},
		{"12800138000", false},
		{"1380013800", false},
		{"138001380000", false},
		{"0571-888866", false},
		{"0571-08886666", false},
		{"011-65123456", false},
		{"000-65123456", false},
		{"0571-88886666-1234567", false},
		{"010--65123456", false},
		{"0571-88886666-", false},
		{"+8613800138000", false},
		{"", false},
		{"电话", false},
	}
	for _, tt := range tests {
		if got := ValidPhone(tt.phone); got != tt.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.phone, got, tt.want)
		}
	}
}

func FuzzIDCard(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110101199003071234", "", "1234", "张三", "11010519491331002X", "*0000", "110***********1234"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidIDCard(s) {
			if len(s) != 18 || idCardCheck(s[:17]) != s[17] {
				t.Errorf("ValidIDCard(%q) = true for a number without its check character", s)
			}
		}
		m := MaskIDCard(s)
		n := utf8.RuneCountInString(s)
		if utf8.ValidString(s) && utf8.RuneCountInString(m) != n {
			t.Errorf("MaskIDCard(%q) = %q changed the length", s, m)
		}
		// Only the last four characters may come back as they were (and
		// the first three of a full-length number): an input whose other
		// characters are stars already is its own mask.
		head := 0
		if n >= 18 {
			head = 3
		}
		if r := []rune(s); n > 0 && m == s && strings.Trim(string(r[min(head, n):max(n-4, 0)]), "*") != "" {
			t.Errorf("MaskIDCard(%q) returned the input unmasked", s)
		}
		if n >= 18 && strings.Count(m, "*") < n-7 {
			t.Errorf("MaskIDCard(%q) = %q shows more than 7 characters", s, m)
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"13800138000", "010-12345678", "0571 88886666-12", "", "0", "0-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidPhone(s) && len(s) > 0 && s[0] != '0' && s[0] != '1' {
			t.Errorf("ValidPhone(%q) = true for a number starting with neither 0 nor 1", s)
		}
	})
}

// TestPlausibleBirthAgreesWithTimeParse checks the hand-written date reader
// against time.Parse, which it replaces, on every month and day number of
// the years around the limits (1900, leap years, today).
func TestPlausibleBirthAgreesWithTimeParse(t *testing.T) {
	byParse := func(s string) bool {
		d, err := time.Parse("20060102", s)
		return err == nil && d.Year() >= 1900 && !d.After(time.Now())
	}
	years := []int{0, 1000, 1896, 1899, 1900, 1904, 1949, 2000, 2001, 2024, 2100, 9999}
	for y := time.Now().Year() - 1; y <= time.Now().Year()+1; y++ {
		years = append(years, y)
	}
	for _, y := range years {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				s := fmt.Sprintf("%04d%02d%02d", y, m, d)
				if got, want := plausibleBirth(s, nil), byParse(s); got != want {
					t.Errorf("plausibleBirth(%s) = %v, time.Parse says %v", s, got, want)
				}
			}
		}
	}
	for _, s := range []string{"", "1990010", "199001011", "+1990101", "1990 101", "１９９００１０１"} {
		if got, want := plausibleBirth(s, nil), byParse(s); got != want {
			t.Errorf("plausibleBirth(%q) = %v, time.Parse says %v", s, got, want)
		}
	}
}

// TestIDCardBirthAgainstClock checks dates of birth against a
// validation's clock, which reads the time once and keeps it.
func TestIDCardBirthAgainstClock(t *testing.T) {
	c := &clock{day: 20000101}
	id := func(birth string) string {
		body := "110105" + birth + "002"
		return body + string(idCardCheck(body))
	}
	tests := []struct {
		birth, want string
	}{
		{"19991231", ""},
		{"20000101", ""},
		{"20000102", msgIDCardBirth},
	}
	for _, tt := range tests {
		if got := idCardProblem(id(tt.birth), c); got != tt.want {
			t.Errorf("born %s, clock at %d: %q, want %q", tt.birth, c.day, got, tt.want)
		}
	}
	var fresh clock
	before := time.Now().UTC().Format("20060102")
	first := fresh.today()
	if got := strconv.Itoa(first); got < before || fresh.today() != first {
		t.Errorf("clock gave %d, then %d; want today (%s), kept", first, fresh.today(), before)
	}
}

// TestValidateUsesTheCallersClock checks that a submission is judged on the
// day the caller says it is (the service's clock, faked in the demo and in
// tests), not on the machine's: a 身份证号 of someone born on 2026-10-01
// is refused on 2026-09-30 and accepted on 2026-10-01.
func TestValidateUsesTheCallersClock(t *testing.T) {
	d, errs := Parse("clock.yaml", []byte("id: clock\ntitle: 时钟\nfields:\n  - {name: id, type: id_card, label: 身份证号, required: true}\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	body := "11010520261001002"
	in := map[string]any{"id": body + string(idCardCheck(body))}
	cst := time.FixedZone("CST", 8*3600)
	for _, tt := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 9, 30, 12, 0, 0, 0, cst), msgIDCardBirth},
		{time.Date(2026, 10, 1, 12, 0, 0, 0, cst), ""},
	} {
		_, problems := d.ValidateWith(in, Context{Now: tt.now})
		got := ""
		if len(problems) > 0 {
			got = problems[0].Message
		}
		if got != tt.want {
			t.Errorf("on %v: %q, want %q", tt.now, got, tt.want)
		}
	}
}
