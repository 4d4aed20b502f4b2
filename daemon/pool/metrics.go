package pool

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the pool server's Prometheus metrics, all prefixed guild_pool_. Labels are bounded:
// results and states are fixed sets.
type Metrics struct {
	Partials       *prometheus.CounterVec // partials by result (ok or the error code's name)
	Points         prometheus.Counter     // points credited
	PartialSeconds prometheus.Histogram   // time to verify and record a partial
	WriteBatch     prometheus.Histogram   // partials per store transaction
	Farmers        *prometheus.GaugeVec   // farmers by membership
	Requests       *prometheus.CounterVec // requests by route and outcome
	RateLimited    *prometheus.CounterVec // requests refused by a rate limit, by limit
	Payouts        *prometheus.CounterVec // payout batches by transition
	Paid           prometheus.Counter     // base units paid in confirmed payouts
	Rounds         *prometheus.CounterVec // rounds by outcome
	Absorb         *prometheus.CounterVec // absorb transactions by outcome
	Rewards        prometheus.Counter     // base units of rewards recorded
	SignagePoints  prometheus.Gauge       // latest signage point height
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Partials: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_pool_partials_total",
			Help: "Partials received, by result (ok or the pool error code name)."}, []string{"result"}),
		Points: prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_pool_points_total",
			Help: "Points credited to farmers (the difficulty of each accepted partial)."}),
		PartialSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "guild_pool_partial_seconds",
			Help: "Seconds to verify and durably record an accepted partial.", Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}),
		WriteBatch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "guild_pool_write_batch_partials",
			Help: "Partials committed per store transaction.", Buckets: prometheus.ExponentialBuckets(1, 2, 11)}),
		Farmers: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "guild_pool_farmers",
			Help: "Farmers known to the pool, by membership."}, []string{"member"}),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_pool_requests_total",
			Help: "HTTP requests by route and outcome."}, []string{"route", "outcome"}),
		RateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_pool_rate_limited_total",
			Help: "Requests refused by a rate limit, by limit."}, []string{"limit"}),
		Payouts: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_pool_payout_batches_total",
			Help: "Payout batch transitions (planned, broadcast, confirmed, reset)."}, []string{"state"}),
		Paid: prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_pool_paid_total",
			Help: "Base units paid to farmers in confirmed payouts."}),
		Rounds: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_pool_rounds_total",
			Help: "Reward distribution rounds by outcome."}, []string{"outcome"}),
		Absorb: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_pool_absorb_total",
			Help: "Absorb transactions by outcome."}, []string{"outcome"}),
		Rewards: prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_pool_rewards_total",
			Help: "Base units of rewards absorbed into the pool's address and recorded."}),
		SignagePoints: prometheus.NewGauge(prometheus.GaugeOpts{Name: "guild_pool_signage_point_height",
			Help: "Height of the latest signage point received."}),
	}
	reg.MustRegister(m.Partials, m.Points, m.PartialSeconds, m.WriteBatch, m.Farmers, m.Requests, m.RateLimited,
		m.Payouts, m.Paid, m.Rounds, m.Absorb, m.Rewards, m.SignagePoints)
	return m
}
