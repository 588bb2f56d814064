package workflows

import (
	"slices"
	"time"

	"jianfu/forms"
)

// Expressions of a definition (guards, classifications, routes, skips) see
// three things besides the fields of the form being submitted: params,
// household (the household's data, untyped: a locality decides what it
// records) and case (CaseFacts, typed, so case.month_in_state is a lint error).

// CaseFacts is what expressions know of the case as `case`: how long it has
// been in its state and since it started, in whole days and months (China
// time), and its stored classification. "≥ 6 months under monitoring" is
// case.months_in_state >= 6.
type CaseFacts struct {
	DaysInState      int    `expr:"days_in_state"`
	MonthsInState    int    `expr:"months_in_state"`
	MonthsSinceStart int    `expr:"months_since_start"`
	Classification   string `expr:"classification"`
}

// Facts returns the case facts of the snapshot at now. A zero StartedAt
// counts from EnteredAt.
func (s Snapshot) Facts(now time.Time) CaseFacts {
	started := s.StartedAt
	if started.IsZero() {
		started = s.EnteredAt
	}
	return CaseFacts{
		DaysInState:      max(int(dayOf(now)-dayOf(s.EnteredAt)), 0),
		MonthsInState:    monthsBetween(s.EnteredAt, now),
		MonthsSinceStart: monthsBetween(started, now),
		Classification:   s.Classification,
	}
}

// monthsBetween counts the whole calendar months from from to to, China
// time: 2026-01-31 to 2026-07-30 is 5 months, to 2026-07-31 is 6. Never
// negative.
func monthsBetween(from, to time.Time) int {
	if !to.After(from) {
		return 0
	}
	a, b := from.In(chinaZone()), to.In(chinaZone())
	n := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		n--
	}
	return max(n, 0)
}

// scope is what one action's expressions run over, besides a form and
// params. The case facts are computed only when an expression runs: most
// actions have none. Params are passed beside it, not in it: they go into
// environments on the heap, and the compiler would send the whole scope,
// and with it the caller's snapshot, after them.
type scope struct {
	snap *Snapshot
	now  time.Time
}

func (s *Snapshot) scope(now time.Time) scope {
	return scope{snap: s, now: now}
}

// everyName, among the names an expression reads, means it may read any
// (expr's $env; see forms.EnvOf).
const everyName = "$env"

// env is the run-time environment of an expression compiled with typeEnv:
// the validated values of form (nil: no form), params, household and case.
func (sc scope) env(params forms.Params, form *forms.Definition, values forms.Values) map[string]any {
	env := make(map[string]any, 3)
	sc.envInto(env, params, form, values, []string{everyName})
	return env
}

// envInto fills env, which the caller gives empty, with the part of the
// environment named by names, those its expressions read
// (forms.NamesRead): a guard reading two fields of a form of thirty needs
// neither the other fields nor the case facts.
func (sc scope) envInto(env map[string]any, params forms.Params, form *forms.Definition, values forms.Values, names []string) {
	if form != nil {
		form.EnvInto(env, values, params, names)
	}
	all := slices.Contains(names, everyName)
	reads := func(name string) bool { return all || slices.Contains(names, name) }
	if reads("params") {
		setDefault(env, "params", map[string]any(params))
	}
	if reads("household") {
		household := sc.snap.Household
		if household == nil {
			household = map[string]any{}
		}
		setDefault(env, "household", household)
	}
	if reads("case") {
		setDefault(env, "case", sc.snap.Facts(sc.now))
	}
}

// setDefault sets env[key] unless a form field of that name is there: a
// form's own field wins, as params does.
func setDefault(env map[string]any, key string, v any) {
	if _, ok := env[key]; !ok {
		env[key] = v
	}
}
