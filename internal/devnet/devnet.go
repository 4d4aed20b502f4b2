// Package devnet prepares and describes the single-validator local network that `guildd dev`
// runs: a home directory with a genesis that funds the demo accounts, loopback-only listeners,
// a short block time, and a record of what it set up (dev.json) for people and scripts.
package devnet

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"
	bip39 "github.com/cosmos/go-bip39"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
)

// Demo account names, in the order they are created and printed.
const (
	Validator = "validator"
	Provider  = "provider"
	Tenant    = "tenant"
	Investor  = "investor"
	Lender    = "lender"
	Farmer    = "farmer"
	// FarmerBot sends (and pays the fees of) the demo farmer daemon's proof transactions, so
	// that they never share an account sequence with transactions the farmer sends itself.
	FarmerBot = "farmer-bot"
	Pool      = "pool"
	// Node is the demo provider node's ed25519 key: it signs the node's reports and heartbeats.
	Node = "node"
)

// Accounts lists every demo account of the devnet.
var Accounts = []string{Validator, Provider, Tenant, Investor, Lender, Farmer, FarmerBot, Pool, Node}

// ed25519Keys are the demo keys created with the ed25519 algorithm.
var ed25519Keys = map[string]bool{Node: true}

// Genesis amounts, in base units (1 GLD = 10^6 ugld, 1 USDC = 10^6 uusdc).
const (
	GenesisNative = 1_000_000_000_000 // 1,000,000 GLD per account
	GenesisStable = 1_000_000_000_000 // 1,000,000 USDC per account
	SelfDelegate  = 100_000_000_000   // the validator bonds 100,000 GLD
)

// Config says where the devnet lives and listens.
type Config struct {
	Home      string        // home directory of the node and its test keyring
	ChainID   string        // chain id
	BlockTime time.Duration // CometBFT timeout_commit
	RPC       string        // CometBFT RPC listen address, host:port
	P2P       string        // CometBFT P2P listen address, host:port
	GRPC      string        // gRPC listen address, host:port
	API       string        // REST listen address, host:port
	CORS      bool          // let web pages on any origin call the REST API
	Moniker   string        // node moniker; empty means "guild-dev"
	// TuneCometBFT and TuneApp, when set, make last edits to the node configuration before it is
	// written (the multi-validator localnet sets peers, pex and snapshots through them).
	TuneCometBFT func(*cmtcfg.Config)
	TuneApp      func(*serverconfig.Config)
}

// DefaultConfig returns the standard devnet: the usual Cosmos ports on 127.0.0.1 and 1 s blocks.
func DefaultConfig(home string) Config {
	return Config{
		Home:      home,
		ChainID:   "guild-dev-1",
		BlockTime: time.Second,
		RPC:       "127.0.0.1:26657",
		P2P:       "127.0.0.1:26656",
		GRPC:      "127.0.0.1:9090",
		API:       "127.0.0.1:1317",
	}
}

// ErrConfig reports an invalid devnet configuration.
var ErrConfig = errors.New("invalid devnet configuration")

// ValidateBasic checks the configuration: a home, a chain id, a positive block time and four
// distinct loopback listen addresses.
func (c Config) ValidateBasic() error {
	if c.Home == "" {
		return fmt.Errorf("%w: empty home", ErrConfig)
	}
	if c.ChainID == "" {
		return fmt.Errorf("%w: empty chain id", ErrConfig)
	}
	if c.BlockTime <= 0 {
		return fmt.Errorf("%w: block time %s must be positive", ErrConfig, c.BlockTime)
	}
	seen := map[string]string{}
	for name, addr := range map[string]string{"rpc": c.RPC, "p2p": c.P2P, "grpc": c.GRPC, "api": c.API} {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return fmt.Errorf("%w: %s address %q: %v", ErrConfig, name, addr, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%w: %s address %q is not a loopback address", ErrConfig, name, addr)
		}
		if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
			return fmt.Errorf("%w: %s port %q", ErrConfig, name, port)
		}
		if other, dup := seen[port]; dup {
			return fmt.Errorf("%w: %s and %s share port %s", ErrConfig, name, other, port)
		}
		seen[port] = name
	}
	return nil
}

// Mnemonic returns the fixed mnemonic of a demo account, so that demo addresses are the same on
// every machine and after every reset. These keys guard nothing: they exist only on devnets.
func Mnemonic(name string) string {
	entropy := sha256.Sum256([]byte("guild devnet account/" + name))
	m, err := bip39.NewMnemonic(entropy[:])
	if err != nil {
		panic(err) // 32 bytes of entropy is always valid
	}
	return m
}

// Info is what dev.json records about a running devnet.
type Info struct {
	ChainID  string            `json:"chain_id"`
	Home     string            `json:"home"`
	RPC      string            `json:"rpc"`
	GRPC     string            `json:"grpc"`
	API      string            `json:"api"`
	Accounts map[string]string `json:"accounts"` // name → bech32 address
	Services map[string]string `json:"services,omitempty"`
}

// InfoPath is where dev.json lives inside a devnet home.
func InfoPath(home string) string { return filepath.Join(home, "dev.json") }

// WriteInfo records info atomically (write to a temporary file, then rename).
func WriteInfo(info Info) error {
	b, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return err
	}
	tmp := InfoPath(info.Home) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, InfoPath(info.Home))
}

// ReadInfo reads dev.json from a devnet home.
func ReadInfo(home string) (Info, error) {
	var info Info
	b, err := os.ReadFile(InfoPath(home))
	if err != nil {
		return info, err
	}
	return info, json.Unmarshal(b, &info)
}
