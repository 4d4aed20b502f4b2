package devnet

// The multi-validator localnet: N validators on loopback, each a separate `guildd start` with
// its own home under the localnet home, sharing one genesis that funds the same demo accounts
// as the single-validator devnet. See docs/adr/0013-localnet.md.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/cometbft/cometbft/p2p"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
)

// Localnet defaults.
const (
	DefaultValidators         = 4
	DefaultLocalnetBasePort   = 26700
	DefaultLocalnetChainID    = "guild-localnet-1"
	DefaultSnapshotInterval   = 20
	DefaultSnapshotKeepRecent = 5
	MaxValidators             = 16
	// portsPerNode is the port stride between nodes: p2p, rpc, grpc, api at base+stride*i+0..3.
	portsPerNode     = 10
	netFile          = "localnet.json"
	netMarker        = ".localnet-initialized"
	nodePIDFile      = "guildd.pid"
	nodeLogFile      = "node.log"
	validatorKeyBase = "validator"
)

// Net describes a localnet. It is recorded in <home>/localnet.json when the network is created,
// and later commands (resume, stop, status, start-node) read it from there.
type Net struct {
	Home       string        `json:"home"`
	ChainID    string        `json:"chain_id"`
	Validators int           `json:"validators"`
	BlockTime  time.Duration `json:"block_time"`
	BasePort   int           `json:"base_port"`
	// ProxyBase, when not zero, routes every peer link through a TCP proxy that something else
	// (a partition test) runs: node i dials node j at 127.0.0.1:ProxyPort(i, j). Without those
	// proxies the validators cannot reach each other.
	ProxyBase          int    `json:"proxy_base,omitempty"`
	SnapshotInterval   uint64 `json:"snapshot_interval"`
	SnapshotKeepRecent uint32 `json:"snapshot_keep_recent"`
	CORS               bool   `json:"cors,omitempty"`
	// Pprof serves Go's pprof on every node, at PprofAddr(i) (CPU profiles for benchmarks).
	Pprof bool `json:"pprof,omitempty"`
}

// DefaultNet returns the standard localnet in home: four validators, 1 s blocks, ports from
// 26700, a snapshot every 20 blocks.
func DefaultNet(home string) Net {
	return Net{
		Home: home, ChainID: DefaultLocalnetChainID, Validators: DefaultValidators,
		BlockTime: time.Second, BasePort: DefaultLocalnetBasePort,
		SnapshotInterval: DefaultSnapshotInterval, SnapshotKeepRecent: DefaultSnapshotKeepRecent,
	}
}

// ValidateBasic checks the network description and every node's configuration.
func (n Net) ValidateBasic() error {
	if n.Validators < 1 || n.Validators > MaxValidators {
		return fmt.Errorf("%w: %d validators (want 1 to %d)", ErrConfig, n.Validators, MaxValidators)
	}
	last := n.BasePort + portsPerNode*n.Validators
	if n.BasePort <= 1024 || last > 65535 {
		return fmt.Errorf("%w: base port %d leaves no room for %d nodes", ErrConfig, n.BasePort, n.Validators)
	}
	if n.ProxyBase != 0 {
		if n.ProxyBase <= 1024 || n.ProxyBase+n.Validators*n.Validators > 65535 {
			return fmt.Errorf("%w: proxy base port %d", ErrConfig, n.ProxyBase)
		}
		if n.ProxyBase < last && n.BasePort < n.ProxyBase+n.Validators*n.Validators {
			return fmt.Errorf("%w: proxy ports overlap node ports", ErrConfig)
		}
	}
	for i := 0; i < n.Validators; i++ {
		if err := n.Node(i).ValidateBasic(); err != nil {
			return err
		}
	}
	return nil
}

// ValidatorKey is the demo key of validator i: "validator" for node 0 (the devnet's validator),
// "validator1", "validator2"… for the others.
func ValidatorKey(i int) string {
	if i == 0 {
		return Validator
	}
	return validatorKeyBase + strconv.Itoa(i)
}

// NodeHome is the home of node i.
func (n Net) NodeHome(i int) string { return filepath.Join(n.Home, "node"+strconv.Itoa(i)) }

// NodeLog is the file that receives node i's output.
func (n Net) NodeLog(i int) string { return filepath.Join(n.NodeHome(i), nodeLogFile) }

func (n Net) port(i, k int) string {
	return "127.0.0.1:" + strconv.Itoa(n.BasePort+portsPerNode*i+k)
}

// PprofAddr is where node i serves pprof when the localnet has Pprof on: base+10i+4.
func (n Net) PprofAddr(i int) string { return n.port(i, 4) }

