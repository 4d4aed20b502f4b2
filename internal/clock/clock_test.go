package clock_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/clock"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func recv(t *testing.T, c <-chan time.Time) time.Time {
	t.Helper()
	select {
	case v := <-c:
		return v
	default:
		t.Fatal("nothing on the channel")
		return time.Time{}
	}
}

func empty(t *testing.T, c <-chan time.Time) {
	t.Helper()
	select {
	case v := <-c:
		t.Fatalf("unexpected value %s on the channel", v)
	default:
	}
}

func TestFakeTimerFiresAtItsDeadline(t *testing.T) {
	f := clock.NewFake(t0)
	tm := f.NewTimer(10 * time.Second)
	f.Advance(9 * time.Second)
	empty(t, tm.C())
	f.Advance(time.Second)
	require.Equal(t, t0.Add(10*time.Second), recv(t, tm.C()))
	require.False(t, tm.Stop(), "a fired timer is no longer active")
	require.Equal(t, 0, f.Waiters())
}

func TestFakeFiresInDeadlineOrderWithNowAtEachDeadline(t *testing.T) {
	f := clock.NewFake(t0)
	var mu sync.Mutex
	var order []string
	var nows []time.Time
	add := func(name string) func() {
		return func() {
			mu.Lock()
			defer mu.Unlock()
			order = append(order, name)
			nows = append(nows, f.Now())
		}
	}
	f.AfterFunc(3*time.Second, add("c"))
	f.AfterFunc(time.Second, add("a"))
	f.AfterFunc(2*time.Second, add("b1"))
	f.AfterFunc(2*time.Second, add("b2")) // same deadline: arming order
	f.Advance(time.Minute)
	require.Equal(t, []string{"a", "b1", "b2", "c"}, order)
	require.Equal(t, []time.Time{t0.Add(time.Second), t0.Add(2 * time.Second), t0.Add(2 * time.Second), t0.Add(3 * time.Second)}, nows)
	require.Equal(t, t0.Add(time.Minute), f.Now())
}

func TestFakeAfterFuncMayUseTheClock(t *testing.T) {
	f := clock.NewFake(t0)
	var fired []time.Time
	var again func()
	again = func() {
		fired = append(fired, f.Now())
		if len(fired) < 3 {
			f.AfterFunc(time.Second, again) // re-arms from inside Advance
		}
	}
	f.AfterFunc(time.Second, again)
	f.Advance(10 * time.Second)
	require.Equal(t, []time.Time{t0.Add(time.Second), t0.Add(2 * time.Second), t0.Add(3 * time.Second)}, fired)
}

func TestFakeTimerStopAndReset(t *testing.T) {
	f := clock.NewFake(t0)
	tm := f.NewTimer(time.Second)
	require.True(t, tm.Stop())
	f.Advance(time.Hour)
	empty(t, tm.C())

	require.False(t, tm.Reset(time.Second), "a stopped timer was not active")
	f.Advance(time.Second)
	// Reset discards the value still in the channel: no stale fire is read afterwards.
	require.False(t, tm.Reset(5*time.Second))
	empty(t, tm.C())
	f.Advance(4 * time.Second)
	empty(t, tm.C())
	require.True(t, tm.Reset(5*time.Second), "an armed timer is active")
	f.Advance(5 * time.Second)
	require.Equal(t, t0.Add(time.Hour+10*time.Second), recv(t, tm.C()))
}

func TestFakeNonPositiveTimerFiresAtOnce(t *testing.T) {
	f := clock.NewFake(t0)
	require.Equal(t, t0, recv(t, f.After(0)))
	require.Equal(t, t0, recv(t, f.NewTimer(-time.Second).C()))
	done := make(chan struct{})
	f.AfterFunc(0, func() { close(done) })
	<-done
	require.NoError(t, f.Sleep(context.Background(), 0))
}

