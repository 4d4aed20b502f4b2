package agent

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/agent/store"
	markettypes "github.com/guild-network/guild/x/market/types"
)

// report sends the due DEPLOYED/FAILED reports of pending leases in one transaction (one by
// one if the batch is refused, so that one bad report does not hold up the others).
func (r *Reconciler) report(ctx context.Context, live map[uint64]markettypes.Lease) error {
	locals, err := r.store.Workloads(ctx)
	if err != nil {
		return err
	}
	var due []store.Workload
	for _, w := range locals {
		if w.Report == store.ReportNone || w.ReportedHeight != 0 {
			continue
		}
		if l, ok := live[w.LeaseID]; !ok || l.State != markettypes.LEASE_STATE_PENDING {
			// The lease left PENDING (our report landed before a crash, or it was cancelled
			// or timed out): nothing more to report.
			w.ReportedHeight = -1
			if err := r.store.PutWorkload(ctx, w); err != nil {
				return err
			}
			continue
		}
		if r.due(w.LeaseID) {
			due = append(due, w)
		}
	}
	if len(due) == 0 {
		return nil
	}
	if err := r.submitReports(ctx, due); err == nil || len(due) == 1 {
		return err
	}
	var errs []error
	for _, w := range due {
		errs = append(errs, r.submitReports(ctx, []store.Workload{w}))
	}
	return errors.Join(errs...)
}

func (r *Reconciler) submitReports(ctx context.Context, ws []store.Workload) error {
	msgs := make([]sdk.Msg, 0, len(ws))
	for _, w := range ws {
		result := markettypes.DEPLOYMENT_RESULT_DEPLOYED
		if w.Report == store.ReportFailed {
			result = markettypes.DEPLOYMENT_RESULT_FAILED
		}
		msgs = append(msgs, &markettypes.MsgReportDeployment{
			NodeAccount: r.node.Account, LeaseId: w.LeaseID, Result: result, Info: truncate(w.Info, r.maxInfo),
		})
	}
	tctx, cancel := context.WithTimeout(ctx, r.txTimeout())
	defer cancel()
	res, err := r.chain.Submit(tctx, msgs...)
	if err != nil {
		for _, w := range ws {
			if len(ws) == 1 {
				_ = r.retry(w.LeaseID, "report", err)
			}
		}
		r.metrics.Errors.WithLabelValues("report").Inc()
		return fmt.Errorf("report %d deployments: %w", len(ws), err)
	}
	now := r.clock.Now()
	for _, w := range ws {
		w.ReportedHeight, w.Updated = res.Height, now
		if err := r.store.PutWorkload(ctx, w); err != nil {
			return err
		}
		r.metrics.Reports.WithLabelValues(w.Report).Inc()
		booked, _ := r.store.Booked(ctx, w.LeaseID)
		attrs := []any{"lease", w.LeaseID, "result", w.Report, "height", res.Height, "booked_height", booked, "tx", res.Hash}
		if booked > 0 {
			attrs = append(attrs, "blocks", res.Height-booked)
		}
		if w.Report == store.ReportDeployed {
			r.metrics.DeploySeconds.Observe(now.Sub(w.FirstSeen).Seconds())
			if booked > 0 {
				r.metrics.DeployBlocks.Observe(float64(res.Height - booked))
			}
		}
		r.log.Info("lease reported", attrs...)
	}
	return nil
}

// txTimeout is how long one transaction may take from signing to inclusion: [chain] tx_timeout.
func (r *Reconciler) txTimeout() time.Duration { return r.txTimeoutD }

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
