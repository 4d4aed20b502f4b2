// Package clock is the injectable clock of Guild's daemons. Every daemon reads the time and
// waits (timers, tickers, back-off, sleeps) only through a Clock, so that its tests drive time
// with a Fake instead of sleeping: Real is the wall clock, NewFake a clock that moves only when
// the test calls Advance or Set and then fires the timers and tickers that fell due, in order
// of their deadlines.
//
// Threading: every Clock, Timer and Ticker here is safe for concurrent use.
package clock

import (
	"context"
	"time"
)

// Clock tells the time and makes timers. Real and *Fake implement it.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// Since is Now().Sub(t).
	Since(t time.Time) time.Duration
	// After sends the time on the returned channel once d has passed.
	After(d time.Duration) <-chan time.Time
	// NewTimer returns a Timer that fires once after d.
	NewTimer(d time.Duration) Timer
	// NewTicker returns a Ticker that fires every d; it panics if d <= 0, as time.NewTicker does.
	NewTicker(d time.Duration) Ticker
	// AfterFunc calls f in its own goroutine once d has passed, unless the timer is stopped.
	AfterFunc(d time.Duration, f func()) Timer
	// Sleep waits for d or until ctx is done, whichever comes first; it returns ctx.Err() in
	// the second case and nil otherwise.
	Sleep(ctx context.Context, d time.Duration) error
}

// Timer is a single event, like *time.Timer.
type Timer interface {
	// C is the channel on which the time is delivered (nil for AfterFunc timers).
	C() <-chan time.Time
	// Stop prevents the timer from firing; it reports whether it stopped it.
	Stop() bool
	// Reset makes the timer fire d from now; it reports whether the timer had been active.
	Reset(d time.Duration) bool
}

// Ticker delivers ticks at intervals, like *time.Ticker: a slow reader misses ticks rather than
// queueing them (the channel holds one).
type Ticker interface {
	// C is the channel on which the ticks are delivered.
	C() <-chan time.Time
	// Stop turns the ticker off.
	Stop()
	// Reset stops the ticker and restarts it with period d.
	Reset(d time.Duration)
}

// Real is the wall clock.
var Real Clock = realClock{}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) Since(t time.Time) time.Duration        { return time.Since(t) }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
func (realClock) NewTimer(d time.Duration) Timer         { return realTimer{time.NewTimer(d)} }
func (realClock) NewTicker(d time.Duration) Ticker       { return realTicker{time.NewTicker(d)} }
func (realClock) AfterFunc(d time.Duration, f func()) Timer {
	return realTimer{time.AfterFunc(d, f)}
}

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time   { return r.t.C }
func (r realTicker) Stop()                 { r.t.Stop() }
func (r realTicker) Reset(d time.Duration) { r.t.Reset(d) }

// OrReal returns c, or Real when c is nil: constructors take an optional clock this way.
func OrReal(c Clock) Clock {
	if c == nil {
		return Real
	}
	return c
}
