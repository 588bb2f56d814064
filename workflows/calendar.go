package workflows

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// chinaOffset is UTC+8. Every day boundary in the platform is a Chinese one:
// a notice posted at 01:00 Beijing time on Tuesday is a Tuesday posting even
// though it is still Monday in UTC.
const chinaOffset = 8 * 60 * 60

// maxRangeDays bounds one holiday range so that a typo ("2026-01-01..2036-01-01")
// is reported instead of silently declaring ten years off.
const maxRangeDays = 31

// day is a calendar day in China, counted from 1970-01-01.
type day int64

func dayOf(t time.Time) day {
	secs := t.Unix() + chinaOffset
	d := secs / 86400
	if secs%86400 < 0 {
		d-- // floor, for instants before 1970
	}
	return day(d)
}

// start returns 00:00 of the day, China time.
func (d day) start() time.Time {
	return time.Unix(int64(d)*86400-chinaOffset, 0).In(chinaZone())
}

func (d day) weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (int64(d) + int64(time.Thursday)) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// chinaTime is China Standard Time (UTC+8, no daylight saving). A
// *time.Location never changes after it is made, like time.UTC, so sharing
// one is not mutable state; making one per call cost 6% of an action
// (docs/BENCHMARKS.md).
var chinaTime = time.FixedZone("CST", chinaOffset)

func chinaZone() *time.Location { return chinaTime }

// ChinaTime is the zone dates are told in (China Standard Time): a due
// date, an age.
func ChinaTime() *time.Location { return chinaTime }

// Calendar tells working days from days off: Monday to Friday, minus the
// official holidays, plus the make-up working days (调休) that fall on
// weekends. It is immutable after construction and safe for concurrent use.
// A nil *Calendar counts Monday to Friday only.
type Calendar struct {
	// exceptions are the days that break the Monday-to-Friday rule, one
	// entry per day, in day order: counting n working days walks them
	// alongside the days instead of looking every day up.
	exceptions []exception
}

// exception is a holiday (working false) or a make-up working day.
type exception struct {
	day     day
	working bool
}

// calendarFile is the YAML form of a calendar:
//
//	holidays: ["2026-01-01..2026-01-03", "2026-02-15..2026-02-23"]
//	workdays: ["2026-01-04", "2026-02-14"]
type calendarFile struct {
	Holidays []string `yaml:"holidays"`
	Workdays []string `yaml:"workdays"`
}

// ParseCalendar reads a calendar from YAML: holidays is a list of dates
// (2026-10-01) or inclusive ranges (2026-10-01..2026-10-07), workdays a list
// of make-up working days. A day may not be both.
func ParseCalendar(src []byte) (*Calendar, error) {
	var f calendarFile
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse calendar: %w", err)
	}
	holidays, workdays := map[day]bool{}, map[day]bool{}
	for i, s := range f.Holidays {
		from, to, err := parseDayRange(s)
		if err != nil {
			return nil, fmt.Errorf("parse calendar: holidays[%d]: %w", i, err)
		}
		for d := from; d <= to; d++ {
			holidays[d] = true
		}
	}
	for i, s := range f.Workdays {
		d, err := parseDay(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("parse calendar: workdays[%d]: %w", i, err)
		}
		if holidays[d] {
			return nil, fmt.Errorf("parse calendar: workdays[%d]: %s is also a holiday", i, s)
		}
		workdays[d] = true
	}
	c := &Calendar{exceptions: make([]exception, 0, len(holidays)+len(workdays))}
	for d := range holidays {
		c.exceptions = append(c.exceptions, exception{day: d})
	}
	for d := range workdays {
		c.exceptions = append(c.exceptions, exception{day: d, working: true})
	}
	slices.SortFunc(c.exceptions, func(a, b exception) int { return cmp.Compare(a.day, b.day) })
	return c, nil
}

