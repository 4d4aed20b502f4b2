package pool

import (
	"sync"
	"time"

	"github.com/guild-network/guild/daemon/pool/store"
)

// spCache holds the most recent signage points, fed by the chain subscription, with the time
// the server received each, and the plots that already sent a partial for each (so a duplicate
// is refused at once). It forgets the oldest signage point (and its plots) beyond its size:
// partials for it would be refused as not found anyway.
type spCache struct {
	mu     sync.RWMutex
	size   int
	order  [][32]byte // oldest first
	points map[[32]byte]*spEntry
	latest SignagePoint
	at     time.Time // when the latest arrived
}

type spEntry struct {
	sp       SignagePoint
	received time.Time
	plots    map[store.Key]struct{}
}

func newSPCache(size int) *spCache {
	return &spCache{size: size, points: map[[32]byte]*spEntry{}}
}

// add records a signage point received at now.
func (c *spCache) add(sp SignagePoint, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.points[sp.Hash]; ok {
		return
	}
	c.points[sp.Hash] = &spEntry{sp: sp, received: now, plots: map[store.Key]struct{}{}}
	c.order = append(c.order, sp.Hash)
	for len(c.order) > c.size {
		delete(c.points, c.order[0])
		c.order = c.order[1:]
	}
	if sp.Height >= c.latest.Height {
		c.latest, c.at = sp, now
	}
}

// get returns a signage point and when it was received.
func (c *spCache) get(hash [32]byte) (SignagePoint, time.Time, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.points[hash]
	if !ok {
		return SignagePoint{}, time.Time{}, false
	}
	return e.sp, e.received, true
}

// claim marks the plot as having sent a partial for the signage point; false if it already had.
func (c *spCache) claim(hash [32]byte, plot store.Key) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.points[hash]
	if !ok {
		return false
	}
	if _, dup := e.plots[plot]; dup {
		return false
	}
	e.plots[plot] = struct{}{}
	return true
}

// release undoes a claim whose partial could not be recorded.
func (c *spCache) release(hash [32]byte, plot store.Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.points[hash]; ok {
		delete(e.plots, plot)
	}
}

// head returns the latest signage point and when it arrived.
func (c *spCache) head() (SignagePoint, time.Time) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.latest, c.at
}
