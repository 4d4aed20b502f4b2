package agent

import (
	"context"
	"fmt"
	"time"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// maxClaimPages bounds the pages of one scheduled claim run.
const maxClaimPages = 20

// heartbeat sends MsgHeartbeat when it is due. The schedule lives in the store, so a restart
// neither skips nor doubles it; a failure is retried within ten seconds.
func (r *Reconciler) heartbeat(ctx context.Context) error {
	due, err := r.isDue(ctx, taskHeartbeat)
	if err != nil || !due {
		return err
	}
	tctx, cancel := context.WithTimeout(ctx, r.txTimeout())
	defer cancel()
	res, err := r.chain.Submit(tctx, &providertypes.MsgHeartbeat{NodeAccount: r.node.Account, NodeId: r.node.ID})
	interval := r.cfg.HeartbeatInterval.D()
	if err != nil {
		r.metrics.Heartbeats.WithLabelValues("error").Inc()
		r.metrics.Errors.WithLabelValues("heartbeat").Inc()
		_ = r.store.SetNextAt(ctx, taskHeartbeat, r.clock.Now().Add(min(interval, 10*time.Second)))
		return fmt.Errorf("heartbeat: %w", err)
	}
	r.metrics.Heartbeats.WithLabelValues("ok").Inc()
	r.log.Debug("heartbeat sent", "height", res.Height)
	return r.store.SetNextAt(ctx, taskHeartbeat, r.clock.Now().Add(interval))
}

// claim pays out the provider's earnings when due: MsgClaimProvider pages through the
// provider's live leases (anyone may claim; the money only goes to the beneficiary). It is
// skipped while this node bills no lease.
func (r *Reconciler) claim(ctx context.Context) error {
	due, err := r.isDue(ctx, taskClaim)
	if err != nil || !due {
		return err
	}
	next := r.clock.Now().Add(r.cfg.ClaimInterval.D())
	if r.billing == 0 {
		return r.store.SetNextAt(ctx, taskClaim, next)
	}
	var startAfter uint64
	for page := 0; page < maxClaimPages; page++ {
		tctx, cancel := context.WithTimeout(ctx, r.txTimeout())
		res, err := r.chain.Submit(tctx, &markettypes.MsgClaimProvider{
			Sender: r.node.Account, Provider: r.node.Provider, StartAfter: startAfter, Limit: r.cfg.ClaimPage,
		})
		cancel()
		if err != nil {
			r.metrics.Claims.WithLabelValues("error").Inc()
			r.metrics.Errors.WithLabelValues("claim").Inc()
			_ = r.store.SetNextAt(ctx, taskClaim, r.clock.Now().Add(min(r.cfg.ClaimInterval.D(), time.Minute)))
			return fmt.Errorf("claim: %w", err)
		}
		r.metrics.Claims.WithLabelValues("ok").Inc()
		var resp markettypes.MsgClaimProviderResponse
		if len(res.Responses) == 1 && resp.Unmarshal(res.Responses[0].Value) == nil {
			for _, c := range resp.Paid {
				r.metrics.Claimed.WithLabelValues(c.Denom).Add(float64(c.Amount.Uint64()))
			}
			r.log.Info("claimed earnings", "height", res.Height, "leases", resp.Leases, "paid", resp.Paid.String(),
				"fees", resp.Fees.String())
		}
		if resp.Next == 0 {
			break
		}
		startAfter = resp.Next
	}
	return r.store.SetNextAt(ctx, taskClaim, next)
}

func (r *Reconciler) isDue(ctx context.Context, task string) (bool, error) {
	at, err := r.store.NextAt(ctx, task)
	if err != nil {
		return false, err
	}
	return !r.clock.Now().Before(at), nil
}
