package roles

import "sync"

// request is one question put to Casbin, in the order of the model's r.
type request struct{ sub, dom, obj, act, dept string }

// decisions caches Casbin's answers. Casbin's own cached enforcer keys
// decisions by joining the strings with "$$", so a username containing "$$"
// could collide with another request, and it keeps stale answers after
// grouping changes; a map keyed by the request struct has neither problem.
// It is emptied whenever the policy changes and when it reaches max
// entries, which bounds memory at the price of an occasional cold start.
type decisions struct {
	mu  sync.Mutex
	m   map[request]bool
	max int
}

func newDecisions(max int) *decisions {
	return &decisions{m: make(map[request]bool), max: max}
}

func (d *decisions) get(r request) (allowed, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	allowed, ok = d.m[r]
	return allowed, ok
}

func (d *decisions) put(r request, allowed bool) {
	if d.max <= 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.m) >= d.max {
		clear(d.m)
	}
	d.m[r] = allowed
}

func (d *decisions) clear() {
	d.mu.Lock()
	defer d.mu.Unlock()
	clear(d.m)
}
