package agent

import (
	"fmt"
	"time"
)

// retry schedules another attempt at a lease with exponential backoff (1 s … 1 min) and
// returns err with context.
func (r *Reconciler) retry(id uint64, op string, err error) error {
	r.mu.Lock()
	b := r.backoff[id]
	if b == 0 {
		b = time.Second
	}
	r.retryAt[id] = r.clock.Now().Add(b)
	r.backoff[id] = min(2*b, time.Minute)
	r.mu.Unlock()
	r.metrics.Errors.WithLabelValues(op).Inc()
	r.log.Warn("action failed; will retry", "lease", id, "op", op, "in", b, "err", err)
	return fmt.Errorf("lease %d: %s: %w", id, op, err)
}

// retryDue reports whether some lease's retry time has come.
func (r *Reconciler) retryDue(now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, at := range r.retryAt {
		if !now.Before(at) {
			return true
		}
	}
	return false
}

func (r *Reconciler) clearRetry(id uint64) {
	r.mu.Lock()
	delete(r.retryAt, id)
	delete(r.backoff, id)
	r.mu.Unlock()
}

func (r *Reconciler) due(id uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.retryAt[id]
	return !ok || !r.clock.Now().Before(at)
}
