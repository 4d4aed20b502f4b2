package farmer

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/daemonkit"
)

// Config is the farmer's whole configuration, one TOML section per concern.
type Config struct {
	Chain   ChainConfig            `toml:"chain" comment:"how to reach the chain and which keys sign"`
	Farming FarmingConfig          `toml:"farming" comment:"plots, pool contracts and where rewards go"`
	Loop    LoopConfig             `toml:"loop" comment:"how the farmer follows signage points"`
	Pool    PoolConfig             `toml:"pool" comment:"the pool server the pool contracts farm to (after join-pool on chain); url empty: none"`
	Server  daemonkit.ServerConfig `toml:"server" comment:"/healthz and /metrics"`
	Log     daemonkit.LogConfig    `toml:"log" comment:"structured logs on stderr"`
}

// ChainConfig says how to reach the chain and which keys sign.
type ChainConfig struct {
	RPC            string `toml:"rpc" comment:"CometBFT RPC address of a node"`
	ChainID        string `toml:"chain_id" comment:"chain id (part of what plot keys sign)"`
	KeyringDir     string `toml:"keyring_dir" comment:"directory holding keyring-test/ or keyring-file/"`
	KeyringBackend string `toml:"keyring_backend" comment:"test or file"`
	// Submitter pays the fees of proof submissions.
	Submitter string `toml:"submitter" comment:"name of the key that sends (and pays the fees of) proof transactions"`
	// PlotKeys are the ed25519 keys whose public keys the plots were made with.
	PlotKeys  []string           `toml:"plot_keys" comment:"names of the ed25519 plot keys in the keyring; each signs its plots' proofs"`
	TxTimeout daemonkit.Duration `toml:"tx_timeout" comment:"how long to wait for a proof transaction to be included"`
}

// FarmingConfig lists the plots and where rewards go.
type FarmingConfig struct {
	PlotDirs      []string `toml:"plot_dirs" comment:"directories with .plot files"`
	RewardAddress string   `toml:"reward_address" comment:"bech32 address that receives the farmer's 1/8 of each win"`
	// PoolContracts maps plots (which carry their pool contract's 32-byte key) to on-chain ids.
	PoolContracts []uint64 `toml:"pool_contracts" comment:"ids of the pool contracts the plots are bound to"`
	// DataDir keeps the signage-point cursor so that a restart catches up.
	DataDir string `toml:"data_dir" comment:"directory for the farmer's cursor file"`
}

// PoolConfig names the pool server the farmer's pool contracts farm to and the keys it signs
// with: `guildd farmer run` sends partials to it, `guildd farmer status` shows the pool's record
// of each contract (points, difficulty, errors). The --pool-* flags override it.
type PoolConfig struct {
	URL           string `toml:"url" comment:"pool server url (http or https); empty: the farmer uses no pool"`
	OwnerKey      string `toml:"owner_key" comment:"name of the ed25519 key of the pool contracts' owner (signs the farmer's pool records)"`
	AuthKey       string `toml:"auth_key" comment:"name of the ed25519 authentication key (signs partials with the plot key); empty: owner_key"`
	PayoutAddress string `toml:"payout_address" comment:"address the pool pays to; empty: farming.reward_address"`
}

// ValidateBasic checks the pool section: nothing when url is empty.
func (c PoolConfig) ValidateBasic() error {
	if c.URL == "" {
		return nil
	}
	if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return daemonkit.KeyErrorf("url", "%q: want an http:// or https:// url", c.URL)
	}
	if c.OwnerKey == "" {
		return daemonkit.KeyErrorf("owner_key", "empty: a pool needs the owner key")
	}
	if c.PayoutAddress != "" {
		if _, err := sdk.AccAddressFromBech32(c.PayoutAddress); err != nil {
			return daemonkit.KeyErrorf("payout_address", "%q: %v", c.PayoutAddress, err)
		}
	}
	return nil
}

// LoopConfig sets the farmer's rhythm.
type LoopConfig struct {
	PollInterval daemonkit.Duration `toml:"poll_interval" comment:"fallback poll of the newest signage point (a block subscription wakes the farmer at once)"`
	Subscribe    bool               `toml:"subscribe" comment:"subscribe to new blocks over the RPC websocket"`
}

