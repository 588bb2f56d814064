package sheets

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"

	"jianfu/forms"
)

// Values turns one row into the input map the form engine validates, in
// the shapes forms.Definition.DecodeValues gives for an HTML post: a
// string per field, []string for a multiselect, bool for a boolean. It
// does not validate; it undoes what spreadsheets do to values so that the
// engine sees what the user meant:
//
//   - dates written "2026/11/3", "2026-11-03", "2026.11.3", "2026年11月3日",
//     "20261103", with a time after them, or stored as an Excel serial
//     number ("46329") become "2026-11-03";
//   - numbers lose thousands separators, a currency sign and a trailing 元
//     ("¥1,234.50元" → "1234.50"), "(12.00)" is -12.00, Excel's binary
//     noise ("1234.5600000000002") is rounded to the 15 digits Excel shows,
//     and an integer field's "3.00" is 3;
//   - full-width digits and letters in dates, numbers, 身份证号 and phone
//     numbers become ASCII;
//   - a select takes an option's value or its label; a multiselect splits
//     on 、,，;；| and newlines;
//   - a boolean takes 是/否, true/false, 1/0, yes/no, on/off.
//
// A cell that cannot be read is passed on as text, so the engine reports it
// in its own words. Blank and missing cells are left out of the map, so the
// field's default or prefill applies, and a required one is reported as
// missing; unlike a checkbox, a blank boolean cell does not mean 否.
func (c *Columns) Values(row Row) map[string]any {
	out := make(map[string]any, len(c.Mapped))
	for _, col := range c.Mapped {
		if col.Index >= len(row.Cells) {
			continue
		}
		if v, ok := cellValue(col.Field, row.Cells[col.Index], row.date1904); ok {
			out[col.Field.Name] = v
		}
	}
	return out
}

// ExtraValues returns the cells of the extra columns by header, blank ones
// left out.
func (c *Columns) ExtraValues(row Row) map[string]string {
	out := make(map[string]string, len(c.Extra))
	for _, col := range c.Extra {
		if col.Index < len(row.Cells) {
			if v := strings.TrimSpace(row.Cells[col.Index]); v != "" {
				out[col.Header] = v
			}
		}
	}
	return out
}

// cellValue reads one cell for f; ok is false for a blank cell.
func cellValue(f *forms.Field, cell string, date1904 bool) (any, bool) {
	s := strings.TrimSpace(cell)
	if s == "" {
		return nil, false
	}
	switch f.Type {
	case forms.TypeDate:
		return dateText(narrow(s), date1904), true
	case forms.TypeInteger:
		return wholeNumber(numberText(narrow(s))), true
	case forms.TypeMoney:
		return numberText(narrow(s)), true
	case forms.TypeIDCard:
		return strings.ReplaceAll(narrow(s), " ", ""), true
	case forms.TypePhone:
		return narrow(s), true
	case forms.TypeBoolean:
		if b, ok := boolText(s); ok {
			return b, true
		}
		return s, true
	case forms.TypeSelect:
		return choiceValue(f, s), true
	case forms.TypeMultiselect:
		return choiceValues(f, s), true
	}
	return s, true
}

// narrow folds full-width characters (１２３, ／, ．) to ASCII. ASCII text,
// the common case, is returned as it is.
func narrow(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return width.Narrow.String(s)
		}
	}
	return s
}

// Excel serial dates: day 1 is 1900-01-01, and day 60 is the 1900-02-29
// Lotus 1-2-3 believed in, so later days count from 1899-12-30. In the
// 1904 system day 0 is 1904-01-01. 2958465 is 9999-12-31.
const maxSerial = 2958465

// dateText normalizes a date to YYYY-MM-DD, or returns s unchanged when it
// is not one.
func dateText(s string, date1904 bool) string {
	if y, m, d, ok := ymd(s); ok {
		if t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC); t.Year() == y && int(t.Month()) == m && t.Day() == d {
			return t.Format(time.DateOnly)
		}
		return s
	}
	if t, ok := serialDate(s, date1904); ok {
		return t.Format(time.DateOnly)
	}
	return s
}