// ProxyPort is the port on which node i reaches node j when the network runs behind proxies.
func (n Net) ProxyPort(i, j int) int { return n.ProxyBase + i*n.Validators + j }

// Node returns node i's configuration: its home and its four loopback listeners.
func (n Net) Node(i int) Config {
	return Config{
		Home: n.NodeHome(i), ChainID: n.ChainID, BlockTime: n.BlockTime,
		P2P: n.port(i, 0), RPC: n.port(i, 1), GRPC: n.port(i, 2), API: n.port(i, 3),
		CORS: n.CORS, Moniker: ValidatorKey(i),
	}
}

// NetInitialized reports whether home holds a completely created localnet.
func NetInitialized(home string) bool {
	_, err := os.Stat(filepath.Join(home, netMarker))
	return err == nil
}

// ReadNet reads the description of the localnet in home.
func ReadNet(home string) (Net, error) {
	var n Net
	b, err := os.ReadFile(filepath.Join(home, netFile))
	if err != nil {
		return n, fmt.Errorf("no localnet in %s (run guildd localnet start): %w", home, err)
	}
	if err := json.Unmarshal(b, &n); err != nil {
		return n, fmt.Errorf("read %s: %w", netFile, err)
	}
	n.Home = home
	return n, n.ValidateBasic()
}

func writeNet(n Net) error {
	b, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(n.Home, netFile+".tmp")
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(n.Home, netFile))
}

// NodeID returns node i's CometBFT node id (from its node key).
func (n Net) NodeID(i int) (string, error) {
	key, err := p2p.LoadNodeKey(filepath.Join(n.NodeHome(i), "config", "node_key.json"))
	if err != nil {
		return "", fmt.Errorf("node %d key: %w", i, err)
	}
	return string(key.ID()), nil
}

// InitNet creates a fresh localnet by running guildd's own commands (the binary at exe): the
// demo keys and one key per extra validator in the localnet home's test keyring, `init` of every
// node home, funded genesis accounts, one gentx per validator (each signed with its own node's
// consensus key, all with the same stake), the collected and patched genesis copied to every
// node, and the node configurations. Any earlier content of the home is removed first.
func InitNet(ctx context.Context, exe string, n Net, log io.Writer, patches ...GenesisPatch) error {
	if err := n.ValidateBasic(); err != nil {
		return err
	}
	if err := os.RemoveAll(n.Home); err != nil {
		return fmt.Errorf("clear localnet home: %w", err)
	}
	if err := os.MkdirAll(n.Home, 0o755); err != nil {
		return err
	}
	run := func(stdin string, args ...string) (string, error) {
		c := exec.CommandContext(ctx, exe, args...)
		c.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		c.Stdout, c.Stderr = &out, &errb
		if err := c.Run(); err != nil {
			return "", fmt.Errorf("guildd %s: %w\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
		}
		return strings.TrimSpace(out.String()), nil
	}
	fmt.Fprintf(log, "setting up a new %d-validator localnet in %s\n", n.Validators, n.Home)
	keyring := []string{"--home", n.Home, "--keyring-backend", "test"}
	names := append([]string{}, Accounts...)
	for i := 1; i < n.Validators; i++ {
		names = append(names, ValidatorKey(i))
	}
	addrs := map[string]string{}
	for _, name := range names {
		args := append([]string{"keys", "add", name, "--recover"}, keyring...)
		if ed25519Keys[name] {
			args = append(args, "--algo", "ed25519")
		}
		out, err := run(Mnemonic(name)+"\n", append(args, "--output", "json")...)
		if err != nil {
			return err
		}
		var key struct {
			Address string `json:"address"`
		}
		if err := json.Unmarshal([]byte(lastLine(out)), &key); err != nil || key.Address == "" {
			return fmt.Errorf("keys add %s: no address in %q", name, out)
		}
		addrs[name] = key.Address
	}
	for i := 0; i < n.Validators; i++ {
		if _, err := run("", "init", ValidatorKey(i), "--chain-id", n.ChainID, "--default-denom", nativeDenom,
			"--home", n.NodeHome(i)); err != nil {
			return err
		}
	}
	home0 := n.NodeHome(0)
	type coin struct {
		Denom  string `json:"denom"`
		Amount string `json:"amount"`
	}
	type account struct {
		Address string `json:"address"`
		Coins   []coin `json:"coins"`
	}
	accounts := make([]account, 0, len(names))
	for _, name := range names {
		accounts = append(accounts, account{Address: addrs[name], Coins: []coin{
			{nativeDenom, strconv.Itoa(GenesisNative)}, {stableDenom, strconv.Itoa(GenesisStable)}}})
	}
	bz, err := json.Marshal(accounts)
	if err != nil {
		return err
	}
	accountsFile := filepath.Join(n.Home, "genesis-accounts.json")
	if err := os.WriteFile(accountsFile, bz, 0o644); err != nil {
		return err
	}
	if _, err := run("", "genesis", "bulk-add-genesis-account", accountsFile, "--home", home0); err != nil {
		return err
	}
	genesis0 := filepath.Join(home0, "config", "genesis.json")
	gentxDir := filepath.Join(home0, "config", "gentx")
	if err := os.MkdirAll(gentxDir, 0o755); err != nil {
		return err
	}
	for i := 0; i < n.Validators; i++ {
		if i > 0 {
			if err := copyFile(genesis0, filepath.Join(n.NodeHome(i), "config", "genesis.json")); err != nil {
				return err
			}
		}
		if _, err := run("", "genesis", "gentx", ValidatorKey(i), fmt.Sprintf("%d%s", SelfDelegate, nativeDenom),
			"--chain-id", n.ChainID, "--home", n.NodeHome(i), "--keyring-dir", n.Home, "--keyring-backend", "test",
			"--moniker", ValidatorKey(i), "--ip", "127.0.0.1",
			"--output-document", filepath.Join(gentxDir, "gentx-"+ValidatorKey(i)+".json")); err != nil {
			return err
		}
	}
	if _, err := run("", "genesis", "collect-gentxs", "--home", home0, "--gentx-dir", gentxDir); err != nil {
		return err
	}
	if err := PatchGenesis(home0, append([]GenesisPatch{basePatch}, patches...)...); err != nil {
		return err
	}
	for i := 1; i < n.Validators; i++ {
		if err := copyFile(genesis0, filepath.Join(n.NodeHome(i), "config", "genesis.json")); err != nil {
			return err
		}
	}
	if err := writeNet(n); err != nil {
		return err
	}
	if err := WriteNetConfig(n); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(n.Home, netMarker), []byte(n.ChainID+"\n"), 0o644)
}