func parseDayRange(s string) (from, to day, err error) {
	a, b, isRange := strings.Cut(s, "..")
	from, err = parseDay(strings.TrimSpace(a))
	if err != nil || !isRange {
		return from, from, err
	}
	to, err = parseDay(strings.TrimSpace(b))
	if err != nil {
		return 0, 0, err
	}
	if to < from {
		return 0, 0, fmt.Errorf("range %q ends before it starts", s)
	}
	if to-from >= maxRangeDays {
		return 0, 0, fmt.Errorf("range %q is longer than %d days", s, maxRangeDays)
	}
	return from, to, nil
}

func parseDay(s string) (day, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, chinaZone())
	if err != nil {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return dayOf(t), nil
}

// CoversYear reports whether the calendar says anything about year (in
// China): a year with no holiday listed has not been arranged yet, and
// its 元旦 or 春节 would count as working days.
func (c *Calendar) CoversYear(year int) bool {
	for _, e := range c.list() {
		if e.day.start().In(chinaTime).Year() == year {
			return true
		}
	}
	return false
}

// IsWorkingDay reports whether the (China time) day of t is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	return c.isWorking(dayOf(t))
}

func (c *Calendar) isWorking(d day) bool {
	ex := c.list()
	if i, found := exceptionFrom(ex, d); found {
		return ex[i].working
	}
	return d.weekday() != time.Saturday && d.weekday() != time.Sunday
}

// list returns the calendar's exceptions; none for a nil calendar.
func (c *Calendar) list() []exception {
	if c == nil {
		return nil
	}
	return c.exceptions
}

// exceptionFrom returns the index of the first exception on or after d, and
// whether it falls on d: slices.BinarySearchFunc, without a call through a
// func value at every step, since deadlines are computed on every action.
func exceptionFrom(ex []exception, d day) (int, bool) {
	lo, hi := 0, len(ex)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ex[m].day < d {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(ex) && ex[lo].day == d
}

// nthWorkingDay returns the nth working day counted from start's day, which
// counts itself when it is a working day. n must be at least 1. The loop
// ends: at most two of every seven days are weekend days, and holidays are
// finite.
func (c *Calendar) nthWorkingDay(start time.Time, n int) day {
	d := dayOf(start)
	wd := d.weekday() // kept in step with d: weekday divides, and deadlines are computed on every action
	ex := c.list()
	next, _ := exceptionFrom(ex, d)
	for {
		working := wd != time.Saturday && wd != time.Sunday
		if next < len(ex) && ex[next].day == d {
			working = ex[next].working
			next++
		}
		if working {
			n--
			if n == 0 {
				return d
			}
		}
		d++
		if wd++; wd > time.Saturday {
			wd = time.Sunday
		}
	}
}

// HoldEnd returns when a hold of n working days that began at start is over:
// 00:00 China time of the day after the nth working day, counting start's day
// if it is a working day. A notice posted on Tuesday 2026-09-29 for 5
// working days runs Sep 29, Sep 30, Oct 8, Oct 9 and Saturday Oct 10 (a
// make-up working day) and is over at 2026-10-11 00:00 +08:00. n <= 0 means
// no hold: it returns start.
func (c *Calendar) HoldEnd(start time.Time, n int) time.Time {
	if n <= 0 {
		return start
	}
	return (c.nthWorkingDay(start, n) + 1).start()
}

// AddWorkingDays returns the due date of a time limit of n working days
// starting at start: 23:59:59 China time of the nth working day, counted as
// HoldEnd counts. n <= 0 returns start.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	if n <= 0 {
		return start
	}
	return c.HoldEnd(start, n).Add(-time.Second)
}

// CalendarHoldEnd returns when a hold of n calendar days that began at start
// is over: 00:00 China time of the day after the nth day, counting start's
// day. n <= 0 returns start.
func (c *Calendar) CalendarHoldEnd(start time.Time, n int) time.Time {
	if n <= 0 {
		return start
	}
	return (dayOf(start) + day(n)).start()
}
