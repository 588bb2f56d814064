package roles

import "strings"

// MayFire reports whether username may fire trigger in state of workflow on
// a household of locality (12-digit code). Starting a case is state "" and
// TriggerStart. Department tasks are not triggers: TriggerCompleteTask is
// always refused here (see MayCompleteTask). Malformed input is refused.
func (e *Enforcer) MayFire(username, workflow, state, trigger, locality string) bool {
	if trigger == TriggerCompleteTask || !validName(workflow) || !validName(trigger) ||
		(state != "" && !validName(state)) {
		return false
	}
	c, err := parseCode(locality)
	if err != nil {
		return false
	}
	return e.decide(request{sub: username, dom: c.path(), obj: object(workflow, state), act: trigger})
}

// MayCompleteTask reports whether username may complete department's task
// in state of workflow on a household of locality: a liaison of that very
// department whose county covers the locality.
func (e *Enforcer) MayCompleteTask(username, workflow, state, department, locality string) bool {
	if !validName(workflow) || !validName(state) || !validName(department) {
		return false
	}
	c, err := parseCode(locality)
	if err != nil {
		return false
	}
	return e.decide(request{sub: username, dom: c.path(), obj: object(workflow, state),
		act: TriggerCompleteTask, dept: department})
}

// MaySee reports whether username may view the households and cases of
// locality: anyone whose grant covers it.
func (e *Enforcer) MaySee(username, locality string) bool {
	c, err := parseCode(locality)
	if err != nil {
		return false
	}
	return e.decide(request{sub: username, dom: c.path(), obj: objectHouseholds, act: actionView})
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
		if e.decideLocked(request{sub: username, dom: own, obj: objectDefinitions, act: actionAdminister}) {
			return true
		}
	}
	return false
}

func (e *Enforcer) decide(r request) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.decideLocked(r)
}

// decideLocked asks the cache, then Casbin; the caller holds e.mu shared.
// An error from Casbin (a broken model) denies: failing closed is the only
// safe answer to "may they?".
func (e *Enforcer) decideLocked(r request) bool {
	if r.sub == "" {
		return false
	}
	if allowed, ok := e.decisions.get(r); ok {
		return allowed
	}
	allowed, err := e.casbin.Enforce(r.sub, r.dom, r.obj, r.act, r.dept)
	if err != nil {
		return false
	}
	e.decisions.put(r, allowed)
	return allowed
}
