package ui

import (
	"net/url"
	"strconv"
	"strings"
)

// This file keeps track of the rows of repeat fields across posts without
// script: the page posts how many rows it showed ("_rows.members"), and the
// add and remove buttons post which repeat or row they act on. All of it is
// untrusted input, so every count is clamped.

// rowBounds returns the fewest and most rows a repeat may show.
func rowBounds(least, most *int) (lo, hi int) {
	hi = maxRows
	if most != nil && *most >= 0 && *most < hi {
		hi = *most
	}
	if least != nil && *least > 0 {
		lo = *least
	}
	if lo > hi {
		lo = hi
	}
	return lo, hi
}

// rowCount is the number of rows to draw for the repeat at path: max(min,1)
// on first display, else as many as the page posted, plus one when its add
// button was pressed.
func rowCount(posted url.Values, path string, least, most *int, add bool) int {
	lo, hi := rowBounds(least, most)
	n := max(lo, 1)
	if posted != nil {
		n = postedRows(posted, path)
	}
	if add {
		n++
	}
	return clamp(n, lo, hi)
}

// postedRows reads the row count the page posted for a repeat, or when it
// is missing, counts the row indices among the posted names.
func postedRows(posted url.Values, path string) int {
	if s := posted.Get(rowsPrefix + path); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return clamp(n, 0, maxRows)
		}
	}
	n := 0
	for key := range posted {
		if i, ok := rowIndex(key, path); ok && i < maxRows && i+1 > n {
			n = i + 1
		}
	}
	return n
}

// rowIndex returns i when key names a field of row i of the repeat at path
// ("members[3].name" for "members").
func rowIndex(key, path string) (int, bool) {
	rest, ok := strings.CutPrefix(key, path+"[")
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(digits)
	if err != nil || i < 0 {
		return 0, false
	}
	return i, true
}

// splitRow splits a row path "members[1]" (or "a[0].b[2]") into its
// repeat's path and index.
func splitRow(row string) (path string, index int, ok bool) {
	open := strings.LastIndexByte(row, '[')
	if open <= 0 || !strings.HasSuffix(row, "]") {
		return "", 0, false
	}
	i, err := strconv.Atoi(row[open+1 : len(row)-1])
	if err != nil || i < 0 {
		return "", 0, false
	}
	return row[:open], i, true
}

// removeRow returns the posted values with one row of a repeat taken out
// and the rows after it moved up, so the page redraws without it.
func removeRow(posted url.Values, row string) url.Values {
	path, k, ok := splitRow(row)
	if !ok {
		return posted
	}
	out := make(url.Values, len(posted))
	for key, vals := range posted {
		if key == removeField {
			continue
		}
		name, isCount := strings.CutPrefix(key, rowsPrefix)
		name, keep := shiftRow(name, path, k)
		if !keep {
			continue
		}
		if isCount {
			name = rowsPrefix + name
		}
		out[name] = append(out[name], vals...)
	}
	if s := out.Get(rowsPrefix + path); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			out.Set(rowsPrefix+path, strconv.Itoa(n-1))
		}
	}
	return out
}

// shiftRow renames a posted name when row k of the repeat at path is
// removed: names in row k go, names in later rows move up by one.
func shiftRow(name, path string, k int) (string, bool) {
	i, ok := rowIndex(name, path)
	if !ok {
		return name, true
	}
	switch {
	case i == k:
		return "", false
	case i < k:
		return name, true
	}
	_, rest, _ := strings.Cut(name[len(path)+1:], "]")
	return path + "[" + strconv.Itoa(i-1) + "]" + rest, true
}

// submittedValues drops the page's own controls so the definition decodes
// only its fields.
func submittedValues(posted url.Values) map[string][]string {
	out := make(map[string][]string, len(posted))
	for k, v := range posted {
		if k == versionField || strings.HasPrefix(k, "_") {
			continue
		}
		out[k] = v
	}
	return out
}

func clamp(n, lo, hi int) int {
	if n < lo {
		return lo
	}
	if n > hi {
		return hi
	}
	return n
}
