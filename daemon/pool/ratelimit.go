package pool

import (
	"sync"
	"time"
)

// limiter is a set of token buckets keyed by client (an IP, a launcher id), in integer
// milli-tokens: each key may make burst requests at once and perMinute per minute sustained.
// Idle keys are dropped by sweep, so memory stays bounded by the active clients.
type limiter struct {
	mu        sync.Mutex
	perMinute int64
	burst     int64
	buckets   map[string]*bucket
}

type bucket struct {
	milli int64 // tokens × 1000
	at    time.Time
}

func newLimiter(perMinute, burst int64) *limiter {
	return &limiter{perMinute: perMinute, burst: burst, buckets: map[string]*bucket{}}
}

// allow takes one token for key at now, or reports false.
func (l *limiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	full := l.burst * 1000
	if !ok {
		b = &bucket{milli: full, at: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.at); el > 0 {
		// refill: perMinute tokens per 60 s, in milli-tokens per millisecond = perMinute / 60
		add := el.Milliseconds() * l.perMinute / 60
		if add > 0 {
			b.milli = min(full, b.milli+add)
			b.at = now
		}
	}
	if b.milli < 1000 {
		return false
	}
	b.milli -= 1000
	return true
}

// sweep drops buckets that are full again (idle since long enough).
func (l *limiter) sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	full := l.burst * 1000
	for k, b := range l.buckets {
		if b.milli+now.Sub(b.at).Milliseconds()*l.perMinute/60 >= full {
			delete(l.buckets, k)
		}
	}
}
