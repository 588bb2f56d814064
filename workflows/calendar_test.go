package workflows

import (
	"strings"
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*60*60)

// at parses "2006-01-02 15:04" in China time.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

func TestIsWorkingDay(t *testing.T) {
	cal := BuiltinCalendar()
	tests := []struct {
		name string
		day  string
		want bool
	}{
		{"OrdinaryWeekday", "2026-03-04 09:00", true},
		{"OrdinarySaturday", "2026-03-07 09:00", false},
		{"NewYear2025", "2025-01-01 09:00", false},
		{"SpringFestival2025MakeUpSunday", "2025-01-26 09:00", true},
		{"SpringFestival2025FirstDayOff", "2025-01-28 09:00", false},
		{"SpringFestival2025LastDayOff", "2025-02-04 09:00", false},
		{"SpringFestival2025BackToWork", "2025-02-05 09:00", true},
		{"SpringFestival2025MakeUpSaturday", "2025-02-08 09:00", true},
		{"LabourDay2025MakeUpSunday", "2025-04-27 09:00", true},
		{"NationalDay2025EighthDayOff", "2025-10-08 09:00", false},
		{"NationalDay2025MakeUpSaturday", "2025-10-11 09:00", true},
		{"NewYear2026MakeUpSunday", "2026-01-04 09:00", true},
		{"SpringFestival2026MakeUpBefore", "2026-02-14 09:00", true},
		{"SpringFestival2026MondayOff", "2026-02-23 09:00", false},
		{"SpringFestival2026BackToWork", "2026-02-24 09:00", true},
		{"SpringFestival2026MakeUpAfter", "2026-02-28 09:00", true},
		{"MidAutumn2026Friday", "2026-09-25 09:00", false},
		{"NationalDay2026MakeUpSunday", "2026-09-20 09:00", true},
		{"NationalDay2026LastDayOff", "2026-10-07 09:00", false},
		{"NationalDay2026MakeUpSaturday", "2026-10-10 09:00", true},
		{"ChinaMidnightCountsAsNextDay", "2026-10-08 00:00", true},
		{"LastMinuteOfHoliday", "2026-10-07 23:59", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := at(t, tt.day)
			if got := cal.IsWorkingDay(d); got != tt.want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day, got, tt.want)
			}
			// The same instant seen from UTC is the same Chinese day.
			if got := cal.IsWorkingDay(d.UTC()); got != tt.want {
				t.Errorf("IsWorkingDay(%s in UTC) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
}

func TestHoldEnd(t *testing.T) {
	cal := BuiltinCalendar()
	tests := []struct {
		name  string
		start string
		days  int
		want  string
	}{
		// Sep 29, Sep 30, Oct 8, Oct 9, Sat Oct 10 (make-up).
		{"WorkedExampleNationalDay2026", "2026-09-29 15:30", 5, "2026-10-11 00:00"},
		// Feb 12, Feb 13, Sat Feb 14 (make-up), Feb 24, Feb 25.
		{"AcrossSpringFestival2026", "2026-02-12 10:00", 5, "2026-02-26 00:00"},
		// Fri Jan 24, Sun Jan 26 (make-up), Mon Jan 27; Jan 28 is off.
		{"SpringFestival2025MakeUpSundayCounts", "2025-01-24 10:00", 3, "2025-01-28 00:00"},
		// Posted on a day off: counting starts at the next working day, Oct 9.
		{"PostedDuringNationalDay2025", "2025-10-03 10:00", 2, "2025-10-11 00:00"},
		{"PostedOnMakeUpSaturday", "2025-10-11 10:00", 1, "2025-10-12 00:00"},
		{"PostedOnOrdinarySaturday", "2026-03-07 10:00", 1, "2026-03-10 00:00"},
		{"OneDayPostedLateCountsThatDay", "2026-03-04 23:30", 1, "2026-03-05 00:00"},
		{"ZeroDaysIsNoHold", "2026-03-04 10:00", 0, "2026-03-04 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.HoldEnd(at(t, tt.start), tt.days)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("HoldEnd(%s, %d) = %s, want %s", tt.start, tt.days, got, want)
			}
			if _, off := got.Zone(); off != 8*60*60 && tt.days > 0 {
				t.Errorf("HoldEnd(%s, %d) is in UTC%+d, want China time", tt.start, tt.days, off/3600)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	cal := BuiltinCalendar()
	tests := []struct {
		name  string
		start string
		days  int
		want  time.Time
	}{
		{"DueAtEndOfFifthWorkingDay", "2026-09-29 15:30", 5, time.Date(2026, 10, 10, 23, 59, 59, 0, cst)},
		{"SkipsSpringFestival2025", "2025-01-27 09:00", 2, time.Date(2025, 2, 5, 23, 59, 59, 0, cst)},
		{"ZeroDaysIsNoLimit", "2026-03-04 10:00", 0, time.Date(2026, 3, 4, 10, 0, 0, 0, cst)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.AddWorkingDays(at(t, tt.start), tt.days); !got.Equal(tt.want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.start, tt.days, got, tt.want)
			}
		})
	}
}

func TestCalendarHoldEnd(t *testing.T) {
	cal := BuiltinCalendar()
	tests := []struct {
		name  string
		start string
		days  int
		want  string
	}{
		{"HolidaysCountAsDays", "2026-09-29 15:30", 7, "2026-10-06 00:00"},
		{"OneDayEndsAtMidnight", "2026-02-16 08:00", 1, "2026-02-17 00:00"},
		{"AcrossMonthEnd", "2025-01-30 12:00", 3, "2025-02-02 00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := cal.CalendarHoldEnd(at(t, tt.start), tt.days), at(t, tt.want); !got.Equal(want) {
				t.Errorf("CalendarHoldEnd(%s, %d) = %s, want %s", tt.start, tt.days, got, want)
			}
		})
	}
}

