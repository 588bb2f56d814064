package forms

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Messages for values that cannot be read as their field's type.
const (
	msgInteger      = "请输入整数"
	msgMoney        = "请输入金额（元）"
	msgMoneyDecimal = "金额最多两位小数"
	msgMoneyRange   = "金额超出范围"
	msgDate         = "请输入正确的日期，如2024-05-01"
	msgBoolean      = "请选择是或否"
	msgChoice       = "不在可选项中"
	msgPhone        = "请输入正确的手机号或带区号的固定电话"
	msgFormat       = "格式不正确"
	msgAttachment   = "附件信息不完整或格式不正确，请重新上传"
	msgFiltered     = "不在当前可选范围内"
	msgNUL          = "含有无效字符"
)

// maxYuanDigits bounds the integer part of an amount so that fen always fit
// in an int64 with room to add them up; maxYuan is the first amount beyond.
const (
	maxYuanDigits = 13
	maxYuan       = 1e13
)

// normalize turns one submitted scalar into the field's stored form. It
// returns nil for an empty value and a Chinese message when the value cannot
// be read. Repeats are handled by the caller. c tells today, for dates of
// birth.
func (f *Field) normalize(raw any, c *clock) (any, string) {
	if raw == nil {
		return nil, ""
	}
	switch f.Type {
	case TypeInteger:
		return normalizeInteger(raw)
	case TypeMoney:
		return normalizeMoney(raw)
	case TypeBoolean:
		return normalizeBoolean(raw)
	case TypeDate:
		return normalizeDate(raw)
	case TypeMultiselect:
		return f.normalizeMultiselect(raw)
	case TypePhoto, TypeSignature, TypeFile:
		return f.normalizeAttachment(raw)
	}
	s, ok := scalarText(raw)
	if !ok {
		return nil, msgFormat
	}
	if s == "" {
		return nil, ""
	}
	// No one types U+0000, and PostgreSQL's jsonb cannot hold it: stored,
	// it would fail there and pass on SQLite.
	if strings.IndexByte(s, 0) >= 0 {
		return nil, msgNUL
	}
	orig, sent := raw.(string)
	// Trimming only ever shortens the text it was given.
	same := sent && len(orig) == len(s)
	switch f.Type {
	case TypeSelect:
		if !f.hasChoice(s) {
			return nil, msgChoice
		}
	case TypeIDCard:
		// A valid number has no lower-case letter for ToUpper to change,
		// so only a number that fails as written is tried in upper case.
		if msg := idCardProblem(s, c); msg != "" {
			upper := strings.ToUpper(s)
			if msg = idCardProblem(upper, c); msg != "" {
				return nil, msg
			}
			s, same = upper, sent && orig == upper
		}
	case TypePhone:
		if !ValidPhone(s) {
			return nil, msgPhone
		}
	}
	if same {
		// Already in stored form: hand back the value as it came, which
		// spares boxing the string again.
		return raw, ""
	}
	return s, ""
}

// scalarText reads a string or a number as trimmed text.
func scalarText(raw any) (string, bool) {
	switch v := raw.(type) {
	case string:
		return trimSpace(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

// trimSpace is strings.TrimSpace, quicker on what cadres type: text that
// starts and ends with a character that is no space, often a Chinese one,
// for which strings.TrimSpace takes its slow Unicode path.
func trimSpace(s string) string {
	if s == "" {
		return s
	}
	// ASCII above the space at both ends, as in numbers, dates and codes:
	// there is nothing to trim.
	if first, last := s[0], s[len(s)-1]; first > ' ' && first < utf8.RuneSelf && last > ' ' && last < utf8.RuneSelf {
		return s
	}
	if maySpace(s[0]) || maySpace(lastRuneStart(s)) {
		return strings.TrimSpace(s)
	}
	return s
}

// maySpace reports whether a rune starting with byte b may be white
// space: an ASCII space, or a lead byte of the non-ASCII ones (U+0085,
// U+00A0, U+1680, U+2000–U+205F, U+3000). A Chinese character is none.
func maySpace(b byte) bool {
	switch b {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xC2, 0xE1, 0xE2, 0xE3:
		return true
	}
	return false
}

// lastRuneStart returns the first byte of the last character of s (not
// empty), or a byte maySpace accepts when s does not end in valid UTF-8,
// which sends it to the slow path.
func lastRuneStart(s string) byte {
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return s[i]
		}
	}
	return ' '
}

func (f *Field) hasChoice(value string) bool {
	return f.choiceIndex(value) >= 0
}

// choiceIndex returns the index of the option with that value, or -1.
func (f *Field) choiceIndex(value string) int {
	for i, c := range f.Choices {
		if c.Value == value {
			return i
		}
	}
	return -1
}

func normalizeInteger(raw any) (any, string) {
	switch v := raw.(type) {
	case int:
		return int64(v), ""
	case int64:
		return v, ""
	case float64:
		// 2^63 is exactly representable; anything at or beyond it is not
		// an int64.
		if v != math.Trunc(v) || math.IsInf(v, 0) || v >= 1<<63 || v < -(1<<63) {
			return nil, msgInteger
		}
		return int64(v), ""
	}
	s, ok := scalarText(raw)
	if !ok {
		return nil, msgInteger
	}
	if s == "" {
		return nil, ""
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, msgInteger
	}
	return n, ""
}

// normalizeMoney reads yuan ("1234.5" or 1234.5) and returns fen as int64.
// Numbers go through their shortest decimal text so 0.29 stays 29 fen
// instead of 28.999….
func normalizeMoney(raw any) (any, string) {
	var s string
	switch v := raw.(type) {
	case int:
		// What parseYuan makes of the number's text, without the text.
		if v <= -maxYuan || v >= maxYuan {
			return nil, msgMoneyRange
		}
		return int64(v) * 100, ""
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, msgMoney
		}
		if v == math.Trunc(v) && v > -maxYuan && v < maxYuan {
			// A whole number of yuan: its shortest text is its digits.
			return int64(v) * 100, ""
		}
		s = strconv.FormatFloat(v, 'f', -1, 64)
	default:
		var ok bool
		if s, ok = scalarText(raw); !ok {
			return nil, msgMoney
		}
	}
	if s == "" {
		return nil, ""
	}
	fen, msg := parseYuan(s)
	if msg != "" {
		return nil, msg
	}
	return fen, ""
}

