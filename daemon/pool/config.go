package pool

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/guild-network/guild/daemon/pool/payout"
	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/internal/daemonkit"
	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// ErrConfig is matched by every configuration error (daemonkit.ErrInvalidConfig).
var ErrConfig = daemonkit.ErrInvalidConfig

// Duration is a time.Duration written as "30s" in TOML.
type Duration = daemonkit.Duration

// LogConfig is the [log] section.
type LogConfig = daemonkit.LogConfig

// Config is the pool server's configuration, one section per concern.
type Config struct {
	Server ServerConfig `toml:"server" comment:"HTTP listener"`
	Pool   PoolConfig   `toml:"pool" comment:"what the pool tells farmers and how it treats partials"`
	Proof  ProofConfig  `toml:"proof" comment:"proof-of-space rules (the chain's x/farming params)"`
	Payout PayoutConfig `toml:"payout" comment:"reward scheme and payouts"`
	Limits LimitsConfig `toml:"limits" comment:"rate and size limits"`
	Store  StoreConfig  `toml:"store" comment:"where the pool keeps its state"`
	Chain  ChainConfig  `toml:"chain" comment:"the chain the pool follows and pays on"`
	Log    LogConfig    `toml:"log" comment:"structured logs on stderr"`
}

// ServerConfig is the HTTP listener.
type ServerConfig struct {
	Listen          string   `toml:"listen" comment:"host:port of the pool protocol, /healthz and /metrics"`
	TLSCert         string   `toml:"tls_cert" comment:"PEM certificate; with tls_key, serve HTTPS (TLS 1.2 or later)"`
	TLSKey          string   `toml:"tls_key" comment:"PEM private key"`
	ReadTimeout     Duration `toml:"read_timeout" comment:"longest time to read a request"`
	WriteTimeout    Duration `toml:"write_timeout" comment:"longest time to answer a request"`
	ShutdownTimeout Duration `toml:"shutdown_timeout" comment:"how long in-flight requests get on shutdown"`
}

// PoolConfig is what the pool announces and its partial rules.
type PoolConfig struct {
	Name               string   `toml:"name" comment:"pool name (pool_info)"`
	Description        string   `toml:"description" comment:"pool description (pool_info)"`
	LogoURL            string   `toml:"logo_url" comment:"logo URL (pool_info)"`
	WelcomeMessage     string   `toml:"welcome_message" comment:"answer to POST /farmer"`
	URL                string   `toml:"url" comment:"the pool URL farmers put in their pool contracts: https://host[:port][/path], lowercase, no trailing slash"`
	Address            string   `toml:"address" comment:"the pool's address: pool contracts target it and payouts are sent from it; empty = the [chain] key's address"`
	FeeBps             uint32   `toml:"fee_bps" comment:"pool fee in basis points of the rewards (100 = 1 %)"`
	MinDifficulty      uint64   `toml:"min_difficulty" comment:"lowest difficulty a farmer may have"`
	DefaultDifficulty  uint64   `toml:"default_difficulty" comment:"difficulty of a new farmer that suggests none"`
	RelativeLock       uint64   `toml:"relative_lock" comment:"blocks a leaving member's rewards keep coming to the pool; pool contracts must use this value"`
	AuthTokenTimeout   uint8    `toml:"auth_token_timeout" comment:"authentication token period in minutes; tokens within this many periods are accepted"`
	PartialTimeLimit   Duration `toml:"partial_time_limit" comment:"a partial must arrive within this time of its signage point"`
	DifficultyCount    int      `toml:"difficulty_target_partials" comment:"the difficulty aims at this many partials per difficulty_target_time"`
	DifficultyTime     Duration `toml:"difficulty_target_time" comment:"see difficulty_target_partials"`
	DifficultyCooldown Duration `toml:"difficulty_cooldown" comment:"a suggested difficulty applies only after this delay (against the difficulty replay attack)"`
}

// ProofConfig holds the chain's proof-of-space rules (x/farming's params; a chain that reports
// its params overrides them at start).
type ProofConfig struct {
	PlotFilterBits  uint32   `toml:"plot_filter_bits" comment:"the plot filter: this many leading bits of SHA-256(plot id ‖ sp hash) must be zero"`
	DCFBits         uint32   `toml:"difficulty_constant_factor_bits" comment:"DCF = 2^this in the required-iterations formula"`
	SPIntervalIters uint64   `toml:"sp_interval_iters" comment:"a partial is good enough when its required iterations at the farmer's difficulty are below this"`
	MinK            uint32   `toml:"min_k" comment:"smallest plot size accepted"`
	MaxK            uint32   `toml:"max_k" comment:"largest plot size accepted"`
	SignagePoints   int      `toml:"signage_points" comment:"recent signage points kept in memory"`
	SPInterval      Duration `toml:"sp_interval" comment:"time between signage points (the block time), for space estimates and staleness"`
}

