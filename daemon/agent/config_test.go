package agent

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDefaultConfigIsValidOnceTheNodeIsNamed(t *testing.T) {
	c := DefaultConfig("/home/x/.guild")
	require.ErrorIs(t, c.ValidateBasic(), ErrConfig, "neither a node id nor a fee granter")
	c.Node.ID = 3
	require.NoError(t, c.ValidateBasic())
	require.NoError(t, TestConfig(t.TempDir()).ValidateBasic())
}

func TestConfigValidation(t *testing.T) {
	for name, edit := range map[string]func(*Config){
		"empty rpc":           func(c *Config) { c.Chain.RPC = "" },
		"empty chain id":      func(c *Config) { c.Chain.ChainID = "" },
		"empty key":           func(c *Config) { c.Chain.Key = "" },
		"bad backend":         func(c *Config) { c.Chain.KeyringBackend = "os" },
		"file w/o passphrase": func(c *Config) { c.Chain.KeyringBackend = "file" },
		"bad granter":         func(c *Config) { c.Chain.FeeGranter = "cosmos1xyz" },
		"gas adjustment":      func(c *Config) { c.Chain.GasAdjustment = 0.5 },
		"tx timeout":          func(c *Config) { c.Chain.TxTimeout = Duration(time.Millisecond) },
		"no data dir":         func(c *Config) { c.Node.DataDir = "" },
		"poll":                func(c *Config) { c.Loop.PollInterval = 0 },
		"heartbeat":           func(c *Config) { c.Loop.HeartbeatInterval = Duration(time.Millisecond) },
		"claim page":          func(c *Config) { c.Loop.ClaimPage = 0 },
		"catch-up":            func(c *Config) { c.Loop.MaxCatchupBlocks = 0 },
		"workers":             func(c *Config) { c.Loop.DeployWorkers = 0 },
		"no driver":           func(c *Config) { c.Drivers.Enabled = nil },
		"unknown driver":      func(c *Config) { c.Drivers.Enabled = []string{"vm"} },
		"driver twice":        func(c *Config) { c.Drivers.Enabled = []string{"volume", "volume"} },
		"limits":              func(c *Config) { c.Drivers.Process.Limits = "cgroupv1" },
		"cgroup name":         func(c *Config) { c.Drivers.Process.CgroupName = "../x" },
		"backoff":             func(c *Config) { c.Drivers.Process.MaxBackoff = 0 },
		"nice":                func(c *Config) { c.Drivers.Process.Nice = 40 },
		"listen":              func(c *Config) { c.Server.Listen = "localhost" },
		"log level":           func(c *Config) { c.Log.Level = "loud" },
		"log format":          func(c *Config) { c.Log.Format = "xml" },
	} {
		c := TestConfig(t.TempDir())
		edit(&c)
		require.ErrorIs(t, c.ValidateBasic(), ErrConfig, name)
	}
}

func TestConfigRoundTripAndOverlay(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "agent.toml")
	c := DefaultConfig(dir)
	c.Node.ID = 9
	c.Loop.HeartbeatInterval = Duration(45 * time.Second)
	c.Drivers.Process.Wrapper = []string{"/bin/guildd", "agent", "exec"}
	require.NoError(t, WriteConfig(path, c, false))
	require.Error(t, WriteConfig(path, c, false), "no overwrite without force")
	got, err := LoadConfig(path, DefaultConfig("/elsewhere"))
	require.NoError(t, err)
	require.Equal(t, c, got)

	// A partial file keeps the base's values for what it omits.
	require.NoError(t, os.WriteFile(path, []byte("[node]\nid = 4\n[loop]\nclaim_interval = \"10m\"\n"), 0o644))
	got, err = LoadConfig(path, DefaultConfig(dir))
	require.NoError(t, err)
	require.EqualValues(t, 4, got.Node.ID)
	require.Equal(t, 10*time.Minute, got.Loop.ClaimInterval.D())
	require.Equal(t, DefaultLoopConfig().HeartbeatInterval, got.Loop.HeartbeatInterval)

	for _, bad := range []string{"[node]\nidd = 4\n", "[loop]\nclaim_interval = \"soon\"\n", "not toml ="} {
		require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
		_, err = LoadConfig(path, DefaultConfig(dir))
		require.ErrorIs(t, err, ErrConfig, bad)
	}
	_, err = LoadConfig(filepath.Join(dir, "missing.toml"), DefaultConfig(dir))
	require.ErrorIs(t, err, ErrConfig)
}