func TestFakeTicker(t *testing.T) {
	f := clock.NewFake(t0)
	tk := f.NewTicker(10 * time.Second)
	for i := 1; i <= 3; i++ {
		f.Advance(10 * time.Second)
		require.Equal(t, t0.Add(time.Duration(i)*10*time.Second), recv(t, tk.C()))
	}
	// Unread ticks are dropped, and the ticker keeps its phase.
	f.Advance(35 * time.Second) // due at 40, 50, 60
	require.Equal(t, t0.Add(40*time.Second), recv(t, tk.C()))
	empty(t, tk.C())
	f.Advance(5 * time.Second) // 70
	require.Equal(t, t0.Add(70*time.Second), recv(t, tk.C()))

	tk.Reset(time.Second)
	f.Advance(time.Second)
	require.Equal(t, t0.Add(71*time.Second), recv(t, tk.C()))
	tk.Stop()
	f.Advance(time.Hour)
	empty(t, tk.C())
	require.Equal(t, 0, f.Waiters())
	require.Panics(t, func() { f.NewTicker(0) })
	require.Panics(t, func() { tk.Reset(0) })
}

func TestFakeLongAdvanceWithAFastTickerIsCheap(t *testing.T) {
	f := clock.NewFake(t0)
	tk := f.NewTicker(time.Millisecond)
	f.Advance(24 * time.Hour) // would be 86.4M ticks without skipping the dropped ones
	require.Equal(t, t0.Add(time.Millisecond), recv(t, tk.C()))
	f.Advance(time.Millisecond)
	require.Equal(t, t0.Add(24*time.Hour+time.Millisecond), recv(t, tk.C()))
}

func TestFakeSleepAndBlockUntil(t *testing.T) {
	f := clock.NewFake(t0)
	ctx := context.Background()
	woke := make(chan error, 1)
	go func() { woke <- f.Sleep(ctx, time.Minute) }()
	require.NoError(t, f.BlockUntil(ctx, 1))
	f.Advance(59 * time.Second)
	select {
	case <-woke:
		t.Fatal("woke before its time")
	default:
	}
	f.Advance(time.Second)
	require.NoError(t, <-woke)

	cctx, cancel := context.WithCancel(ctx)
	go func() { woke <- f.Sleep(cctx, time.Minute) }()
	require.NoError(t, f.BlockUntil(ctx, 1))
	cancel()
	require.ErrorIs(t, <-woke, context.Canceled)
	require.Equal(t, 0, f.Waiters(), "a cancelled sleep disarms its timer")

	short, cancel2 := context.WithCancel(ctx)
	cancel2()
	require.ErrorIs(t, f.BlockUntil(short, 5), context.Canceled)
}

func TestFakeSetAndBackwardsPanics(t *testing.T) {
	f := clock.NewFake(t0)
	c := f.After(time.Hour)
	f.Set(t0.Add(2 * time.Hour))
	require.Equal(t, t0.Add(time.Hour), recv(t, c))
	require.Equal(t, 2*time.Hour, f.Since(t0))
	require.Panics(t, func() { f.Set(t0) })
	require.Panics(t, func() { f.Advance(-time.Second) })
}

// TestFakeConcurrentUse is for the race detector: many goroutines arm, stop and wait while the
// test advances the clock.
func TestFakeConcurrentUse(t *testing.T) {
	f := clock.NewFake(t0)
	ctx := context.Background()
	const n = 16
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk := f.NewTicker(time.Duration(i+1) * time.Second)
			defer tk.Stop()
			tm := f.NewTimer(time.Hour)
			tm.Stop()
			_ = f.Now()
			_ = f.Sleep(ctx, time.Duration(i+1)*time.Minute)
		}()
	}
	require.NoError(t, f.BlockUntil(ctx, 2*n)) // n tickers and n sleeps
	for f.Waiters() > 0 {
		f.Advance(time.Minute)
	}
	wg.Wait()
}

func TestRealClock(t *testing.T) {
	c := clock.OrReal(nil)
	require.Equal(t, clock.Real, c)
	start := c.Now()
	require.NoError(t, c.Sleep(context.Background(), time.Millisecond))
	require.Positive(t, c.Since(start))
	<-c.After(time.Millisecond)
	tm := c.NewTimer(time.Millisecond)
	<-tm.C()
	tk := c.NewTicker(time.Millisecond)
	<-tk.C()
	tk.Reset(time.Millisecond)
	tk.Stop()
	done := make(chan struct{})
	c.AfterFunc(time.Millisecond, func() { close(done) })
	<-done
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)
	f := clock.NewFake(t0)
	require.Same(t, f, clock.OrReal(f))
}