// ymd reads year, month and day written with -, /, . or 年月日, or as
// eight digits, and ignores a time that follows after a space or "T".
func ymd(s string) (y, m, d int, ok bool) {
	if len(s) == 8 && allDigits(s) {
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
		return y, m, d, true
	}
	var rest string
	if y, rest, ok = number(s, 4, 4); !ok {
		return 0, 0, 0, false
	}
	if rest, ok = cutAny(rest, "-", "/", ".", "年"); !ok {
		return 0, 0, 0, false
	}
	if m, rest, ok = number(rest, 1, 2); !ok {
		return 0, 0, 0, false
	}
	if rest, ok = cutAny(rest, "-", "/", ".", "月"); !ok {
		return 0, 0, 0, false
	}
	if d, rest, ok = number(rest, 1, 2); !ok {
		return 0, 0, 0, false
	}
	rest, _ = cutAny(rest, "日", "号")
	if rest != "" && rest[0] != ' ' && rest[0] != 'T' {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// number reads between least and most leading digits of s.
func number(s string, least, most int) (int, string, bool) {
	n := 0
	for n < len(s) && n < most && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n < least || n < len(s) && s[n] >= '0' && s[n] <= '9' {
		return 0, s, false
	}
	v, _ := strconv.Atoi(s[:n])
	return v, s[n:], true
}

// cutAny removes one of the prefixes from s.
func cutAny(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

// serialDate reads an Excel serial date; a fraction is the time of day
// and dropped. A four-digit whole number from 1900 to 2100 is taken for a
// year, not for a day in 1905, and refused.
func serialDate(s string, date1904 bool) (time.Time, bool) {
	if len(s) == 4 && allDigits(s) && s >= "1900" && s <= "2100" {
		return time.Time{}, false
	}
	if !numeric(s) || strings.ContainsAny(s, "eE+-") {
		return time.Time{}, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 1 || v >= maxSerial+1 {
		return time.Time{}, false
	}
	days := int(math.Floor(v))
	switch {
	case date1904:
		return time.Date(1904, 1, 1+days, 0, 0, 0, 0, time.UTC), true
	case days < 60:
		return time.Date(1899, 12, 31+days, 0, 0, 0, 0, time.UTC), true
	case days == 60:
		return time.Time{}, false // 1900-02-29 never was
	}
	return time.Date(1899, 12, 30+days, 0, 0, 0, 0, time.UTC), true
}

// numberText strips what spreadsheets add to numbers, or returns s
// unchanged when the rest is not a number.
func numberText(s string) string {
	t := strings.Map(func(r rune) rune {
		switch r {
		case ',', '，', ' ', '\u00A0', '\u2009', '\u202F':
			return -1
		}
		return r
	}, s)
	t = strings.TrimLeft(t, "¥￥")
	t = strings.TrimSuffix(t, "元")
	if inner, ok := strings.CutPrefix(t, "("); ok {
		if inner, ok = strings.CutSuffix(inner, ")"); ok && !strings.HasPrefix(inner, "-") {
			t = "-" + inner
		}
	}
	if !numeric(t) {
		return s
	}
	return excelDigits(t)
}

// wholeNumber drops a fraction of zeros, which a number format such as
// "0.00" adds to counts in a CSV export: "3.00" is 3.
func wholeNumber(s string) string {
	whole, frac, ok := strings.Cut(s, ".")
	if ok && whole != "" && numeric(s) && strings.Trim(frac, "0") == "" {
		return whole
	}
	return s
}

// excelDigits rounds a number with more than the 15 significant digits
// Excel keeps, or an exponent, to what Excel shows: a formula's
// 1234.5600000000002 is 1234.56. Other numbers keep their text, trailing
// zeros included.
func excelDigits(s string) string {
	if !strings.ContainsAny(s, "eE") && significantDigits(s) <= 15 {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return s
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func significantDigits(s string) int {
	digits := strings.TrimLeft(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s), "0")
	return len(digits)
}

// numeric reports whether s is a decimal number, perhaps signed, with an
// exponent: what strconv.ParseFloat takes, minus Inf, NaN, hex and _.
func numeric(s string) bool {
	s = strings.TrimLeft(s, "+-")
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return false
	}
	if hasExp {
		exp = strings.TrimLeft(exp, "+-")
		return exp != "" && allDigits(exp)
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// boolText reads the words forms accepts for a boolean, and TRUE/FALSE
// from Excel.
func boolText(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "是", "true", "1", "yes", "on":
		return true, true
	case "否", "false", "0", "no", "off":
		return false, true
	}
	return false, false
}

// choiceValue returns the value of the option s names by value or label,
// or s when none.
func choiceValue(f *forms.Field, s string) string {
	for _, c := range f.Choices {
		if c.Value == s {
			return s
		}
	}
	for _, c := range f.Choices {
		if c.Label == s {
			return c.Value
		}
	}
	return s
}

// choiceValues splits a multiselect cell and reads each part as a choice.
func choiceValues(f *forms.Field, s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '、', ',', '，', ';', '；', '|', '\n', '\r':
			return true
		}
		return false
	})
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, choiceValue(f, p))
		}
	}
	return out
}