// PayoutConfig is the reward scheme and payouts.
type PayoutConfig struct {
	Scheme          string   `toml:"scheme" comment:"pplns or proportional"`
	PPLNSWindow     Duration `toml:"pplns_window" comment:"PPLNS: partials received within this window count"`
	MinPayout       uint64   `toml:"min_payout" comment:"smallest payout; a smaller balance carries to the next round"`
	Interval        Duration `toml:"interval" comment:"how often rewards are distributed and payouts sent"`
	PayoutsPerTx    int      `toml:"payouts_per_tx" comment:"payouts per bank multi-send transaction"`
	Denom           string   `toml:"denom" comment:"denomination of rewards and payouts"`
	TxTimeoutBlocks int64    `toml:"tx_timeout_blocks" comment:"a payout transaction not in a block after this many blocks is re-signed"`
	AbsorbInterval  Duration `toml:"absorb_interval" comment:"how often members' pool contract balances are absorbed"`
	Retention       Duration `toml:"partial_retention" comment:"partials older than this are pruned (at least the PPLNS window)"`
	// StopAt is a test hook: the payout loop stops for good at this step ("planned",
	// "broadcast" or "included") so that a crash test can kill the server there.
	StopAt string `toml:"stop_at" comment:"test only: halt the payout loop after this step (planned, broadcast, included); empty in production"`
}

// LimitsConfig bounds what one client may ask.
type LimitsConfig struct {
	MaxBodyBytes         int64 `toml:"max_body_bytes" comment:"largest request body"`
	PerIPPerMinute       int64 `toml:"per_ip_per_minute" comment:"requests per minute per client IP (sustained)"`
	PerIPBurst           int64 `toml:"per_ip_burst" comment:"burst per client IP"`
	PerLauncherPerMinute int64 `toml:"per_launcher_per_minute" comment:"partials per minute per launcher (pool contract)"`
	PerLauncherBurst     int64 `toml:"per_launcher_burst" comment:"burst per launcher"`
	MaxWriteBatch        int   `toml:"max_write_batch" comment:"partials committed per store transaction at most"`
}

// StoreConfig says where the state lives.
type StoreConfig struct {
	URL string `toml:"url" comment:"SQLite file path (default) or postgres://user@host:port/db"`
}

// ChainConfig says how to reach the chain and which key pays.
type ChainConfig struct {
	RPC            string `toml:"rpc" comment:"CometBFT RPC of a node"`
	GRPC           string `toml:"grpc" comment:"gRPC address of the node"`
	ChainID        string `toml:"chain_id" comment:"chain id"`
	KeyringDir     string `toml:"keyring_dir" comment:"directory holding the keyring"`
	KeyringBackend string `toml:"keyring_backend" comment:"test or file"`
	Key            string `toml:"key" comment:"name of the pool address's key: it absorbs and pays"`
	Fees           string `toml:"fees" comment:"fee per transaction, e.g. 2000ugld; empty for none"`
}

// DefaultConfig returns pool-reference's defaults where they apply, with data under home.
func DefaultConfig(home string) Config {
	return Config{
		Server: ServerConfig{Listen: "127.0.0.1:8444", ReadTimeout: Duration(10 * time.Second),
			WriteTimeout: Duration(10 * time.Second), ShutdownTimeout: Duration(10 * time.Second)},
		Pool: PoolConfig{Name: "Guild pool", Description: "A Guild farming pool", WelcomeMessage: "Welcome to the pool!",
			URL: "http://127.0.0.1:8444", FeeBps: 100, MinDifficulty: 10, DefaultDifficulty: 10, RelativeLock: 100,
			AuthTokenTimeout: 5, PartialTimeLimit: Duration(25 * time.Second), DifficultyCount: 300,
			DifficultyTime: Duration(24 * time.Hour), DifficultyCooldown: Duration(600 * time.Second)},
		Proof: ProofConfigFromParams(farmingtypes.DefaultParams()),
		Payout: PayoutConfig{Scheme: string(store.PPLNS), PPLNSWindow: Duration(24 * time.Hour), MinPayout: 1_000_000,
			Interval: Duration(10 * time.Minute), PayoutsPerTx: 400, Denom: "ugld", TxTimeoutBlocks: 50,
			AbsorbInterval: Duration(10 * time.Minute), Retention: Duration(7 * 24 * time.Hour)},
		Limits: LimitsConfig{MaxBodyBytes: 8 << 10, PerIPPerMinute: 3000, PerIPBurst: 300, PerLauncherPerMinute: 600, PerLauncherBurst: 100,
			MaxWriteBatch: 512},
		Store: StoreConfig{URL: home + "/pool.db"},
		Chain: ChainConfig{RPC: "tcp://127.0.0.1:26657", GRPC: "127.0.0.1:9090", KeyringDir: home, KeyringBackend: "test", Key: "pool"},
		Log:   daemonkit.DefaultLogConfig(),
	}
}

