package pool

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/daemonkit"
)

func TestConfigValidation(t *testing.T) {
	good := testConfig(t)
	require.NoError(t, good.ValidateBasic())
	require.NoError(t, DefaultConfig(t.TempDir()).Proof.ValidateBasic())
	for _, tc := range []struct {
		name    string
		section string
		mod     func(c *Config)
	}{
		{"listen", "server", func(c *Config) { c.Server.Listen = "nowhere" }},
		{"tls half", "server", func(c *Config) { c.Server.TLSCert = "cert.pem" }},
		{"url trailing slash", "pool", func(c *Config) { c.Pool.URL = "https://pool.example/" }},
		{"url uppercase", "pool", func(c *Config) { c.Pool.URL = "https://Pool.example" }},
		{"url scheme", "pool", func(c *Config) { c.Pool.URL = "ftp://pool.example" }},
		{"no address", "pool", func(c *Config) { c.Pool.Address = "" }},
		{"fee above 100 %", "pool", func(c *Config) { c.Pool.FeeBps = 10_001 }},
		{"zero min difficulty", "pool", func(c *Config) { c.Pool.MinDifficulty = 0 }},
		{"default below min", "pool", func(c *Config) { c.Pool.MinDifficulty, c.Pool.DefaultDifficulty = 10, 5 }},
		{"zero token timeout", "pool", func(c *Config) { c.Pool.AuthTokenTimeout = 0 }},
		{"filter bits", "proof", func(c *Config) { c.Proof.PlotFilterBits = 33 }},
		{"k range", "proof", func(c *Config) { c.Proof.MinK, c.Proof.MaxK = 30, 20 }},
		{"scheme", "payout", func(c *Config) { c.Payout.Scheme = "pps" }},
		{"payouts per tx", "payout", func(c *Config) { c.Payout.PayoutsPerTx = 0 }},
		{"stop_at", "payout", func(c *Config) { c.Payout.StopAt = "somewhere" }},
		{"retention shorter than window", "payout", func(c *Config) { c.Payout.Retention = Duration(time.Hour) }},
		{"body limit", "limits", func(c *Config) { c.Limits.MaxBodyBytes = 10 }},
		{"rate", "limits", func(c *Config) { c.Limits.PerIPPerMinute = 0 }},
		{"store", "store", func(c *Config) { c.Store.URL = "" }},
		{"log", "log", func(c *Config) { c.Log.Level = "loud" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig(t)
			tc.mod(&c)
			err := c.ValidateBasic()
			require.ErrorIs(t, err, ErrConfig)
			var ce *daemonkit.ConfigError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tc.section, ce.Section)
		})
	}
}

func TestConfigFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	c := testConfig(t)
	c.Payout.Scheme = "proportional"
	raw, err := c.Marshal()
	require.NoError(t, err)
	path := filepath.Join(dir, "pool.toml")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	got, err := LoadConfig(path, dir)
	require.NoError(t, err)
	require.Equal(t, c, got)
	require.NoError(t, os.WriteFile(path, append(raw, []byte("\n[pool]\nbogus = 1\n")...), 0o600))
	_, err = LoadConfig(path, dir)
	require.ErrorIs(t, err, ErrConfig)
}

// Run serves, reports health, and stops cleanly when its context ends.
func TestRunServesAndShutsDown(t *testing.T) {
	cfg := testConfig(t)
	chain := newFakeChain()
	srv, err := New(context.Background(), cfg, Options{Chain: chain})
	require.NoError(t, err)
	defer srv.Close()
	require.NoError(t, srv.Listen())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	base := "http://" + srv.Addr()
	res, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, res.StatusCode, "no signage point yet")
	srv.AddSignagePoint(sp(1))
	res, err = http.Get(base + "/healthz")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	res, err = http.Get(base + "/metrics")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	cancel()
	require.NoError(t, <-done)
	require.NoError(t, srv.Close())
	require.NoError(t, srv.Close(), "Close is idempotent")
}
