package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jianfu/ent/household"
)

func TestIsIDTail(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"Digits", "1234", true},
		{"EndsInCheckX", "002X", true},
		{"LowerCaseX", "002x", true},
		{"WholeNumber", "11010519700307001X", true},
		{"XNotLast", "0X12", false},
		{"LongerThanANumber", "1101051970030700123", false},
		{"Name", "王建国", false},
		{"Empty", "", false},
		{"Sign", "+123", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isIDTail(tt.in); got != tt.want {
				t.Errorf("isIDTail(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestPrefixEnd(t *testing.T) {
	tests := []struct {
		name, prefix, want string
		ok                 bool
	}{
		{"LastDigitUp", "4321", "4322", true},
		{"NinesCarry", "4399", "44", true},
		{"CheckX", "X1", "X2", true},
		{"CheckXOnly", "X", "Y", true},
		{"AllNines", "999", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := prefixEnd(tt.prefix)
			if got != tt.want || ok != tt.ok {
				t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", tt.prefix, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzIDTailRange checks that the range idTailIs searches holds every
// reversed number ending in the tail, so the index never loses a match.
func FuzzIDTailRange(f *testing.F) {
	for _, seed := range [][2]string{{"11010519700307001X", "001X"}, {"110105199903079999", "9999"}, {"110105197003070010", "0"}, {"999999999999999999", "999999999999999999"}, {"110105199903079999", "99"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, id, tail string) {
		id, tail = strings.ToUpper(id), strings.ToUpper(tail)
		if !isIDTail(id) || !isIDTail(tail) || !strings.HasSuffix(id, tail) {
			return
		}
		rev, r := reversed(id), idTailRange(tail)
		if rev < r.from {
			t.Fatalf("reversed %s = %s sorts before the range start %s", id, rev, r.from)
		}
		if r.through && rev > r.to || !r.through && rev >= r.to {
			t.Fatalf("reversed %s = %s is past the range end %+v", id, rev, r)
		}
	})
}

// TestOpenFillsIDReversed checks that a database whose households predate
// id_reversed (the column empty) has it filled when opened.
func TestOpenFillsIDReversed(t *testing.T) {
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "old.db")
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	ids := []string{"11010519700307001X", "110105197003070028"}
	for _, id := range ids {
		if err := db.Client.Household.Create().SetHeadName("欧阳春生").SetIDNumber(id).SetLocality("510100001001").
			SetLocalityPath("51/5101/510100/510100001/510100001001").SetCreatedAt(time.Now()).Exec(ctx); err != nil {
			t.Fatalf("insert household: %v", err)
		}
	}
	db.Close()
	if db, err = Open(ctx, dsn); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	rows, err := db.Client.Household.Query().Order(household.ByID()).All(ctx)
	if err != nil {
		t.Fatalf("read households: %v", err)
	}
	for i, h := range rows {
		if want := reversed(ids[i]); h.IDReversed != want {
			t.Errorf("household %s has id_reversed %q, want %q", h.IDNumber, h.IDReversed, want)
		}
	}
}
