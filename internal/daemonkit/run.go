package daemonkit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/guild-network/guild/internal/clock"
)

// Func is one of a daemon's long-running parts: it runs until ctx is done and then returns nil,
// or returns an error, which stops the daemon.
type Func func(ctx context.Context) error

// Run runs every fn in its own goroutine of one errgroup and waits for all of them. The first
// error cancels the others' context and is returned once they have all returned; when ctx is
// cancelled they all stop and Run returns nil (a fn that returns ctx's own cancellation error
// then counts as a clean stop). A panic in a fn is not recovered: it is a bug.
func Run(ctx context.Context, fns ...Func) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, fn := range fns {
		g.Go(func() error {
			err := fn(gctx)
			if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
				return nil // the daemon was asked to stop
			}
			return err
		})
	}
	return g.Wait()
}

// Named gives a Func's errors its name, so that Run's first error says which part failed.
func Named(name string, fn Func) Func {
	return func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
}

// Every is a Func that calls step at once and then every interval on clk until ctx is done,
// beating loop (when not nil) after each successful round and recording failures on it. A
// failing round does not stop the loop unless step's error wraps ErrFatal; it is logged by
// the caller's step. The next round starts interval after the previous one ended.
func Every(clk clock.Clock, interval time.Duration, loop *Loop, step func(ctx context.Context) error) Func {
	clk = clock.OrReal(clk)
	return func(ctx context.Context) error {
		t := clk.NewTimer(0)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-t.C():
			}
			err := step(ctx)
			if errors.Is(err, ErrFatal) {
				return err
			}
			if loop != nil {
				if err != nil && ctx.Err() == nil {
					loop.Fail(err)
				} else {
					loop.Beat()
				}
			}
			t.Reset(interval)
		}
	}
}

// ErrFatal, wrapped into a step's error, stops Every's loop and with it the daemon.
var ErrFatal = errors.New("fatal")