// DefaultConfig is a farmer of the local devnet whose home is home.
func DefaultConfig(home string) Config {
	return Config{
		Chain: ChainConfig{
			RPC: "tcp://127.0.0.1:26657", ChainID: "guild-dev-1", KeyringDir: home, KeyringBackend: "test",
			Submitter: "farmer", PlotKeys: []string{"farmer-plot"}, TxTimeout: daemonkit.Duration(30 * time.Second),
		},
		Farming: FarmingConfig{PlotDirs: []string{filepath.Join(home, "plots")}, DataDir: filepath.Join(home, "farmer")},
		Loop:    LoopConfig{PollInterval: daemonkit.Duration(time.Second), Subscribe: true},
		Server:  daemonkit.ServerConfig{Listen: "127.0.0.1:26682"},
		Log:     daemonkit.DefaultLogConfig(),
	}
}

// TestConfig is a configuration for tests: data and plots in dir, no server, polling only.
func TestConfig(dir string) Config {
	c := DefaultConfig(dir)
	c.Farming.PlotDirs = []string{dir}
	c.Farming.DataDir = dir
	c.Farming.PoolContracts = []uint64{1}
	c.Farming.RewardAddress = sdk.AccAddress(make([]byte, 20)).String()
	c.Loop.Subscribe = false
	c.Loop.PollInterval = daemonkit.Duration(100 * time.Millisecond)
	c.Server.Listen = ""
	return c
}

// ValidateBasic checks every section; errors name their section and key.
func (c Config) ValidateBasic() error {
	return daemonkit.ValidateSections(daemonkit.Sections{
		{Name: "chain", Section: c.Chain}, {Name: "farming", Section: c.Farming}, {Name: "loop", Section: c.Loop},
		{Name: "pool", Section: c.Pool},
		{Name: "server", Section: c.Server}, {Name: "log", Section: c.Log},
	})
}

// ValidateBasic checks the chain section.
func (c ChainConfig) ValidateBasic() error {
	switch {
	case c.RPC == "":
		return daemonkit.KeyErrorf("rpc", "empty")
	case c.ChainID == "":
		return daemonkit.KeyErrorf("chain_id", "empty")
	case c.KeyringBackend != "test" && c.KeyringBackend != "file":
		return daemonkit.KeyErrorf("keyring_backend", "%q: want test or file", c.KeyringBackend)
	case c.Submitter == "":
		return daemonkit.KeyErrorf("submitter", "empty")
	case len(c.PlotKeys) == 0:
		return daemonkit.KeyErrorf("plot_keys", "name at least one plot key")
	}
	return c.TxTimeout.AtLeast("tx_timeout", time.Second)
}

// ValidateBasic checks the farming section.
func (c FarmingConfig) ValidateBasic() error {
	if len(c.PlotDirs) == 0 {
		return daemonkit.KeyErrorf("plot_dirs", "name at least one directory")
	}
	for _, d := range c.PlotDirs {
		if strings.TrimSpace(d) == "" {
			return daemonkit.KeyErrorf("plot_dirs", "empty directory name")
		}
	}
	if _, err := sdk.AccAddressFromBech32(c.RewardAddress); err != nil {
		return daemonkit.KeyErrorf("reward_address", "%q: %w", c.RewardAddress, err)
	}
	if len(c.PoolContracts) == 0 {
		return daemonkit.KeyErrorf("pool_contracts", "name the pool contract ids the plots are bound to")
	}
	for _, id := range c.PoolContracts {
		if id == 0 {
			return daemonkit.KeyErrorf("pool_contracts", "ids start at 1")
		}
	}
	if c.DataDir == "" {
		return daemonkit.KeyErrorf("data_dir", "empty")
	}
	return nil
}

// ValidateBasic checks the loop section.
func (c LoopConfig) ValidateBasic() error {
	if err := c.PollInterval.AtLeast("poll_interval", 10*time.Millisecond); err != nil {
		return err
	}
	if c.PollInterval.D() > time.Minute {
		return daemonkit.KeyErrorf("poll_interval", "%s: at most 1m, or proofs miss their window", c.PollInterval.D())
	}
	return nil
}

// String is for logs.
func (c Config) String() string {
	return fmt.Sprintf("farmer{rpc=%s plots=%v pool_contracts=%v}", c.Chain.RPC, c.Farming.PlotDirs, c.Farming.PoolContracts)
}
