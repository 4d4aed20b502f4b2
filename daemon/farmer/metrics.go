package farmer

import "github.com/prometheus/client_golang/prometheus"

// metrics are the farmer's guild_farmer_… metrics (no labels: one farmer per process).
type metrics struct {
	plots       prometheus.Gauge
	space       prometheus.Gauge
	sps         prometheus.Counter
	passed      prometheus.Counter
	found       prometheus.Counter
	submitted   prometheus.Counter
	submitFails prometheus.Counter
	won         prometheus.Counter
	partials    prometheus.Counter
	lastSP      prometheus.Gauge
	lookup      prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		plots:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "guild_farmer_plots", Help: "Plots being farmed."}),
		space:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "guild_farmer_space_bytes", Help: "Bytes of plots being farmed."}),
		sps:         prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_farmer_signage_points_total", Help: "Signage points looked up."}),
		passed:      prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_farmer_plots_passed_filter_total", Help: "Plot lookups that passed the plot filter."}),
		found:       prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_farmer_proofs_found_total", Help: "Proofs good enough to win at the network difficulty."}),
		submitted:   prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_farmer_proofs_submitted_total", Help: "Proofs accepted on chain."}),
		submitFails: prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_farmer_submit_errors_total", Help: "Proof submissions the chain refused or that failed."}),
		won:         prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_farmer_proofs_won_total", Help: "Signage points won."}),
		partials:    prometheus.NewCounter(prometheus.CounterOpts{Name: "guild_farmer_partials_total", Help: "Partials handed to the pool client."}),
		lastSP:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "guild_farmer_last_signage_point_height", Help: "Height of the last signage point looked up."}),
		lookup: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "guild_farmer_lookup_seconds", Help: "Time to look up one signage point over all plots.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}),
	}
	reg.MustRegister(m.plots, m.space, m.sps, m.passed, m.found, m.submitted, m.submitFails, m.won, m.partials, m.lastSP, m.lookup)
	return m
}
