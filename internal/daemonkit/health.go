package daemonkit

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/guild-network/guild/internal/clock"
)

// Health tracks a daemon's loops and checks for /healthz. Each loop registers with the longest
// time it may go without a Beat; the daemon is healthy while every loop has beaten recently
// enough and every check passes. A loop that has not beaten yet counts from its registration,
// so a daemon is healthy at start-up for one staleness period. Safe for concurrent use.
type Health struct {
	clk    clock.Clock
	mu     sync.Mutex
	loops  map[string]*Loop
	checks map[string]func(context.Context) error
	info   func() any
}

// NewHealth returns an empty registry reading time from clk (nil: the real clock).
func NewHealth(clk clock.Clock) *Health {
	return &Health{clk: clock.OrReal(clk), loops: map[string]*Loop{}, checks: map[string]func(context.Context) error{}}
}

// Loop is one registered loop's heartbeat.
type Loop struct {
	h          *Health
	name       string
	staleAfter time.Duration
	mu         sync.Mutex
	last       time.Time
	beaten     bool
	lastErr    string
}

// Loop registers (or returns the already registered) loop name, stale when it goes more than
// staleAfter without a Beat.
func (h *Health) Loop(name string, staleAfter time.Duration) *Loop {
	h.mu.Lock()
	defer h.mu.Unlock()
	if l, ok := h.loops[name]; ok {
		return l
	}
	l := &Loop{h: h, name: name, staleAfter: staleAfter, last: h.clk.Now()}
	h.loops[name] = l
	return l
}

// Check registers a named check run on every health request (a store ping, a chain RPC).
func (h *Health) Check(name string, fn func(context.Context) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks[name] = fn
}

// Info sets a function whose result is reported as "info" (the daemon's own state).
func (h *Health) Info(fn func() any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.info = fn
}

// Beat records that the loop completed a round, clearing its last error.
func (l *Loop) Beat() { l.record("") }

// Fail records that the loop completed a round with an error: it still counts as alive (it is
// running), and the error is reported.
func (l *Loop) Fail(err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	l.record(msg)
}

func (l *Loop) record(errMsg string) {
	now := l.h.clk.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last, l.beaten, l.lastErr = now, true, errMsg
}

// LoopStatus is one loop in a HealthReport.
type LoopStatus struct {
	OK        bool      `json:"ok"`
	LastBeat  time.Time `json:"last_beat,omitzero"`
	Stale     string    `json:"stale_after"`
	LastError string    `json:"last_error,omitempty"`
}

// HealthReport is what /healthz returns.
type HealthReport struct {
	OK     bool                  `json:"ok"`
	Time   time.Time             `json:"time"`
	Loops  map[string]LoopStatus `json:"loops,omitempty"`
	Checks map[string]string     `json:"checks,omitempty"` // "ok" or the error
	Info   any                   `json:"info,omitempty"`
}

// Failing lists the names of the failing loops and checks, sorted.
func (r HealthReport) Failing() []string {
	var out []string
	for name, l := range r.Loops {
		if !l.OK {
			out = append(out, name)
		}
	}
	for name, c := range r.Checks {
		if c != "ok" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Report evaluates every loop and check now.
func (h *Health) Report(ctx context.Context) HealthReport {
	h.mu.Lock()
	loops := make([]*Loop, 0, len(h.loops))
	for _, l := range h.loops {
		loops = append(loops, l)
	}
	checks := make(map[string]func(context.Context) error, len(h.checks))
	for name, fn := range h.checks {
		checks[name] = fn
	}
	info := h.info
	h.mu.Unlock()

	now := h.clk.Now()
	r := HealthReport{OK: true, Time: now, Loops: map[string]LoopStatus{}, Checks: map[string]string{}}
	for _, l := range loops {
		l.mu.Lock()
		s := LoopStatus{OK: now.Sub(l.last) <= l.staleAfter, Stale: l.staleAfter.String(), LastError: l.lastErr}
		if l.beaten {
			s.LastBeat = l.last
		}
		l.mu.Unlock()
		r.Loops[l.name] = s
		r.OK = r.OK && s.OK
	}
	for name, fn := range checks {
		if err := fn(ctx); err != nil {
			r.Checks[name] = err.Error()
			r.OK = false
		} else {
			r.Checks[name] = "ok"
		}
	}
	if info != nil {
		r.Info = info()
	}
	return r
}

// ServeHTTP answers /healthz: 200 when healthy, 503 otherwise, the JSON report either way.
func (h *Health) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 5*time.Second)
	defer cancel()
	r := h.Report(ctx)
	w.Header().Set("Content-Type", "application/json")
	if !r.OK {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(r)
}
