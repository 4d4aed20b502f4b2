package pool

import (
	"context"
	"fmt"
	"time"

	"github.com/guild-network/guild/daemon/pool/store"
)

const stateAbsorbCursor = "absorb_cursor"

// subscribeLoop feeds the signage point cache from the chain, re-subscribing after a failure.
func (s *Server) subscribeLoop(ctx context.Context) error {
	backoff := time.Second
	for ctx.Err() == nil {
		err := s.chain.SubscribeSignagePoints(ctx, s.AddSignagePoint)
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("signage point subscription ended", logKeyErr, err)
		if err := s.clock.Sleep(ctx, backoff); err != nil {
			return nil
		}
		backoff = min(2*backoff, 30*time.Second)
	}
	return nil
}

// AddSignagePoint records a signage point received now.
func (s *Server) AddSignagePoint(sp SignagePoint) {
	s.sps.add(sp, s.clock.Now())
	s.metrics.SignagePoints.Set(float64(sp.Height))
}

// MembershipStep reads the pool contracts targeting the pool and updates each farmer's
// membership: a contract that left (after its relative lock) stops earning points.
func (s *Server) MembershipStep(ctx context.Context) error {
	contracts, err := s.chain.ContractsTargeting(ctx, s.cfg.Pool.Address)
	if err != nil {
		return fmt.Errorf("membership: %w", err)
	}
	height, err := s.chain.Height(ctx)
	if err != nil {
		return fmt.Errorf("membership: %w", err)
	}
	byID := map[store.Key]PoolContract{}
	for _, c := range contracts {
		byID[c.LauncherID] = c
	}
	farmers, err := s.store.Farmers(ctx)
	if err != nil {
		return err
	}
	members := 0
	for _, f := range farmers {
		c, ok := byID[f.LauncherID]
		member := ok && c.member(s.cfg.Pool.Address, s.cfg.Pool.RelativeLock, uint64(height))
		if member {
			members++
		}
		if member == f.IsMember {
			continue
		}
		if err := s.store.UpdateFarmer(ctx, f.LauncherID, store.FarmerUpdate{IsMember: &member}); err != nil {
			return err
		}
		if e, ok := s.farmers.peek(f.LauncherID); ok {
			e.mu.Lock()
			e.rec.IsMember = member
			e.mu.Unlock()
		}
		s.log.Info("membership changed", logKeyLauncher, fmt.Sprintf("%x", f.LauncherID), "member", member)
	}
	s.metrics.Farmers.WithLabelValues("true").Set(float64(members))
	s.metrics.Farmers.WithLabelValues("false").Set(float64(len(farmers) - members))
	return nil
}

// maxAbsorbPerTx bounds the contracts absorbed by one transaction.
const maxAbsorbPerTx = 100

// AbsorbStep absorbs the balances of the pool contracts targeting the pool and records the
// rewards that arrived (read back from the chain, each once, so a crash between the two loses
// nothing).
func (s *Server) AbsorbStep(ctx context.Context) error {
	contracts, err := s.chain.ContractsTargeting(ctx, s.cfg.Pool.Address)
	if err != nil {
		return fmt.Errorf("absorb: %w", err)
	}
	var ids []uint64
	for _, c := range contracts {
		if c.Balance > 0 && c.Target == s.cfg.Pool.Address {
			ids = append(ids, c.ID)
		}
	}
	for start := 0; start < len(ids); start += maxAbsorbPerTx {
		chunk := ids[start:min(len(ids), start+maxAbsorbPerTx)]
		tx, err := s.chain.Absorb(ctx, chunk)
		if err != nil {
			s.metrics.Absorb.WithLabelValues("error").Inc()
			s.log.Warn("absorb failed", logKeyCount, len(chunk), logKeyErr, err)
			continue
		}
		s.metrics.Absorb.WithLabelValues("ok").Inc()
		s.log.Info("absorbed", logKeyCount, len(chunk), logKeyTx, tx)
	}
	return s.recordRewards(ctx)
}

func (s *Server) recordRewards(ctx context.Context) error {
	rewards, next, err := s.chain.Absorbed(ctx, s.cfg.Pool.Address, s.absorbFrom)
	if err != nil {
		return fmt.Errorf("absorb: reading absorptions: %w", err)
	}
	for _, r := range rewards {
		added, err := s.store.AddReward(ctx, r)
		if err != nil {
			return err
		}
		if added {
			s.metrics.Rewards.Add(float64(r.Amount))
			s.log.Info("reward recorded", "key", r.Key, "amount", r.Amount, logKeyHeight, r.Height)
		}
	}
	if next != s.absorbFrom {
		if err := s.store.SetState(ctx, stateAbsorbCursor, next); err != nil {
			return err
		}
		s.absorbFrom = next
	}
	return nil
}

// PruneStep deletes partials older than the retention.
func (s *Server) PruneStep(ctx context.Context) error {
	n, err := s.store.PrunePartials(ctx, s.clock.Now().Add(-s.cfg.Payout.Retention.D()).Unix())
	if err != nil {
		return err
	}
	if n > 0 {
		s.log.Info("pruned partials", logKeyCount, n)
	}
	return nil
}
