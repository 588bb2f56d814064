package roles

import "strings"

// MayFire reports whether username may fire trigger in state of workflow on
// a household of locality (12-digit code). Starting a case is state "" and
// TriggerStart. Department tasks are not triggers: TriggerCompleteTask is
// always refused here (see MayCompleteTask). Malformed input is refused.
func (e *Enforcer) MayFire(username, workflow, state, trigger, locality string) bool {
	return e.decide(question{kind: askFire, sub: username, where: locality, workflow: workflow, state: state, act: trigger})
}

// MayCompleteTask reports whether username may complete department's task
// in state of workflow on a household of locality: a liaison of that very
// department whose county covers the locality.
func (e *Enforcer) MayCompleteTask(username, workflow, state, department, locality string) bool {
	return e.decide(question{kind: askCompleteTask, sub: username, where: locality, workflow: workflow, state: state,
		act: TriggerCompleteTask, dept: department})
}

// MayImportList reports whether username may start cases of workflow from
// department's screening list on a household of locality: a liaison of that
// very department whose county covers the locality.
func (e *Enforcer) MayImportList(username, workflow, department, locality string) bool {
	return e.decide(question{kind: askImportList, sub: username, where: locality, workflow: workflow,
		act: TriggerImportList, dept: department})
}

// MaySee reports whether username may view the households and cases of
// locality: anyone whose grant covers it.
func (e *Enforcer) MaySee(username, locality string) bool {
	return e.decide(question{kind: askSee, sub: username, where: locality})
}

// MayAdminister reports whether username may manage form and workflow
// definitions. Definitions are not tied to a locality, so the question is
// asked on the user's own domain.
func (e *Enforcer) MayAdminister(username string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	grants, err := e.casbin.GetFilteredNamedGroupingPolicy("g", 0, username)
	if err != nil {
		return false
	}
	for _, g := range grants {
		own := strings.TrimSuffix(g[2], "*")
		if e.decideLocked(question{kind: askAdminister, sub: username, where: own}) {
			return true
		}
	}
	return false
}

// request checks q and returns its Casbin request; false when q is
// malformed, which every method refuses.
func (q question) request() (request, bool) {
	switch q.kind {
	case askAdminister:
		// where is the domain of one of the user's grants, not a code.
		return request{sub: q.sub, dom: q.where, obj: objectDefinitions, act: actionAdminister}, true
	case askFire:
		if q.act == TriggerCompleteTask || q.act == TriggerImportList || !validName(q.workflow) || !validName(q.act) ||
			(q.state != "" && !validName(q.state)) {
			return request{}, false
		}
	case askCompleteTask:
		if !validName(q.workflow) || !validName(q.state) || !validName(q.dept) {
			return request{}, false
		}
	case askImportList:
		if !validName(q.workflow) || !validName(q.dept) {
			return request{}, false
		}
	}
	c, err := parseCode(q.where)
	if err != nil {
		return request{}, false
	}
	if q.kind == askSee {
		return request{sub: q.sub, dom: c.path(), obj: objectHouseholds, act: actionView}, true
	}
	return request{sub: q.sub, dom: c.path(), obj: object(q.workflow, q.state), act: q.act, dept: q.dept}, true
}

func (e *Enforcer) decide(q question) bool {
	// A cached answer needs no policy lock: answers are cached only under
	// e.mu shared, and every policy change empties the cache under e.mu
	// exclusive, so the cache holds answers of the current policy only.
	if allowed, ok := e.decisions.get(q); ok {
		return allowed
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.decideLocked(q)
}

// decideLocked asks the cache, then Casbin; the caller holds e.mu shared.
// An error from Casbin (a broken model) denies: failing closed is the only
// safe answer to "may they?".
func (e *Enforcer) decideLocked(q question) bool {
	if q.sub == "" {
		return false
	}
	if allowed, ok := e.decisions.get(q); ok {
		return allowed
	}
	r, ok := q.request()
	if !ok {
		return false
	}
	allowed, err := e.casbin.Enforce(r.sub, r.dom, r.obj, r.act, r.dept)
	if err != nil {
		return false
	}
	e.decisions.put(q, allowed)
	return allowed
}