func TestNilCalendarCountsWeekdaysOnly(t *testing.T) {
	var cal *Calendar
	if !cal.IsWorkingDay(at(t, "2026-10-01 09:00")) {
		t.Error("nil calendar: Thursday 2026-10-01 is not a working day, want a working day (no holidays)")
	}
	if cal.IsWorkingDay(at(t, "2026-10-10 09:00")) {
		t.Error("nil calendar: Saturday 2026-10-10 is a working day, want a day off (no make-up days)")
	}
	got, want := cal.HoldEnd(at(t, "2026-09-29 10:00"), 5), at(t, "2026-10-06 00:00")
	if !got.Equal(want) {
		t.Errorf("nil calendar: HoldEnd(2026-09-29, 5) = %s, want %s", got, want)
	}
}

func TestParseCalendar(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string // substring; "" for success
	}{
		{"DatesAndRanges", "holidays: [2027-01-01, 2027-02-06..2027-02-14]\nworkdays: [2027-02-20]\n", ""},
		{"Empty", "", ""},
		{"BadDate", "holidays: [2027-02-30]\n", "holidays[0]"},
		{"NotADate", "workdays: [tomorrow]\n", "workdays[0]"},
		{"RangeBackwards", "holidays: [2027-02-14..2027-02-06]\n", "ends before it starts"},
		{"RangeTooLong", "holidays: [2027-01-01..2027-12-31]\n", "longer than"},
		{"DayOffAndWorkday", "holidays: [2027-02-06..2027-02-14]\nworkdays: [2027-02-07]\n", "also a holiday"},
		{"UnknownKey", "holiday: [2027-01-01]\n", "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCalendar([]byte(tt.src))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("ParseCalendar: %v, want success", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("ParseCalendar succeeded, want an error containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("ParseCalendar error %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
	t.Run("RangeIsInclusive", func(t *testing.T) {
		cal, err := ParseCalendar([]byte("holidays: [2027-02-06..2027-02-08]\nworkdays: [2027-02-13]\n"))
		if err != nil {
			t.Fatal(err)
		}
		for day, want := range map[string]bool{
			"2027-02-05 09:00": true, "2027-02-08 09:00": false, "2027-02-09 09:00": true, "2027-02-13 09:00": true,
		} {
			if got := cal.IsWorkingDay(at(t, day)); got != want {
				t.Errorf("IsWorkingDay(%s) = %v, want %v", day, got, want)
			}
		}
	})
}

func FuzzParseCalendar(f *testing.F) {
	f.Add([]byte("holidays: [2026-10-01..2026-10-07]\nworkdays: [2026-10-10]\n"))
	f.Add([]byte("holidays: [2026-01-01]\n"))
	f.Add([]byte("workdays: [2026-02-31]\n"))
	f.Add([]byte("holidays: [\"2026-10-07..2026-10-01\"]\n"))
	f.Add([]byte("{holidays: &a [x], workdays: *a}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		cal, err := ParseCalendar(src)
		if err != nil {
			return
		}
		start := time.Date(2026, 9, 29, 10, 0, 0, 0, cst)
		end := cal.HoldEnd(start, 5)
		if !end.After(start) {
			t.Fatalf("HoldEnd(%s, 5) = %s, want a later time", start, end)
		}
		if due := cal.AddWorkingDays(start, 5); !due.Before(end) {
			t.Fatalf("AddWorkingDays(%s, 5) = %s, want before the hold end %s", start, due, end)
		}
	})
}

// TestHoldEndCountsDayByDay checks HoldEnd, which walks the calendar's
// exceptions alongside the days, against asking IsWorkingDay of one day
// after the other, from every day of a span that covers holidays, make-up
// days and days outside the calendar.
func TestHoldEndCountsDayByDay(t *testing.T) {
	adjacent, err := ParseCalendar([]byte(`
holidays: ["2027-01-01", "2027-01-02..2027-01-03", "2027-01-03", "2027-01-09..2027-01-10"]
workdays: ["2027-01-04", "2027-01-16", "2027-01-17"]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		cal      *Calendar
		from, to string
	}{
		{"Builtin", BuiltinCalendar(), "2024-12-20 10:00", "2027-01-10 10:00"},
		{"None", nil, "2026-09-01 10:00", "2026-11-01 10:00"},
		{"AdjacentAndDuplicateExceptions", adjacent, "2026-12-25 10:00", "2027-01-25 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for start := at(t, tt.from); start.Before(at(t, tt.to)); start = start.AddDate(0, 0, 1) {
				for n := 1; n <= 12; n++ {
					d, left := start, n
					for {
						if tt.cal.IsWorkingDay(d) {
							if left--; left == 0 {
								break
							}
						}
						d = d.AddDate(0, 0, 1)
					}
					want := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, cst)
					if got := tt.cal.HoldEnd(start, n); !got.Equal(want) {
						t.Fatalf("HoldEnd(%s, %d) = %s, want %s", start.Format(time.DateOnly), n, got, want)
					}
				}
			}
		})
	}
}

func TestCoversYear(t *testing.T) {
	c := BuiltinCalendar()
	for year, want := range map[int]bool{2024: false, 2025: true, 2026: true, 2027: false} {
		if got := c.CoversYear(year); got != want {
			t.Errorf("CoversYear(%d) = %v, want %v", year, got, want)
		}
	}
}
