package roles

import "sync"

// request is one question put to Casbin, in the order of the model's r.
type request struct{ sub, dom, obj, act, dept string }

// question is a decision as the caller asks it, and the decision cache's
// key: the locality as given and the object's parts before they are joined,
// so that a question asked before is answered without parsing the locality
// or building strings. kind keeps the methods' questions apart, since the
// same strings mean different requests to each; only well-formed questions
// are cached, so a hit needs no checking.
type question struct {
	kind                                   questionKind
	sub, where, workflow, state, act, dept string
}

type questionKind uint8

const (
	askFire questionKind = iota
	askCompleteTask
	askSee
	askAdminister
	askImportList
)

// decisions caches Casbin's answers. Casbin's own cached enforcer keys
// decisions by joining the strings with "$$", so a username containing "$$"
// could collide with another request, and it keeps stale answers after
// grouping changes; a map keyed by the question struct has neither problem.
// It is emptied whenever the policy changes and when it reaches max
// entries, which bounds memory at the price of an occasional cold start.
// Lookups far outnumber insertions, so they share the lock.
type decisions struct {
	mu  sync.RWMutex
	m   map[question]bool
	max int
}

func newDecisions(max int) *decisions {
	return &decisions{m: make(map[question]bool), max: max}
}

func (d *decisions) get(q question) (allowed, ok bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	allowed, ok = d.m[q]
	return allowed, ok
}

func (d *decisions) put(q question, allowed bool) {
	if d.max <= 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.m) >= d.max {
		clear(d.m)
	}
	d.m[q] = allowed
}

func (d *decisions) clear() {
	d.mu.Lock()
	defer d.mu.Unlock()
	clear(d.m)
}
