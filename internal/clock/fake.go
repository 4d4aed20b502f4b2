package clock

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Fake is a Clock for tests. Its time stands still until Advance or Set moves it; moving it fires
// every timer, ticker, After and Sleep that fell due, one at a time in the order of their
// deadlines (ties in the order they were armed), with Now equal to each one's deadline while it
// fires. So a test never sleeps: it advances the clock and observes what fired.
//
//   - A timer's or ticker's channel holds one value and a send never blocks, as with the real
//     ones: a ticker that comes due several times within one Advance while nobody reads its
//     channel delivers its first tick and drops the others (it keeps its phase).
//   - AfterFunc functions run inside Advance, synchronously and in deadline order, without the
//     clock's lock held (so they may use the clock).
//   - Stop and Reset discard a value still waiting in the channel, as Go ≥ 1.23 timers do, so no
//     stale tick is read after them.
//   - A timer armed with d <= 0 fires at once.
//
// To hand over to a goroutine that is about to wait on the clock, call BlockUntil(ctx, n): it
// returns once n timers, tickers or sleeps are armed, without any sleep or poll.
//
// The zero Fake is not usable; call NewFake.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	seq     uint64
	waiters map[*fakeTimer]struct{}
	changed chan struct{} // closed and replaced whenever the set of armed waiters grows
}

// NewFake returns a Fake clock standing at start.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start, waiters: map[*fakeTimer]struct{}{}, changed: make(chan struct{})}
}

// Now implements Clock.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Since implements Clock.
func (f *Fake) Since(t time.Time) time.Duration { return f.Now().Sub(t) }

// After implements Clock.
func (f *Fake) After(d time.Duration) <-chan time.Time { return f.NewTimer(d).C() }

// NewTimer implements Clock.
func (f *Fake) NewTimer(d time.Duration) Timer {
	t := &fakeTimer{f: f, ch: make(chan time.Time, 1)}
	t.Reset(d)
	return t
}

// AfterFunc implements Clock; fn runs inside the Advance that reaches its deadline (or in a new
// goroutine at once when d <= 0).
func (f *Fake) AfterFunc(d time.Duration, fn func()) Timer {
	t := &fakeTimer{f: f, fn: fn}
	t.Reset(d)
	return t
}

// NewTicker implements Clock.
func (f *Fake) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("clock: non-positive interval for NewTicker")
	}
	t := &fakeTimer{f: f, ch: make(chan time.Time, 1), period: d}
	t.Reset(d)
	return fakeTicker{t}
}

// Sleep implements Clock.
func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := f.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C():
		return nil
	}
}

// Advance moves the clock forward by d, firing everything that falls due on the way in order.
// It panics if d is negative.
func (f *Fake) Advance(d time.Duration) {
	if d < 0 {
		panic(fmt.Sprintf("clock: Advance(%s) goes backwards", d))
	}
	f.mu.Lock()
	target := f.now.Add(d)
	f.mu.Unlock()
	f.advanceTo(target)
}

// Set moves the clock forward to t, firing everything that falls due on the way. It panics if t
// is before Now.
func (f *Fake) Set(t time.Time) {
	if now := f.Now(); t.Before(now) {
		panic(fmt.Sprintf("clock: Set(%s) goes back from %s", t, now))
	}
	f.advanceTo(t)
}

// Waiters is the number of armed timers, tickers and sleeps.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// BlockUntil returns once at least n timers, tickers or sleeps are armed, or ctx is done.
func (f *Fake) BlockUntil(ctx context.Context, n int) error {
	for {
		f.mu.Lock()
		have, changed := len(f.waiters), f.changed
		f.mu.Unlock()
		if have >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("clock: %d waiters armed, want %d: %w", have, n, ctx.Err())
		case <-changed:
		}
	}
}

func (f *Fake) advanceTo(target time.Time) {
	for {
		f.mu.Lock()
		next := f.earliestLocked()
		if next == nil || next.at.After(target) {
			if target.After(f.now) {
				f.now = target
			}
			f.mu.Unlock()
			return
		}
		if next.at.After(f.now) {
			f.now = next.at
		}
		fn := next.fireLocked(target)
		f.mu.Unlock()
		if fn != nil {
			fn()
		}
	}
}

// earliestLocked is the armed waiter with the smallest (deadline, arming order).
func (f *Fake) earliestLocked() *fakeTimer {
	var best *fakeTimer
	for t := range f.waiters {
		if best == nil || t.at.Before(best.at) || (t.at.Equal(best.at) && t.seq < best.seq) {
			best = t
		}
	}
	return best
}

func (f *Fake) armLocked(t *fakeTimer) {
	f.seq++
	t.seq = f.seq
	if _, ok := f.waiters[t]; !ok {
		f.waiters[t] = struct{}{}
		close(f.changed)
		f.changed = make(chan struct{})
	}
}

// fakeTimer is a Fake's timer, AfterFunc or (with period > 0) ticker.
type fakeTimer struct {
	f      *Fake
	ch     chan time.Time
	fn     func()
	period time.Duration
	at     time.Time
	seq    uint64
}

func (t *fakeTimer) C() <-chan time.Time { return t.ch }

func (t *fakeTimer) Stop() bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	_, active := t.f.waiters[t]
	delete(t.f.waiters, t)
	t.drainLocked()
	return active
}

func (t *fakeTimer) Reset(d time.Duration) bool {
	t.f.mu.Lock()
	_, active := t.f.waiters[t]
	t.drainLocked()
	if d <= 0 && t.period == 0 {
		delete(t.f.waiters, t)
		now, fn := t.f.now, t.fn
		if t.ch != nil {
			t.ch <- now // the channel was just drained and only this timer sends on it
		}
		t.f.mu.Unlock()
		if fn != nil {
			go fn()
		}
		return active
	}
	t.at = t.f.now.Add(d)
	t.f.armLocked(t)
	t.f.mu.Unlock()
	return active
}

func (t *fakeTimer) drainLocked() {
	if t.ch == nil {
		return
	}
	select {
	case <-t.ch:
	default:
	}
}

// fireLocked delivers t's event at t.at and re-arms a ticker; it returns an AfterFunc's
// function for the caller to run once the lock is released.
func (t *fakeTimer) fireLocked(target time.Time) func() {
	if t.period == 0 {
		delete(t.f.waiters, t)
		if t.fn != nil {
			return t.fn
		}
		select {
		case t.ch <- t.at:
		default:
		}
		return nil
	}
	delivered := false
	select {
	case t.ch <- t.at:
		delivered = true
	default:
	}
	t.at = t.at.Add(t.period)
	if !delivered && !t.at.After(target) {
		// Nobody read the last tick: every further tick of this Advance would be dropped too.
		skip := target.Sub(t.at)/t.period + 1
		t.at = t.at.Add(skip * t.period)
	}
	t.f.seq++
	t.seq = t.f.seq
	return nil
}

type fakeTicker struct{ t *fakeTimer }

func (k fakeTicker) C() <-chan time.Time { return k.t.ch }
func (k fakeTicker) Stop()               { k.t.Stop() }

func (k fakeTicker) Reset(d time.Duration) {
	if d <= 0 {
		panic("clock: non-positive interval for Ticker.Reset")
	}
	k.t.f.mu.Lock()
	k.t.period = d
	k.t.f.mu.Unlock()
	k.t.Reset(d)
}
