package agent

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/agent/driver"
	"github.com/guild-network/guild/internal/daemonkit"
)

// ErrConfig is matched (errors.Is) by every configuration error; the errors themselves are
// *daemonkit.ConfigError values naming the TOML section and key.
var ErrConfig = daemonkit.ErrInvalidConfig

// Duration is a time.Duration written as "30s" in TOML.
type Duration = daemonkit.Duration

// Config is the agent's whole configuration, one section per concern.
type Config struct {
	Chain   ChainConfig   `toml:"chain" comment:"how to reach the chain and sign as the node"`
	Node    NodeConfig    `toml:"node" comment:"which node this agent runs and where it keeps its data"`
	Loop    LoopConfig    `toml:"loop" comment:"how often the agent looks at the chain and acts"`
	Drivers DriversConfig `toml:"drivers" comment:"the workload drivers"`
	Server  ServerConfig  `toml:"server" comment:"health and metrics endpoint"`
	Log     LogConfig     `toml:"log" comment:"structured logs on stderr"`
}

// ChainConfig says how to reach the chain and which key signs.
type ChainConfig struct {
	RPC            string `toml:"rpc" comment:"CometBFT RPC address of a node of the chain"`
	ChainID        string `toml:"chain_id" comment:"chain id"`
	KeyringDir     string `toml:"keyring_dir" comment:"directory holding the keyring (keyring-test/ or keyring-file/)"`
	KeyringBackend string `toml:"keyring_backend" comment:"test or file"`
	// PassphraseFile holds the file keyring's passphrase.
	PassphraseFile string   `toml:"passphrase_file" comment:"file with the passphrase of a file keyring"`
	Key            string   `toml:"key" comment:"name of the node's ed25519 key in the keyring: it signs reports, heartbeats and claims"`
	FeeGranter     string   `toml:"fee_granter" comment:"address whose fee grant pays the node's fees (the provider); empty = the node's provider"`
	GasAdjustment  float64  `toml:"gas_adjustment" comment:"multiplier on simulated gas"`
	TxTimeout      Duration `toml:"tx_timeout" comment:"how long to wait for a transaction to be included"`
}

// NodeConfig names the node and the data directory.
type NodeConfig struct {
	ID      uint64 `toml:"id" comment:"node id; 0 = the fee granter's node whose account is the key's address"`
	DataDir string `toml:"data_dir" comment:"the agent's database and workloads"`
}

// LoopConfig sets the agent's rhythm.
type LoopConfig struct {
	PollInterval      Duration `toml:"poll_interval" comment:"fallback poll of the chain height (a websocket subscription wakes the agent on every block)"`
	ResyncInterval    Duration `toml:"resync_interval" comment:"full reconciliation even without a new block"`
	HeartbeatInterval Duration `toml:"heartbeat_interval" comment:"how often the node sends MsgHeartbeat; keep it well below the chain's heartbeat_timeout"`
	ClaimInterval     Duration `toml:"claim_interval" comment:"how often the node claims the provider's earnings (MsgClaimProvider)"`
	ClaimPage         uint32   `toml:"claim_page" comment:"leases per claim message"`
	MaxCatchupBlocks  int64    `toml:"max_catchup_blocks" comment:"most blocks whose events are read after downtime (state is always reconciled in full)"`
	DeployWorkers     int      `toml:"deploy_workers" comment:"leases acted on in parallel"`
}

// DriversConfig selects and tunes the drivers.
type DriversConfig struct {
	Enabled []string      `toml:"enabled" comment:"drivers this node runs: volume, process"`
	Volume  VolumeConfig  `toml:"volume"`
	Process ProcessConfig `toml:"process"`
}

// VolumeConfig tunes the volume driver.
type VolumeConfig struct {
	MinFreeBytes uint64 `toml:"min_free_bytes" comment:"disk kept free beyond every volume's full size"`
	Mkfs         string `toml:"mkfs" comment:"mkfs.ext4 program; empty = look it up in PATH; none = raw volumes only"`
}

// ProcessConfig tunes the process driver.
type ProcessConfig struct {
	Limits         string   `toml:"limits" comment:"auto (cgroup v2 when usable, else rlimit), cgroup or rlimit"`
	CgroupName     string   `toml:"cgroup_name" comment:"parent cgroup of the workloads"`
	StartupWindow  Duration `toml:"startup_window" comment:"a command that exits within this time fails its deployment"`
	RestartBackoff Duration `toml:"restart_backoff" comment:"first delay before a restart; doubles up to max_backoff"`
	MaxBackoff     Duration `toml:"max_backoff"`
	StopTimeout    Duration `toml:"stop_timeout" comment:"SIGTERM grace before SIGKILL on teardown"`
	LogMaxBytes    int64    `toml:"log_max_bytes" comment:"size of a workload's output.log before it is rotated"`
	Nice           int      `toml:"nice" comment:"niceness added in rlimit mode"`
	NoFile         uint64   `toml:"nofile" comment:"open-file limit in rlimit mode"`
	StopOnExit     bool     `toml:"stop_on_exit" comment:"stop workloads when the agent exits (they are started again on its next run)"`
	Wrapper        []string `toml:"wrapper,omitempty" comment:"argv that runs the exec wrapper; default: this binary's 'agent exec'"`
}

