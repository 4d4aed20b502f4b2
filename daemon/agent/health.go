package agent

import (
	"context"
	"errors"
	"time"

	"github.com/guild-network/guild/daemon/agent/store"
	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/internal/daemonkit"
)

// loopFollow is the name of the chain loop in /healthz.
const loopFollow = "follow"

// ErrNotReconciled is the reconcile check's error while the last successful reconciliation is
// missing or too old.
var ErrNotReconciled = errors.New("no recent successful reconciliation")

// followStaleAfter is how long the chain loop may go without finishing a round before
// /healthz fails: three resync intervals, and at least a minute (a round can deploy).
func followStaleAfter(c LoopConfig) time.Duration { return max(3*c.ResyncInterval.D(), time.Minute) }

// newHealth builds the agent's /healthz: the chain loop must keep finishing rounds, the last
// successful reconciliation must be recent (the reconciler's own rule), the store must answer;
// the reconciler's state is the report's info.
func newHealth(clk clock.Clock, loop LoopConfig, rec *Reconciler, st *store.Store, limits string) *daemonkit.Health {
	h := daemonkit.NewHealth(clk)
	h.Loop(loopFollow, followStaleAfter(loop))
	h.Check("reconcile", func(context.Context) error {
		if s := rec.Health(); !s.OK {
			if s.LastError != "" {
				return errors.Join(ErrNotReconciled, errors.New(s.LastError))
			}
			return ErrNotReconciled
		}
		return nil
	})
	h.Check("store", st.Ping)
	h.Info(func() any {
		s := rec.Health()
		s.Limits = limits
		return s
	})
	return h
}
