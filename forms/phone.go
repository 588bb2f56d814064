package forms

import "strings"

// ValidPhone reports whether s is a mainland China phone number: a mobile
// number 1[3-9]xxxxxxxxx, or a landline with its area code — 010, 02x or a
// 4-digit 0xxx — then an optional '-' or space, a 7 or 8 digit local number
// not starting with 0 or 1, and an optional "-extension" of up to 6 digits.
func ValidPhone(s string) bool {
	if len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && allDigits(s) {
		return true
	}
	return validLandline(s)
}

func validLandline(s string) bool {
	if len(s) < 4 || s[0] != '0' || s[1] == '0' {
		return false
	}
	areaLen := 4
	if s[1] == '1' || s[1] == '2' {
		areaLen = 3
	}
	if !allDigits(s[:areaLen]) || s[1] == '1' && s[2] != '0' {
		return false
	}
	rest := s[areaLen:]
	if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, " ") {
		rest = rest[1:]
	}
	local, ext, hasExt := strings.Cut(rest, "-")
	if hasExt && (len(ext) == 0 || len(ext) > 6 || !allDigits(ext)) {
		return false
	}
	return (len(local) == 7 || len(local) == 8) && allDigits(local) && local[0] >= '2'
}