// ServerConfig is the health and metrics listener (/healthz and /metrics).
type ServerConfig = daemonkit.ServerConfig

// LogConfig sets the log output.
type LogConfig = daemonkit.LogConfig

// DefaultConfig returns the defaults for an agent whose home is home (e.g. ~/.guild).
func DefaultConfig(home string) Config {
	return Config{
		Chain:   DefaultChainConfig(home),
		Node:    NodeConfig{DataDir: filepath.Join(home, "agent")},
		Loop:    DefaultLoopConfig(),
		Drivers: DefaultDriversConfig(),
		Server:  ServerConfig{Listen: "127.0.0.1:26680"},
		Log:     daemonkit.DefaultLogConfig(),
	}
}

// DefaultChainConfig is a local node and the test keyring in home.
func DefaultChainConfig(home string) ChainConfig {
	return ChainConfig{
		RPC: "tcp://127.0.0.1:26657", ChainID: "guild-dev-1", KeyringDir: home, KeyringBackend: "test",
		Key: "node", GasAdjustment: 1.5, TxTimeout: Duration(30 * time.Second),
	}
}

// DefaultLoopConfig reacts to every block, heartbeats every 2 minutes (the chain's default
// timeout is 10) and claims hourly.
func DefaultLoopConfig() LoopConfig {
	return LoopConfig{
		PollInterval: Duration(2 * time.Second), ResyncInterval: Duration(30 * time.Second),
		HeartbeatInterval: Duration(2 * time.Minute), ClaimInterval: Duration(time.Hour),
		ClaimPage: 50, MaxCatchupBlocks: 1000, DeployWorkers: 4,
	}
}

// DefaultDriversConfig enables both drivers.
func DefaultDriversConfig() DriversConfig {
	return DriversConfig{
		Enabled: []string{driver.Volume, driver.Process},
		Volume:  VolumeConfig{MinFreeBytes: 1 << 30},
		Process: ProcessConfig{
			Limits: "auto", CgroupName: "guild-agent", StartupWindow: Duration(500 * time.Millisecond),
			RestartBackoff: Duration(time.Second), MaxBackoff: Duration(30 * time.Second), StopTimeout: Duration(5 * time.Second),
			LogMaxBytes: 10 << 20, Nice: 10, NoFile: 4096,
		},
	}
}

// TestConfig is a configuration for tests: short intervals, data in dir.
func TestConfig(dir string) Config {
	c := DefaultConfig(dir)
	c.Node.ID = 1
	c.Node.DataDir = dir
	c.Loop.PollInterval = Duration(100 * time.Millisecond)
	c.Loop.HeartbeatInterval = Duration(10 * time.Second)
	c.Loop.ClaimInterval = Duration(30 * time.Second)
	c.Server.Listen = ""
	return c
}

// ValidateBasic checks every section; an error is a *daemonkit.ConfigError naming the section
// and key.
func (c Config) ValidateBasic() error {
	if err := daemonkit.ValidateSections(daemonkit.Sections{
		{Name: "chain", Section: c.Chain},
		{Name: "node", Section: c.Node},
		{Name: "loop", Section: c.Loop},
		{Name: "drivers", Section: c.Drivers},
		{Name: "server", Section: c.Server},
		{Name: "log", Section: c.Log},
	}); err != nil {
		return err
	}
	if c.Node.ID == 0 && c.Chain.FeeGranter == "" {
		return daemonkit.Section("node", daemonkit.KeyErrorf("id", "set [node] id, or [chain] fee_granter (the provider) so the node can be found by its key"))
	}
	return nil
}