// WriteNetConfig writes every node's config.toml, app.toml and client.toml (through
// WriteNodeConfig) with the localnet's peers — every other validator as a persistent peer, pex
// off, so that peer links are exactly the configured ones — and snapshots on; and the localnet
// home's client.toml, which points at node 0 with the test keyring. It runs on every start.
func WriteNetConfig(n Net) error {
	ids := make([]string, n.Validators)
	for i := range ids {
		id, err := n.NodeID(i)
		if err != nil {
			return err
		}
		ids[i] = id
	}
	for i := 0; i < n.Validators; i++ {
		cfg := n.Node(i)
		peers := make([]string, 0, n.Validators-1)
		for j := 0; j < n.Validators; j++ {
			if j == i {
				continue
			}
			addr := n.Node(j).P2P
			if n.ProxyBase != 0 {
				addr = "127.0.0.1:" + strconv.Itoa(n.ProxyPort(i, j))
			}
			peers = append(peers, ids[j]+"@"+addr)
		}
		cfg.TuneCometBFT = func(c *cmtcfg.Config) {
			c.P2P.PersistentPeers = strings.Join(peers, ",")
			c.P2P.PexReactor = false
			c.P2P.PersistentPeersMaxDialPeriod = 2 * time.Second
			c.RPC.PprofListenAddress = ""
			if n.Pprof {
				c.RPC.PprofListenAddress = n.PprofAddr(i)
			}
		}
		cfg.TuneApp = func(a *serverconfig.Config) {
			a.StateSync.SnapshotInterval = n.SnapshotInterval
			a.StateSync.SnapshotKeepRecent = n.SnapshotKeepRecent
		}
		if err := WriteNodeConfig(cfg); err != nil {
			return fmt.Errorf("node %d: %w", i, err)
		}
	}
	return writeClientConfig(n.Home, n.ChainID, n.Node(0).RPC)
}

func writeClientConfig(home, chainID, rpc string) error {
	dir := filepath.Join(home, "config")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	client := fmt.Sprintf(`# guildd client configuration, written by guildd localnet (talks to node 0)
chain-id = %q
keyring-backend = "test"
keyring-default-keyname = ""
output = "text"
node = "tcp://%s"
broadcast-mode = "sync"
`, chainID, rpc)
	return os.WriteFile(filepath.Join(dir, "client.toml"), []byte(client), 0o644)
}

// lastLine is the last non-empty line of out (keys add may print notes before its JSON).
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return lines[len(lines)-1]
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
