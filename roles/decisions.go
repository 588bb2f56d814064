package roles

import (
	"hash/maphash"
	"sync"
)

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
// grouping changes; here each answer is kept with the whole question it
// answers. It is emptied whenever the policy changes and when it reaches
// max entries, which bounds memory at the price of an occasional cold
// start. Lookups far outnumber insertions, so they share the lock.
//
// Answers are found by a hash of the question's strings, each hashed on its
// own: a map keyed by the question itself hashed them through the
// struct's generic hash and took half again as long, and the engine asks
// for every trigger it offers or fires. Two questions with one hash share an entry, the later
// replacing the earlier; the question kept with the answer tells them
// apart.
type decisions struct {
	mu   sync.RWMutex
	seed maphash.Seed
	m    map[uint64]decision
	max  int
}

// decision is a cached answer and the question it answers.
type decision struct {
	q       question
	allowed bool
}

func newDecisions(max int) *decisions {
	return &decisions{seed: maphash.MakeSeed(), m: make(map[uint64]decision), max: max}
}

// key hashes q; each string is mixed in after the ones before it, so the
// same text in another part of the question hashes differently.
func (d *decisions) key(q *question) uint64 {
	h := uint64(q.kind)
	h = mix(h, maphash.String(d.seed, q.sub))
	h = mix(h, maphash.String(d.seed, q.where))
	h = mix(h, maphash.String(d.seed, q.workflow))
	h = mix(h, maphash.String(d.seed, q.state))
	h = mix(h, maphash.String(d.seed, q.act))
	return mix(h, maphash.String(d.seed, q.dept))
}

func mix(h, x uint64) uint64 { return (h ^ x) * 0x100000001b3 }

func (d *decisions) get(q question) (allowed, ok bool) {
	k := d.key(&q)
	d.mu.RLock()
	c, found := d.m[k]
	d.mu.RUnlock()
	if !found || c.q != q {
		return false, false
	}
	return c.allowed, true
}

func (d *decisions) put(q question, allowed bool) {
	if d.max <= 0 {
		return
	}
	k := d.key(&q)
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.m) >= d.max {
		clear(d.m)
	}
	d.m[k] = decision{q: q, allowed: allowed}
}

func (d *decisions) clear() {
	d.mu.Lock()
	defer d.mu.Unlock()
	clear(d.m)
}
