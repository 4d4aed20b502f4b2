package daemonkit

import (
	"container/list"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/guild-network/guild/internal/clock"
)

// Rate is a token bucket: Burst requests at once, refilled at Events per Per. Written in TOML
// as { events = 60, per = "1m", burst = 10 }. The zero Rate means "no limit".
type Rate struct {
	Events int      `toml:"events" comment:"requests allowed per period"`
	Per    Duration `toml:"per" comment:"the period"`
	Burst  int      `toml:"burst" comment:"requests allowed at once"`
}

// Unlimited reports whether r is the zero Rate.
func (r Rate) Unlimited() bool { return r == Rate{} }

// ValidateBasic checks the rate.
func (r Rate) ValidateBasic() error {
	if r.Unlimited() {
		return nil
	}
	if r.Events <= 0 || r.Per.D() <= 0 || r.Burst <= 0 {
		return KeyErrorf("events", "rate %d per %s burst %d: want all three positive (or all zero for no limit)", r.Events, r.Per.D(), r.Burst)
	}
	return nil
}

func (r Rate) limit() rate.Limit { return rate.Every(r.Per.D() / time.Duration(r.Events)) }

// RateLimiter limits requests per (route, key): each route has its Rate (or the default one)
// and each key (a client address, a farmer id) on it its own bucket. It keeps at most maxKeys
// buckets and forgets the least recently used beyond that. Time comes from the clock, so tests
// drive refills with a fake one. Safe for concurrent use.
type RateLimiter struct {
	clk     clock.Clock
	def     Rate
	routes  map[string]Rate
	maxKeys int

	mu      sync.Mutex
	buckets map[bucketKey]*list.Element
	lru     *list.List // front = most recently used; values are *bucket
}

type bucketKey struct{ route, key string }

type bucket struct {
	k   bucketKey
	lim *rate.Limiter
}

// NewRateLimiter returns a limiter with a default rate, per-route overrides and a bound on the
// number of buckets kept (at least 1).
func NewRateLimiter(clk clock.Clock, def Rate, routes map[string]Rate, maxKeys int) *RateLimiter {
	r := map[string]Rate{}
	for k, v := range routes {
		r[k] = v
	}
	return &RateLimiter{clk: clock.OrReal(clk), def: def, routes: r, maxKeys: max(maxKeys, 1),
		buckets: map[bucketKey]*list.Element{}, lru: list.New()}
}

func (l *RateLimiter) rateFor(route string) Rate {
	if r, ok := l.routes[route]; ok {
		return r
	}
	return l.def
}

// Allow takes one token from (route, key)'s bucket. When it is empty it returns false and how
// long until a token is back.
func (l *RateLimiter) Allow(route, key string) (bool, time.Duration) {
	r := l.rateFor(route)
	if r.Unlimited() {
		return true, 0
	}
	now := l.clk.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	k := bucketKey{route, key}
	var b *bucket
	if e, ok := l.buckets[k]; ok {
		l.lru.MoveToFront(e)
		b = e.Value.(*bucket)
	} else {
		b = &bucket{k: k, lim: rate.NewLimiter(r.limit(), r.Burst)}
		// A new bucket starts full at now (rate.Limiter's zero "last" would otherwise refill
		// from the epoch, which a fake clock need not be after).
		b.lim.SetLimitAt(now, r.limit())
		l.buckets[k] = l.lru.PushFront(b)
		for l.lru.Len() > l.maxKeys {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.buckets, old.Value.(*bucket).k)
		}
	}
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// Keys is the number of buckets kept.
func (l *RateLimiter) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// Middleware limits next on route by the key keyOf gives each request (nil: the client's IP).
// A refused request gets 429 with Retry-After in whole seconds and onLimit (if not nil) is
// called, e.g. to count it.
func (l *RateLimiter) Middleware(route string, keyOf func(*http.Request) string, onLimit func(route string), next http.Handler) http.Handler {
	if keyOf == nil {
		keyOf = ClientIP
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ok, wait := l.Allow(route, keyOf(req))
		if !ok {
			if onLimit != nil {
				onLimit(route)
			}
			secs := int((wait + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
			http.Error(w, "rate limit exceeded", http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, req)
	})
}

// ClientIP is the request's remote IP without the port (forwarding headers are not trusted).
func ClientIP(req *http.Request) string {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return req.RemoteAddr
	}
	return host
}