// TestConfig returns a configuration for tests: small plots, no filter, short intervals, a
// loopback listener on a free port, the store under dir.
func TestConfig(dir string) Config {
	c := DefaultConfig(dir)
	c.Server.Listen = "127.0.0.1:0"
	c.Pool.URL = "http://127.0.0.1:8444"
	c.Pool.Address = "guild1pooladdress"
	c.Pool.MinDifficulty, c.Pool.DefaultDifficulty = 1, 1
	c.Pool.RelativeLock = 10
	c.Proof = ProofConfigFromParams(farmingtypes.DevnetParams())
	c.Proof.MinK = pospace.MinPlotK
	c.Payout.MinPayout = 1
	c.Payout.Interval = Duration(time.Second)
	c.Payout.AbsorbInterval = Duration(time.Second)
	c.Limits.PerIPPerMinute, c.Limits.PerIPBurst = 1_000_000_000, 1_000_000
	c.Limits.PerLauncherPerMinute, c.Limits.PerLauncherBurst = 1_000_000_000, 1_000_000
	c.Log.Format = "text"
	return c
}

// LoadConfig reads a TOML file over the defaults and validates it.
func LoadConfig(path, home string) (Config, error) {
	c, err := daemonkit.LoadTOML(path, DefaultConfig(home))
	if err != nil {
		return c, err
	}
	return c, c.ValidateBasic()
}

// LoadConfigBytes reads TOML over the defaults (without validating: `guildd pool serve` fills
// the address from its key first).
func LoadConfigBytes(raw []byte, home string) (Config, error) {
	return daemonkit.DecodeTOML(raw, DefaultConfig(home))
}

// Marshal returns the configuration as commented TOML.
func (c Config) Marshal() ([]byte, error) {
	return daemonkit.EncodeTOML("guildd pool serve configuration", c)
}

// ValidateBasic checks every section; the error names the section and key.
func (c Config) ValidateBasic() error {
	if err := daemonkit.ValidateSections(daemonkit.Sections{
		{"server", c.Server}, {"pool", c.Pool}, {"proof", c.Proof}, {"payout", c.Payout},
		{"limits", c.Limits}, {"store", c.Store}, {"log", c.Log},
	}); err != nil {
		return err
	}
	if c.Payout.Scheme == string(store.PPLNS) && c.Payout.Retention.D() < c.Payout.PPLNSWindow.D() {
		return daemonkit.Section("payout", daemonkit.KeyErrorf("partial_retention", "%s is shorter than pplns_window %s", c.Payout.Retention.D(), c.Payout.PPLNSWindow.D()))
	}
	return nil
}

// ValidateBasic checks the server section.
func (c ServerConfig) ValidateBasic() error {
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return fmt.Errorf("listen %q: %w", c.Listen, err)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return errors.New("tls_cert and tls_key go together")
	}
	if c.ReadTimeout <= 0 || c.WriteTimeout <= 0 || c.ShutdownTimeout <= 0 {
		return errors.New("read_timeout, write_timeout and shutdown_timeout must be positive")
	}
	return nil
}

// ValidateBasic checks the pool section.
func (c PoolConfig) ValidateBasic() error {
	u, err := url.Parse(c.URL)
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		return fmt.Errorf("url %q: want https://host[:port][/path]", c.URL)
	case strings.ToLower(c.URL) != c.URL || strings.HasSuffix(c.URL, "/"):
		return fmt.Errorf("url %q: must be lowercase without a trailing slash", c.URL)
	case c.Address == "":
		return errors.New("address is required")
	case c.FeeBps > payout.MaxFeeBps:
		return fmt.Errorf("fee_bps %d is above %d", c.FeeBps, payout.MaxFeeBps)
	case c.MinDifficulty == 0:
		return errors.New("min_difficulty must be at least 1")
	case c.DefaultDifficulty < c.MinDifficulty:
		return fmt.Errorf("default_difficulty %d is below min_difficulty %d", c.DefaultDifficulty, c.MinDifficulty)
	case c.RelativeLock == 0:
		return errors.New("relative_lock must be at least 1")
	case c.AuthTokenTimeout == 0:
		return errors.New("auth_token_timeout must be at least 1")
	case c.PartialTimeLimit <= 0:
		return errors.New("partial_time_limit must be positive")
	case c.DifficultyCount < 1 || c.DifficultyTime <= 0:
		return errors.New("difficulty_target_partials and difficulty_target_time must be positive")
	case c.DifficultyCooldown < 0:
		return errors.New("difficulty_cooldown must not be negative")
	}
	return nil
}