// parseYuan parses a decimal amount of yuan with at most two significant
// decimals into fen.
func parseYuan(s string) (int64, string) {
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, msgMoney
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 {
		return 0, msgMoneyDecimal
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > maxYuanDigits {
		return 0, msgMoneyRange
	}
	var fen int64
	for i := range len(whole) {
		fen = fen*10 + int64(whole[i]-'0')
	}
	for i := range 2 {
		fen *= 10
		if i < len(frac) {
			fen += int64(frac[i] - '0')
		}
	}
	if neg {
		fen = -fen
	}
	return fen, ""
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func normalizeBoolean(raw any) (any, string) {
	switch v := raw.(type) {
	case bool:
		return v, ""
	case float64:
		switch v {
		case 1:
			return true, ""
		case 0:
			return false, ""
		}
		return nil, msgBoolean
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "":
			return nil, ""
		case "true", "on", "1", "yes", "是":
			return true, ""
		case "false", "off", "0", "no", "否":
			return false, ""
		}
	}
	return nil, msgBoolean
}

// normalizeDate accepts 2006-01-02 (what a date input sends) or a full
// RFC 3339 time and stores the date part.
func normalizeDate(raw any) (any, string) {
	switch v := raw.(type) {
	case time.Time:
		return v.Format(time.DateOnly), ""
	case string:
		s := trimSpace(v)
		if s == "" {
			return nil, ""
		}
		if validDate(s) {
			// What a date input sends, checked without time.Parse, which
			// cost as much as the rest of reading a form's dates.
			if s == v {
				return raw, ""
			}
			return s, ""
		}
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			if canonicalDate(s) {
				// Formatting t would give s back, and raw holds it
				// already when there was nothing to trim.
				if s == v {
					return raw, ""
				}
				return s, ""
			}
			return t.Format(time.DateOnly), ""
		}
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.Format(time.DateOnly), ""
		}
	}
	return nil, msgDate
}

// validDate reports whether s is a date in the exact shape time.DateOnly
// formats to (yyyy-mm-dd, digits only) and names a day of the calendar:
// then time.Parse would accept it and formatting would give s back.
func validDate(s string) bool {
	if !canonicalDate(s) {
		return false
	}
	year := atoiDigits(s[:4])
	month, d := atoiDigits(s[5:7]), atoiDigits(s[8:])
	return month >= 1 && month <= 12 && d >= 1 && d <= daysIn(time.Month(month), year)
}

// atoiDigits reads a string of ASCII digits.
func atoiDigits(s string) int {
	n := 0
	for i := range len(s) {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// canonicalDate reports whether s has the shape time.DateOnly formats to,
// digits only: time.Parse also takes a signed year ("+202-03-01").
func canonicalDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:])
}

// normalizeMultiselect accepts a list or a single value and returns the
// chosen values once each, in the order of the choice list.
func (f *Field) normalizeMultiselect(raw any) (any, string) {
	// Most choice lists are short: their flags fit on the stack.
	var small [32]bool
	chosen := small[:0]
	if len(f.Choices) <= len(small) {
		chosen = small[:len(f.Choices)]
	} else {
		chosen = make([]bool, len(f.Choices))
	}
	n := 0
	choose := func(s string) string {
		s = trimSpace(s)
		if s == "" {
			return ""
		}
		i := f.choiceIndex(s)
		if i < 0 {
			return msgChoice
		}
		if !chosen[i] {
			chosen[i] = true
			n++
		}
		return ""
	}
	switch v := raw.(type) {
	case []string:
		for _, s := range v {
			if msg := choose(s); msg != "" {
				return nil, msg
			}
		}
	case []any:
		for _, x := range v {
			s, ok := scalarText(x)
			if !ok {
				return nil, msgChoice
			}
			if msg := choose(s); msg != "" {
				return nil, msg
			}
		}
	default:
		s, ok := scalarText(raw)
		if !ok {
			return nil, msgFormat
		}
		if msg := choose(s); msg != "" {
			return nil, msg
		}
	}
	if n == 0 {
		return nil, ""
	}
	out := make([]string, 0, n)
	for i, c := range f.Choices {
		if chosen[i] {
			out = append(out, c.Value)
		}
	}
	return out, ""
}
