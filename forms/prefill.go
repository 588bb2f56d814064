package forms

import (
	"strconv"
)

// Prefill sources are read twice: by a page, to show the values before the
// cadre types (Prefilled), and by validation, for what the client left
// empty (readPrefilled, readRows). Both read the same Context.

// UsesPrefill reports whether any field of the form has `prefill:`.
func (d *Definition) UsesPrefill() bool { return len(d.prefilled) > 0 }

// NeedsPrefill reports whether validating input reads a prefill source: a
// read-only prefilled field, or a prefilled one input does not mention. A
// caller that loads the sources from a database can skip them when it is
// false, as it is for a page, which posts every field it showed.
func (d *Definition) NeedsPrefill(input map[string]any) bool {
	for _, f := range d.prefilled {
		if v, ok := input[f.Name]; f.ReadOnly || !ok || v == nil {
			return true
		}
	}
	return false
}

// Prefilled returns the values the form shows before the cadre types: for
// each field with `prefill:` whose source holds a value that fits it, the
// value as stored (money in fen); for a repeat, the source's rows with the
// repeat's own fields. A value that does not fit its field is left out, so
// the cadre types it instead of submitting it unseen. The map has the
// shape of a submission's data.
func (d *Definition) Prefilled(ctx Context) map[string]any {
	out := map[string]any{}
	c := clockAt(ctx.Now)
	if ctx.Now.IsZero() {
		c = clock{}
	}
	for _, f := range d.prefilled {
		raw, ok := ctx.lookup(f.Prefill)
		if !ok {
			continue
		}
		if f.Type == TypeRepeat {
			if rows := f.prefilledRows(raw, &c); len(rows) > 0 {
				out[f.Name] = rows
			}
			continue
		}
		if v, msg := f.fromStored(raw, &c); msg == "" && v != nil {
			out[f.Name] = v
		}
	}
	return out
}

// prefilledRows keeps, of each source row, the values of the repeat's
// fields that fit them, at most the repeat's maximum of rows.
func (f *Field) prefilledRows(raw any, c *clock) []map[string]any {
	src := rowMaps(raw)
	if f.Max != nil && len(src) > *f.Max {
		src = src[:*f.Max]
	}
	rows := make([]map[string]any, 0, len(src))
	for _, s := range src {
		row := map[string]any{}
		for _, rf := range f.flat {
			v, ok := s[rf.Name]
			if !ok || v == nil || rf.calculated() || rf.Type == TypeRepeat {
				continue
			}
			if v, msg := rf.fromStored(v, c); msg == "" && v != nil {
				row[rf.Name] = v
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// inputRows turns stored rows into rows as a client sends them, for a
// prefilled repeat the client sent no rows for: money goes back from fen
// to yuan, everything else reads the same either way.
func (f *Field) inputRows(raw any) []any {
	src := rowMaps(raw)
	out := make([]any, len(src))
	for i, s := range src {
		row := make(map[string]any, len(s))
		for _, rf := range f.flat {
			v, ok := s[rf.Name]
			if !ok {
				continue
			}
			if rf.Type == TypeMoney {
				if fen, ok := toInt64(v); ok {
					v = yuanText(fen)
				}
			}
			row[rf.Name] = v
		}
		out[i] = row
	}
	return out
}

// yuanText writes fen as yuan: 123450 → "1234.50".
func yuanText(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	cents := fen % 100
	pad := ""
	if cents < 10 {
		pad = "0"
	}
	return sign + strconv.FormatInt(fen/100, 10) + "." + pad + strconv.FormatInt(cents, 10)
}
