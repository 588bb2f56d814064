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
	return idCardProblem(s) == ""
}

// idCardProblem says what is wrong with s, or "" when it is valid.
func idCardProblem(s string) string {
	if len(s) != 18 {
		return msgIDCardLength
	}
	if !allDigits(s[:17]) || !(s[17] == 'X' || s[17] >= '0' && s[17] <= '9') {
		return msgIDCardFormat
	}
	if !plausibleBirth(s[6:14]) {
		return msgIDCardBirth
	}
	if idCardCheck(s[:17]) != s[17] {
		return msgIDCardChecksum
	}
	return ""
}

// idCardCheck computes the check character of the first 17 digits.
func idCardCheck(digits string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(digits[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// plausibleBirth accepts a real calendar date from 1900 up to today.
func plausibleBirth(yyyymmdd string) bool {
	t, err := time.Parse("20060102", yyyymmdd)
	if err != nil {
		return false
	}
	return t.Year() >= 1900 && !t.After(time.Now())
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
