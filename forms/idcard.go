package forms

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Messages for a 身份证号 that is not valid.
const (
	msgIDCardLength   = "身份证号应为18位"
	msgIDCardFormat   = "身份证号格式不正确"
	msgIDCardBirth    = "身份证号中的出生日期不正确"
	msgIDCardChecksum = "身份证号校验位不正确"
)

// ValidIDCard reports whether s is a valid 18-character 居民身份证号码
// (GB 11643-1999): 17 digits with a plausible birth date at positions 7–14
// and the ISO 7064 MOD 11-2 check character, where 'X' stands for 10.
func ValidIDCard(s string) bool {
	return idCardProblem(s, nil) == ""
}

// idCardProblem says what is wrong with s, or "" when it is valid. The
// date of birth may not be after c's today.
func idCardProblem(s string, c *clock) string {
	if len(s) != 18 {
		return msgIDCardLength
	}
	// One pass checks the digits and sums them for the check character.
	sum := 0
	for i := range 17 {
		d := s[i] - '0'
		if d > 9 {
			return msgIDCardFormat
		}
		sum += int(d) * int(idCardWeights[i])
	}
	if !(s[17] == 'X' || s[17] >= '0' && s[17] <= '9') {
		return msgIDCardFormat
	}
	if !plausibleBirth(s[6:14], c) {
		return msgIDCardBirth
	}
	if idCardChecks[sum%11] != s[17] {
		return msgIDCardChecksum
	}
	return ""
}

// idCardWeights weigh the first 17 digits, one byte each; the weighted sum
// modulo 11 picks the check character from idCardChecks.
const (
	idCardWeights = "\x07\x09\x0a\x05\x08\x04\x02\x01\x06\x03\x07\x09\x0a\x05\x08\x04\x02"
	idCardChecks  = "10X98765432"
)

// idCardCheck computes the check character of the first 17 digits.
func idCardCheck(digits string) byte {
	sum := 0
	for i := range 17 {
		sum += int(digits[i]-'0') * int(idCardWeights[i])
	}
	return idCardChecks[sum%11]
}

// plausibleBirth accepts a real calendar date from 1900 up to c's today
// (UTC), given as eight digits. It reads the digits itself: time.Parse
// costs more than the rest of a 身份证号's checks together.
func plausibleBirth(yyyymmdd string, c *clock) bool {
	if len(yyyymmdd) != 8 || !allDigits(yyyymmdd) {
		return false
	}
	year, month, day := atoiDigits(yyyymmdd[:4]), time.Month(atoiDigits(yyyymmdd[4:6])), atoiDigits(yyyymmdd[6:])
	if year < 1900 || month < time.January || month > time.December || day < 1 || day > daysIn(month, year) {
		return false
	}
	// Midnight UTC of the date is not after now when the date is not
	// after today's.
	return year*10000+int(month)*100+day <= c.today()
}

// clock reads the time when first asked and keeps it: a validation checks
// every 身份证号's date of birth against the same today, and on some
// machines reading the clock costs more than the rest of the check. A nil
// clock reads the time whenever asked.
type clock struct {
	day int // today in UTC as yyyymmdd; 0 until read
}

// clockAt is a clock whose today is t's date in UTC.
func clockAt(t time.Time) clock {
	y, m, d := t.UTC().Date()
	return clock{day: y*10000 + int(m)*100 + d}
}

// today returns the date in UTC as the number yyyymmdd.
func (c *clock) today() int {
	if c != nil && c.day != 0 {
		return c.day
	}
	now := clockAt(time.Now())
	if c != nil {
		*c = now
	}
	return now.day
}

// daysIn is the number of days of the month in the Gregorian calendar.
func daysIn(m time.Month, year int) int {
	if m == time.February && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 29
	}
	// One byte a month, in a constant: an array literal is built afresh
	// on every call, and dates are checked for every 身份证号 and date.
	const days = "\x1f\x1c\x1f\x1e\x1f\x1e\x1f\x1f\x1e\x1f\x1e\x1f"
	return int(days[m-1])
}

// MaskIDCard hides a 身份证号 for lists and notices: the first 3 and last 4
// characters stay, the rest become '*' ("110***********1234"). Shorter input
// is starred except its last 4 characters, and input of 4 characters or
// fewer entirely, so no input ever comes back whole.
func MaskIDCard(s string) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	if n <= 4 {
		return strings.Repeat("*", n)
	}
	runes := []rune(s)
	keepHead := 0
	if n >= 18 {
		keepHead = 3
	}
	return string(runes[:keepHead]) + strings.Repeat("*", n-keepHead-4) + string(runes[n-4:])
}
