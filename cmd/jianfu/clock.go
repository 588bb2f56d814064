package main

import (
	"sync"
	"time"
)

// fakeClock is the clock of `serve --fake-clock`: real time shifted by an
// offset an administrator sets, so holds and deadlines can be tested without
// waiting while time still moves forward between requests.
type fakeClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *fakeClock) Set(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
	return nil
}
