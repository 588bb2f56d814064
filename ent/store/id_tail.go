package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/ent/household"
	"jianfu/ent/predicate"
)

// isIDTail reports whether a search text is the end of a 身份证号: digits,
// the last of which may be the check character X.
func isIDTail(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i, r := range s {
		digit := r >= '0' && r <= '9'
		check := i == len(s)-1 && (r == 'X' || r == 'x')
		if !digit && !check {
			return false
		}
	}
	return true
}

// idTailIs selects the households whose 身份证号 ends in tail (upper case):
// its reverse is a prefix of id_reversed, searched as a range an index
// serves on both databases and in any collation (the text is digits and X);
// the suffix test keeps the answer exact whatever the range lets through.
func idTailIs(tail string) []predicate.Household {
	r := idTailRange(tail)
	ps := []predicate.Household{household.IDReversedGTE(r.from), household.IDNumberHasSuffix(tail)}
	if r.through {
		return append(ps, household.IDReversedLTE(r.to))
	}
	return append(ps, household.IDReversedLT(r.to))
}

// reversedRange is where a tail's matches lie in id_reversed: from on, and
// before to, or up to and with it when through.
type reversedRange struct {
	from, to string
	through  bool
}

// idTailRange is the range of the reversed numbers ending in tail. After
// the reversed tail a reversed 身份证号 holds only digits (X can only be
// its first character), so when the tail is all nines, and no text of
// digits follows every one starting so, the tail padded with nines to a
// full number is the last of them. Unbounded, that search had read every
// row from the prefix to the end of the index (7–18 ms on a county).
func idTailRange(tail string) reversedRange {
	prefix := reversed(tail)
	if hi, ok := prefixEnd(prefix); ok {
		return reversedRange{from: prefix, to: hi}
	}
	return reversedRange{from: prefix, to: prefix + strings.Repeat("9", idNumberLength-len(prefix)), through: true}
}

// idNumberLength is the length of a 身份证号.
const idNumberLength = 18

// namePrefix selects the households whose head's name starts with prefix.
// PostgreSQL serves the LIKE from the head_name index (pattern operator
// class); SQLite's LIKE ignores case and so cannot use an index, but a range
// in its binary (code point) order can, with the LIKE keeping it exact.
func namePrefix(dbDialect, prefix string) []predicate.Household {
	ps := []predicate.Household{household.HeadNameHasPrefix(prefix)}
	if dbDialect != dialect.SQLite {
		return ps
	}
	ps = append(ps, household.HeadNameGTE(prefix))
	r := []rune(prefix)
	if last := r[len(r)-1]; last < unicode.MaxRune {
		r[len(r)-1] = last + 1
		ps = append(ps, household.HeadNameLT(string(r)))
	}
	return ps
}

// prefixEnd is the least text after every text that starts with prefix,
// for prefixes of digits and X; false when there is none (all nines).
func prefixEnd(prefix string) (string, bool) {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != '9' {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// reversed is s backwards; 身份证号 are ASCII.
func reversed(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// fillIDReversed fills id_reversed for the households registered before
// the column existed (added empty). A database filled once finds no such
// row, through the column's index.
func fillIDReversed(ctx context.Context, client *ent.Client) error {
	last := 0
	for {
		rows, err := client.Household.Query().Where(household.IDReversed(""), household.IDGT(last)).
			Order(ent.Asc(household.FieldID)).Select(household.FieldID, household.FieldIDNumber).Limit(1000).All(ctx)
		if err != nil {
			return fmt.Errorf("households without id_reversed: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		tx, err := client.Tx(ctx)
		if err != nil {
			return fmt.Errorf("begin filling id_reversed: %w", err)
		}
		for _, h := range rows {
			if err := tx.Household.UpdateOneID(h.ID).SetIDReversed(reversed(h.IDNumber)).Exec(ctx); err != nil {
				return fmt.Errorf("fill id_reversed of household %d: %w", h.ID, rollback(tx, err))
			}
			last = h.ID
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("commit id_reversed: %w", err)
		}
	}
}

func rollback(tx *ent.Tx, err error) error {
	if rerr := tx.Rollback(); rerr != nil {
		return fmt.Errorf("%w (rollback: %v)", err, rerr)
	}
	return err
}
