package pool

import (
	"context"
	"errors"
	"fmt"

	"github.com/guild-network/guild/daemon/pool/store"
)

// errHalted is returned by a payout step stopped by the stop_at test hook.
var errHalted = errors.New("payout loop halted by the stop_at test hook")

// halt stops the payout loop at a step when the test hook asks for it. The server stays up
// (serving /healthz, which names the step) so that a crash test can kill it exactly there.
func (s *Server) halt(step string) error {
	if s.cfg.Payout.StopAt != step {
		return nil
	}
	s.mu.Lock()
	s.halted = step
	s.mu.Unlock()
	s.log.Warn("payout loop halted for a test", logKeyStep, step)
	return errHalted
}

// PayoutStep first moves every open payout batch one step on — planned: sign (with a timeout
// height), record the hash and bytes, then send; broadcast: confirm when its transaction is in a
// block, re-send while it may still be included, back to planned once it cannot be (failed, or
// past its timeout height) — and then plans a new round when one is due. Every step is
// recorded before the next is taken, so a crash anywhere resumes without paying twice.
func (s *Server) PayoutStep(ctx context.Context) error {
	s.mu.Lock()
	halted := s.halted
	s.mu.Unlock()
	if halted != "" {
		return errHalted
	}
	batches, err := s.store.OpenBatches(ctx)
	if err != nil {
		return err
	}
	height, err := s.chain.Height(ctx)
	if err != nil {
		return fmt.Errorf("payout: %w", err)
	}
	if _, err := s.advanceAll(ctx, batches, height); err != nil {
		return err
	}
	now := s.clock.Now()
	s.mu.Lock()
	due := s.lastRound.IsZero() || now.Sub(s.lastRound) >= s.cfg.Payout.Interval.D()
	s.mu.Unlock()
	if !due {
		return nil
	}
	plan := store.RoundPlan{Now: now.Unix(), Scheme: store.Scheme(s.cfg.Payout.Scheme),
		WindowStart: now.Add(-s.cfg.Payout.PPLNSWindow.D()).Unix(), FeeBps: s.cfg.Pool.FeeBps,
		MinPayout: s.cfg.Payout.MinPayout, PayoutsPerTx: s.cfg.Payout.PayoutsPerTx}
	round, err := s.store.PlanRound(ctx, plan)
	switch {
	case errors.Is(err, store.ErrNothingToPay):
		return nil
	case errors.Is(err, store.ErrNoPoints):
		s.metrics.Rounds.WithLabelValues("no_points").Inc()
		return nil
	case err != nil:
		s.metrics.Rounds.WithLabelValues("error").Inc()
		return err
	}
	s.mu.Lock()
	s.lastRound = now
	s.mu.Unlock()
	s.metrics.Rounds.WithLabelValues("ok").Inc()
	s.metrics.Payouts.WithLabelValues("planned").Add(float64(len(round.Batches)))
	s.log.Info("round planned", logKeyRound, round.ID, "total", round.Total, "fee", round.Fee, "credited", round.Credited,
		"dust", round.Dust, logKeyCount, len(round.Batches))
	if len(round.Batches) == 0 {
		return nil
	}
	if err := s.halt(StopAfterPlanned); err != nil {
		return err
	}
	// Send the new batches at once rather than at the next step.
	batches, err = s.store.OpenBatches(ctx)
	if err != nil {
		return err
	}
	_, err = s.advanceAll(ctx, batches, height)
	return err
}

// advanceAll moves the batches on: first every broadcast batch (confirm, re-send or reset),
// then, oldest first, a planned batch only while no transaction of the pool is waiting for a
// block: each is signed with the account's committed sequence, so two in flight would collide.
// (A newer broadcast batch blocks an older planned one too: it holds the next sequence.)
func (s *Server) advanceAll(ctx context.Context, batches []store.Batch, height int64) (inFlight bool, err error) {
	for _, state := range []store.BatchState{store.Broadcast, store.Planned} {
		for i := range batches {
			if batches[i].State != state || (state == store.Planned && inFlight) {
				continue
			}
			open, err := s.advance(ctx, &batches[i], height)
			if err != nil {
				return inFlight, err
			}
			inFlight = inFlight || open
		}
	}
	return inFlight, nil
}

// advance moves one batch a step on and reports whether its transaction is now waiting for a
// block.
func (s *Server) advance(ctx context.Context, b *store.Batch, height int64) (bool, error) {
	switch b.State {
	case store.Planned:
		outs := make([]Output, len(b.Payouts))
		for i, p := range b.Payouts {
			outs[i] = Output{Address: p.Address, Amount: p.Amount}
		}
		timeout := height + s.cfg.Payout.TxTimeoutBlocks
		hash, raw, err := s.chain.SignPayout(ctx, s.cfg.Payout.Denom, outs, timeout)
		if err != nil {
			return false, fmt.Errorf("payout batch %d: signing: %w", b.ID, err)
		}
		// The intent is durable before anything leaves: a crash after this line finds the hash.
		if err := s.store.MarkBroadcast(ctx, b.ID, hash, raw, timeout); err != nil {
			return false, err
		}
		s.metrics.Payouts.WithLabelValues("broadcast").Inc()
		if err := s.chain.Broadcast(ctx, raw); err != nil {
			s.log.Warn("payout broadcast failed; retried next step", logKeyBatch, b.ID, logKeyTx, hash, logKeyErr, err)
			return true, nil
		}
		s.log.Info("payout broadcast", logKeyBatch, b.ID, logKeyTx, hash, "total", b.Total(), logKeyCount, len(b.Payouts))
		return true, s.halt(StopAfterBroadcast)
	case store.Broadcast:
		st, err := s.chain.Status(ctx, b.TxHash)
		if err != nil {
			return true, fmt.Errorf("payout batch %d: status of %s: %w", b.ID, b.TxHash, err)
		}
		switch {
		case st.Included && st.Success:
			if err := s.halt(StopAfterIncluded); err != nil {
				return true, err
			}
			if err := s.store.MarkConfirmed(ctx, b.ID, b.TxHash, st.Height); err != nil {
				return true, err
			}
			s.metrics.Payouts.WithLabelValues("confirmed").Inc()
			s.metrics.Paid.Add(float64(b.Total()))
			s.log.Info("payout confirmed", logKeyBatch, b.ID, logKeyTx, b.TxHash, logKeyHeight, st.Height)
		case st.Included || height > b.TimeoutHeight:
			// Failed in its block, or past its timeout height: it can never pay. Sign anew.
			if err := s.store.ResetBatch(ctx, b.ID, b.TxHash); err != nil {
				return true, err
			}
			s.metrics.Payouts.WithLabelValues("reset").Inc()
			s.log.Warn("payout transaction cannot be included; re-planned", logKeyBatch, b.ID, logKeyTx, b.TxHash, "included", st.Included)
		default:
			if err := s.chain.Broadcast(ctx, b.TxBytes); err != nil {
				s.log.Debug("payout re-broadcast", logKeyBatch, b.ID, logKeyErr, err)
			}
			return true, nil
		}
	}
	return false, nil
}