// ValidateBasic checks the chain section.
func (c ChainConfig) ValidateBasic() error {
	if c.RPC == "" {
		return daemonkit.KeyErrorf("rpc", "is empty")
	}
	if c.ChainID == "" {
		return daemonkit.KeyErrorf("chain_id", "is empty")
	}
	if c.Key == "" {
		return daemonkit.KeyErrorf("key", "is empty")
	}
	switch c.KeyringBackend {
	case "test", "file":
	default:
		return daemonkit.KeyErrorf("keyring_backend", "%q: want test or file", c.KeyringBackend)
	}
	if c.KeyringBackend == "file" && c.PassphraseFile == "" {
		return daemonkit.KeyErrorf("passphrase_file", "a file keyring needs one")
	}
	if c.FeeGranter != "" {
		if _, err := sdk.AccAddressFromBech32(c.FeeGranter); err != nil {
			return daemonkit.KeyErrorf("fee_granter", "%q: %w", c.FeeGranter, err)
		}
	}
	if c.GasAdjustment < 1 || c.GasAdjustment > 10 {
		return daemonkit.KeyErrorf("gas_adjustment", "%g: want 1…10", c.GasAdjustment)
	}
	return c.TxTimeout.AtLeast("tx_timeout", time.Second)
}

// ValidateBasic checks the node section.
func (c NodeConfig) ValidateBasic() error {
	if c.DataDir == "" {
		return daemonkit.KeyErrorf("data_dir", "is empty")
	}
	return nil
}

// ValidateBasic checks the loop section.
func (c LoopConfig) ValidateBasic() error {
	for _, d := range []struct {
		name string
		v    Duration
		min  time.Duration
	}{
		{"poll_interval", c.PollInterval, 10 * time.Millisecond},
		{"resync_interval", c.ResyncInterval, 100 * time.Millisecond},
		{"heartbeat_interval", c.HeartbeatInterval, time.Second},
		{"claim_interval", c.ClaimInterval, time.Second},
	} {
		if err := d.v.AtLeast(d.name, d.min); err != nil {
			return err
		}
	}
	if c.ClaimPage == 0 {
		return daemonkit.KeyErrorf("claim_page", "must be positive")
	}
	if c.MaxCatchupBlocks <= 0 {
		return daemonkit.KeyErrorf("max_catchup_blocks", "must be positive")
	}
	if c.DeployWorkers <= 0 || c.DeployWorkers > 64 {
		return daemonkit.KeyErrorf("deploy_workers", "%d: want 1…64", c.DeployWorkers)
	}
	return nil
}

// ValidateBasic checks the drivers section.
func (c DriversConfig) ValidateBasic() error {
	if len(c.Enabled) == 0 {
		return daemonkit.KeyErrorf("enabled", "no driver enabled")
	}
	seen := map[string]bool{}
	for _, name := range c.Enabled {
		if name != driver.Volume && name != driver.Process {
			return daemonkit.KeyErrorf("enabled", "unknown driver %q (have volume, process)", name)
		}
		if seen[name] {
			return daemonkit.KeyErrorf("enabled", "driver %q enabled twice", name)
		}
		seen[name] = true
	}
	p := c.Process
	switch p.Limits {
	case "auto", "cgroup", "rlimit":
	default:
		return daemonkit.Section("process", daemonkit.KeyErrorf("limits", "%q: want auto, cgroup or rlimit", p.Limits))
	}
	if p.CgroupName == "" || strings.ContainsAny(p.CgroupName, "/.") {
		return daemonkit.Section("process", daemonkit.KeyErrorf("cgroup_name", "%q: want a plain directory name", p.CgroupName))
	}
	if p.StartupWindow.D() < 0 || p.RestartBackoff.D() <= 0 || p.MaxBackoff.D() < p.RestartBackoff.D() || p.StopTimeout.D() <= 0 {
		return daemonkit.Section("process", fmt.Errorf("startup_window ≥ 0, restart_backoff > 0, max_backoff ≥ restart_backoff and stop_timeout > 0"))
	}
	if p.Nice < 0 || p.Nice > 19 {
		return daemonkit.Section("process", daemonkit.KeyErrorf("nice", "%d: want 0…19", p.Nice))
	}
	if p.LogMaxBytes < 0 {
		return daemonkit.Section("process", daemonkit.KeyErrorf("log_max_bytes", "is negative"))
	}
	return nil
}

// LoadConfig reads a TOML file over base (so that keys the file omits keep base's values) and
// validates the result. Unknown keys are errors.
func LoadConfig(path string, base Config) (Config, error) {
	cfg, err := daemonkit.LoadTOML(path, base)
	if err != nil {
		return base, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Marshal renders the configuration as commented TOML.
func (c Config) Marshal() ([]byte, error) {
	return daemonkit.EncodeTOML("guildd agent configuration. `guildd agent run --config FILE`; flags override these values.", c)
}

// WriteConfig writes the configuration to path (not overwriting an existing file unless force).
func WriteConfig(path string, c Config, force bool) error {
	if !force {
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s exists (use --force to overwrite)", path)
		}
	}
	bz, err := c.Marshal()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	return os.WriteFile(path, bz, 0o640)
}
