package pool

import (
	"context"
	"sync"
	"time"

	"github.com/guild-network/guild/daemon/pool/difficulty"
	"github.com/guild-network/guild/daemon/pool/store"
)

// maxRecentErrors bounds the rejected partials kept per farmer for the login page.
const maxRecentErrors = 20

// farmerCache keeps every active farmer's record and recent partials in memory, so that the
// partial path reads neither the store nor the chain. The store stays the source of truth: an
// entry is loaded on first use and dropped (reloaded next time) whenever a write fails.
type farmerCache struct {
	st      store.Store
	recentN int
	mu      sync.Mutex
	entries map[store.Key]*farmerEntry
}

type farmerEntry struct {
	mu     sync.Mutex
	rec    store.Farmer
	recent []difficulty.Partial // newest first, at most recentN: a window onto buf from start
	buf    []difficulty.Partial
	start  int
	errors []partialError // newest last, at most maxRecentErrors
}

type partialError struct {
	At      time.Time
	Code    int
	Message string
}

func newFarmerCache(st store.Store, recentN int) *farmerCache {
	return &farmerCache{st: st, recentN: recentN, entries: map[store.Key]*farmerEntry{}}
}

// get returns the farmer's entry, loading it from the store on first use. It returns
// store.ErrNotFound for an unknown farmer.
func (c *farmerCache) get(ctx context.Context, lid store.Key) (*farmerEntry, error) {
	c.mu.Lock()
	e, ok := c.entries[lid]
	c.mu.Unlock()
	if ok {
		return e, nil
	}
	rec, err := c.st.Farmer(ctx, lid)
	if err != nil {
		return nil, err
	}
	ps, err := c.st.RecentPartials(ctx, lid, c.recentN)
	if err != nil {
		return nil, err
	}
	e = &farmerEntry{rec: rec}
	for _, p := range ps {
		e.recent = append(e.recent, difficulty.Partial{Timestamp: p.Timestamp, Difficulty: p.Difficulty})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.entries[lid]; ok {
		return prev, nil
	}
	c.entries[lid] = e
	return e, nil
}

// invalidate drops an entry; the next get reloads it from the store.
func (c *farmerCache) invalidate(lid store.Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, lid)
}

// peek returns an entry if it is loaded.
func (c *farmerCache) peek(lid store.Key) (*farmerEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[lid]
	return e, ok
}

// push records an accepted partial at the front of the recent list in amortised O(1), without
// allocating: the list is a window onto a buffer (growing geometrically up to twice the bound)
// filled from the back; when the front is reached, the newest entries move to the back once.
// (Prepending to a slice copied and allocated the whole list on every partial.)
func (e *farmerEntry) push(p difficulty.Partial, n int) {
	if e.start == 0 {
		keep := min(len(e.recent), n-1)
		size := min(2*n, max(16, 2*len(e.buf), 2*(keep+1)))
		buf := e.buf
		if len(buf) != size {
			buf = make([]difficulty.Partial, size)
		}
		copy(buf[size-keep:], e.recent[:keep])
		e.buf, e.start = buf, size-keep
	}
	e.start--
	e.buf[e.start] = p
	e.recent = e.buf[e.start:min(e.start+n, len(e.buf))]
}

// fail records a rejected partial for the login page.
func (e *farmerEntry) fail(at time.Time, code int, msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errors = append(e.errors, partialError{At: at, Code: code, Message: msg})
	if len(e.errors) > maxRecentErrors {
		e.errors = e.errors[1:]
	}
}