// ProofConfigFromParams returns the proof section matching x/farming's params, with 1000
// signage points kept and 1 s between them (Guild's block time).
func ProofConfigFromParams(p farmingtypes.Params) ProofConfig {
	return ProofConfig{PlotFilterBits: p.PlotFilterBits, DCFBits: p.DifficultyConstantFactorBits, SPIntervalIters: p.SpIntervalIters,
		MinK: p.MinK, MaxK: p.MaxK, SignagePoints: 1000, SPInterval: Duration(time.Second)}
}

// Params returns the farming params the proof rules stand for (only the proof fields are set).
func (c ProofConfig) Params() farmingtypes.Params {
	p := farmingtypes.DefaultParams()
	p.PlotFilterBits, p.DifficultyConstantFactorBits, p.SpIntervalIters, p.MinK, p.MaxK = c.PlotFilterBits, c.DCFBits, c.SPIntervalIters, c.MinK, c.MaxK
	return p
}

// ValidateBasic checks the proof section.
func (c ProofConfig) ValidateBasic() error {
	switch {
	case c.PlotFilterBits > 32:
		return fmt.Errorf("plot_filter_bits %d is above 32", c.PlotFilterBits)
	case c.DCFBits == 0 || c.DCFBits > farmingtypes.MaxDCFBits:
		return fmt.Errorf("difficulty_constant_factor_bits %d: want 1…%d", c.DCFBits, farmingtypes.MaxDCFBits)
	case c.SPIntervalIters == 0:
		return errors.New("sp_interval_iters must be positive")
	case c.MinK < pospace.MinK || c.MaxK > pospace.MaxK || c.MinK > c.MaxK:
		return fmt.Errorf("min_k %d … max_k %d: want %d ≤ min_k ≤ max_k ≤ %d", c.MinK, c.MaxK, pospace.MinK, pospace.MaxK)
	case c.SignagePoints < 1:
		return errors.New("signage_points must be at least 1")
	case c.SPInterval <= 0:
		return errors.New("sp_interval must be positive")
	}
	return nil
}

// Payout loop test hooks.
const (
	StopAfterPlanned   = "planned"
	StopAfterBroadcast = "broadcast"
	StopAfterIncluded  = "included"
)

// ValidateBasic checks the payout section.
func (c PayoutConfig) ValidateBasic() error {
	switch {
	case c.Scheme != string(store.PPLNS) && c.Scheme != string(store.Proportional):
		return fmt.Errorf("scheme %q: want pplns or proportional", c.Scheme)
	case c.Scheme == string(store.PPLNS) && c.PPLNSWindow <= 0:
		return errors.New("pplns_window must be positive")
	case c.Interval <= 0 || c.AbsorbInterval <= 0:
		return errors.New("interval and absorb_interval must be positive")
	case c.PayoutsPerTx < 1:
		return errors.New("payouts_per_tx must be at least 1")
	case c.Denom == "":
		return errors.New("denom is required")
	case c.TxTimeoutBlocks < 1:
		return errors.New("tx_timeout_blocks must be at least 1")
	case c.Retention <= 0:
		return errors.New("partial_retention must be positive")
	case c.StopAt != "" && c.StopAt != StopAfterPlanned && c.StopAt != StopAfterBroadcast && c.StopAt != StopAfterIncluded:
		return fmt.Errorf("stop_at %q: want planned, broadcast, included or empty", c.StopAt)
	}
	return nil
}

// ValidateBasic checks the limits section.
func (c LimitsConfig) ValidateBasic() error {
	switch {
	case c.MaxBodyBytes < 1024:
		return fmt.Errorf("max_body_bytes %d is below 1024", c.MaxBodyBytes)
	case c.PerIPPerMinute < 1 || c.PerIPBurst < 1 || c.PerLauncherPerMinute < 1 || c.PerLauncherBurst < 1:
		return errors.New("rates must be positive and bursts at least 1")
	case c.MaxWriteBatch < 1:
		return errors.New("max_write_batch must be at least 1")
	}
	return nil
}

// ValidateBasic checks the store section.
func (c StoreConfig) ValidateBasic() error {
	if c.URL == "" {
		return errors.New("url is required")
	}
	return nil
}
