package agent

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/daemonkit"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// TestTxTimeoutIsHonoured: every transaction the reconciler sends (heartbeat, reports, claims)
// gets [chain] tx_timeout as its deadline, not a constant.
func TestTxTimeoutIsHonoured(t *testing.T) {
	for _, timeout := range []time.Duration{7 * time.Second, 90 * time.Second} {
		t.Run(timeout.String(), func(t *testing.T) {
			h := newHarness(t)
			h.txTimeout = timeout
			h.restart()
			h.chain.book(1, 2, 1, "")
			h.mustStep() // heartbeat, deploy, report
			h.clock.Advance(30 * time.Second)
			h.mustStep() // claim
			require.NotEmpty(t, sent[*providertypes.MsgHeartbeat](h.chain))
			require.NotEmpty(t, sent[*markettypes.MsgReportDeployment](h.chain))
			require.NotEmpty(t, sent[*markettypes.MsgClaimProvider](h.chain))
			require.Len(t, h.chain.txBudgets, len(h.chain.txs))
			for i, left := range h.chain.txBudgets {
				// The budget is read a moment after the deadline is set: a generous lower
				// bound, the configured value as the upper one.
				require.LessOrEqual(t, left, timeout, "tx %d", i)
				require.Greater(t, left, timeout-5*time.Second, "tx %d had %s, want about %s", i, left, timeout)
			}
		})
	}
}

// TestHealthzFromTheKit: /healthz is daemonkit's report with the agent's checks: 503 before the
// first reconciliation, 200 after it, 503 again when the chain loop stops finishing rounds
// or the store is closed; the agent's state is the report's info.
func TestHealthzFromTheKit(t *testing.T) {
	h := newHarness(t)
	cfg := TestConfig(t.TempDir()).Loop
	health := newHealth(h.clock, cfg, h.rec, h.store, "rlimit")
	get := func() (int, daemonkit.HealthReport) {
		rec := httptest.NewRecorder()
		health.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		var r daemonkit.HealthReport
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &r))
		return rec.Code, r
	}
	code, r := get()
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Equal(t, []string{"reconcile"}, r.Failing())

	h.mustStep()
	health.Loop(loopFollow, followStaleAfter(cfg)).Beat()
	code, r = get()
	require.Equal(t, http.StatusOK, code)
	info, _ := json.Marshal(r.Info)
	var state Health
	require.NoError(t, json.Unmarshal(info, &state))
	require.EqualValues(t, nodeID, state.NodeID)
	require.Equal(t, "rlimit", state.Limits)

	h.clock.Advance(followStaleAfter(cfg) + time.Second)
	code, r = get()
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Contains(t, r.Failing(), loopFollow)

	h.mustStep()
	health.Loop(loopFollow, followStaleAfter(cfg)).Beat()
	require.NoError(t, h.store.Close())
	code, r = get()
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Contains(t, r.Failing(), "store")
}

// TestConfigErrorsNameTheirSection: every agent config error is a daemonkit.ConfigError naming
// the section and key, and matches ErrConfig.
func TestConfigErrorsNameTheirSection(t *testing.T) {
	for _, c := range []struct {
		section, key string
		mutate       func(*Config)
	}{
		{"chain", "tx_timeout", func(c *Config) { c.Chain.TxTimeout = Duration(time.Millisecond) }},
		{"chain", "rpc", func(c *Config) { c.Chain.RPC = "" }},
		{"loop", "poll_interval", func(c *Config) { c.Loop.PollInterval = 0 }},
		{"drivers.process", "nice", func(c *Config) { c.Drivers.Process.Nice = 40 }},
		{"server", "listen", func(c *Config) { c.Server.Listen = "nohost" }},
		{"log", "level", func(c *Config) { c.Log.Level = "loud" }},
		{"node", "id", func(c *Config) { c.Node.ID = 0; c.Chain.FeeGranter = "" }},
	} {
		t.Run(c.section+"."+c.key, func(t *testing.T) {
			cfg := TestConfig(t.TempDir())
			c.mutate(&cfg)
			err := cfg.ValidateBasic()
			require.ErrorIs(t, err, ErrConfig)
			var ce *daemonkit.ConfigError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, c.section, ce.Section)
			require.Equal(t, c.key, ce.Key)
		})
	}
}

// TestRunStopsCleanlyAndReturnsTheServersError drives Agent.Run's group without a chain: a
// taken listen address fails Run with an error naming it.
func TestRunFailsOnATakenAddress(t *testing.T) {
	l, err := daemonkit.Listen("127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	h := newHarness(t)
	cfg := TestConfig(t.TempDir())
	cfg.Server.Listen = l.Addr().String()
	a := &Agent{cfg: cfg, log: daemonkit.Discard(), clk: h.clock, store: h.store, rec: h.rec, metrics: h.metrics,
		registry: daemonkit.NewRegistry(), health: newHealth(h.clock, cfg.Loop, h.rec, h.store, "")}
	err = a.Run(context.Background())
	require.ErrorContains(t, err, l.Addr().String())
}
