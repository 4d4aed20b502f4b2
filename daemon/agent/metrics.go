package agent

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the agent's Prometheus metrics, all prefixed guild_agent_.
type Metrics struct {
	Leases        *prometheus.GaugeVec   // this node's leases on chain, by state
	Workloads     *prometheus.GaugeVec   // local workloads, by phase
	DeploySeconds prometheus.Histogram   // first sight of a lease → DEPLOYED report included
	DeployBlocks  prometheus.Histogram   // booking block → report block
	Reports       *prometheus.CounterVec // reports sent, by result
	Actions       *prometheus.CounterVec // driver actions, by action and outcome
	Claims        *prometheus.CounterVec // claim messages, by outcome
	Claimed       *prometheus.CounterVec // amounts claimed for the beneficiary, by denom
	Heartbeats    *prometheus.CounterVec // heartbeats, by outcome
	Errors        *prometheus.CounterVec // errors, by operation
	Height        prometheus.Gauge       // last chain height processed
}

// NewMetrics registers the agent's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Leases: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "guild_agent_leases",
			Help: "Leases of this node on chain, by state."}, []string{"state"}),
		Workloads: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "guild_agent_workloads",
			Help: "Workloads recorded by the agent, by phase."}, []string{"phase"}),
		DeploySeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "guild_agent_deploy_latency_seconds",
			Help:    "Seconds from the agent first seeing a pending lease to its DEPLOYED report being in a block.",
			Buckets: []float64{0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120}}),
		DeployBlocks: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "guild_agent_deploy_latency_blocks",
			Help:    "Blocks from a lease's booking to its DEPLOYED report.",
			Buckets: []float64{1, 2, 3, 4, 5, 7, 10, 20, 50}}),
		Reports: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_agent_reports_total",
			Help: "Deployment reports included in a block, by result."}, []string{"result"}),
		Actions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_agent_actions_total",
			Help: "Driver actions, by action and outcome."}, []string{"action", "outcome"}),
		Claims: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_agent_claims_total",
			Help: "Claim messages sent, by outcome."}, []string{"outcome"}),
		Claimed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_agent_claimed_total",
			Help: "Amounts paid to the beneficiary by the agent's claims, in base units, by denom."}, []string{"denom"}),
		Heartbeats: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_agent_heartbeats_total",
			Help: "Heartbeats sent, by outcome."}, []string{"outcome"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guild_agent_errors_total",
			Help: "Errors, by operation."}, []string{"op"}),
		Height: prometheus.NewGauge(prometheus.GaugeOpts{Name: "guild_agent_height",
			Help: "Last chain height whose events the agent processed."}),
	}
	reg.MustRegister(m.Leases, m.Workloads, m.DeploySeconds, m.DeployBlocks, m.Reports, m.Actions,
		m.Claims, m.Claimed, m.Heartbeats, m.Errors, m.Height)
	return m
}

// Health is the agent's own state, reported as the "info" of /healthz.
type Health struct {
	OK            bool      `json:"ok"`
	NodeID        uint64    `json:"node_id"`
	Height        int64     `json:"height"`
	LastReconcile time.Time `json:"last_reconcile"`
	LastError     string    `json:"last_error,omitempty"`
	Workloads     int       `json:"workloads"`
	Limits        string    `json:"process_limits,omitempty"`
}
