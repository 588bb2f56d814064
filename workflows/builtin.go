package workflows

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
)

// defs holds the built-in workflow definitions and the holiday calendar.
//
//go:embed defs/*.yaml
var defs embed.FS

// calendarName is the built-in calendar's name inside defs.
const calendarName = "defs/calendar.yaml"

// Builtin returns the built-in workflow definitions, YAML text by file name
// (e.g. "identification.yaml"), for Parse. The map is new on every call.
func Builtin() map[string][]byte {
	out := map[string][]byte{}
	entries, err := fs.ReadDir(defs, "defs")
	if err != nil {
		panic(fmt.Sprintf("read embedded defs: %v", err)) // the embed pattern guarantees the directory
	}
	for _, e := range entries {
		name := "defs/" + e.Name()
		if name == calendarName || path.Ext(name) != ".yaml" {
			continue
		}
		src, err := defs.ReadFile(name)
		if err != nil {
			panic(fmt.Sprintf("read embedded %s: %v", name, err))
		}
		out[e.Name()] = src
	}
	return out
}

// BuiltinCalendar returns the calendar of China's official holidays and
// make-up working days for 2025 and 2026 (defs/calendar.yaml). Administrators
// extend it each November when the next year's arrangement is announced.
func BuiltinCalendar() *Calendar {
	c, err := ParseCalendar(BuiltinCalendarSource())
	if err != nil {
		panic(fmt.Sprintf("built-in calendar: %v", err)) // covered by TestBuiltinCalendar
	}
	return c
}

// BuiltinCalendarSource is the text of the built-in calendar, which a store
// publishes as the first version of the editable calendar.
func BuiltinCalendarSource() []byte {
	src, err := defs.ReadFile(calendarName)
	if err != nil {
		panic(fmt.Sprintf("read embedded %s: %v", calendarName, err))
	}
	return src
}
