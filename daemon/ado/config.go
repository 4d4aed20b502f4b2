package ado

import (
	"time"

	"github.com/guild-network/guild/internal/daemonkit"
)

// Config is the ADO's TOML configuration. It holds no key: the issuer key lives in the keyring.
type Config struct {
	Server     daemonkit.ServerConfig `toml:"server"`
	Chain      ChainConfig            `toml:"chain"`
	Issuer     IssuerConfig           `toml:"issuer"`
	Credential CredentialConfig       `toml:"credential"`
	Store      StoreConfig            `toml:"store"`
	Limits     LimitsConfig           `toml:"limits"`
	Log        daemonkit.LogConfig    `toml:"log"`
}

// ChainConfig is the [chain] section.
type ChainConfig struct {
	GRPC    string             `toml:"grpc" comment:"the node's gRPC address (host:port)"`
	ChainID string             `toml:"chain_id" comment:"the chain id credentials are bound to"`
	Timeout daemonkit.Duration `toml:"timeout" comment:"per chain query"`
}

// IssuerConfig is the [issuer] section: where the ed25519 issuer key is.
type IssuerConfig struct {
	KeyringDir     string `toml:"keyring_dir" comment:"keyring directory (the key never appears in this file)"`
	KeyringBackend string `toml:"keyring_backend" comment:"os, file or test"`
	KeyName        string `toml:"key_name" comment:"name of the ed25519 issuer key in the keyring"`
}

// CredentialConfig is the [credential] section.
type CredentialConfig struct {
	ValidityBlocks   int64 `toml:"validity_blocks" comment:"a credential is valid from the head for this many blocks"`
	MaxRequestBlocks int64 `toml:"max_request_blocks" comment:"a request's height must be within this many blocks of the head"`
}

// StoreConfig is the [store] section.
type StoreConfig struct {
	Path string `toml:"path" comment:"SQLite file for jtis and the audit log"`
}

// LimitsConfig is the [limits] section.
type LimitsConfig struct {
	PerIP  daemonkit.Rate `toml:"per_ip" comment:"requests per client IP"`
	PerKey daemonkit.Rate `toml:"per_key" comment:"requests per agent (requester key)"`
}

// DefaultConfig is the configuration for a local node.
func DefaultConfig() Config {
	return Config{
		Server:     daemonkit.ServerConfig{Listen: "127.0.0.1:8470"},
		Chain:      ChainConfig{GRPC: "127.0.0.1:9090", ChainID: "guild-dev", Timeout: daemonkit.Duration(5 * time.Second)},
		Issuer:     IssuerConfig{KeyringBackend: "test", KeyName: "ado"},
		Credential: CredentialConfig{ValidityBlocks: 20, MaxRequestBlocks: 5},
		Store:      StoreConfig{Path: "ado.db"},
		Limits: LimitsConfig{
			PerIP:  daemonkit.Rate{Events: 200, Per: daemonkit.Duration(time.Second), Burst: 400},
			PerKey: daemonkit.Rate{Events: 20, Per: daemonkit.Duration(time.Second), Burst: 40},
		},
		Log: daemonkit.DefaultLogConfig(),
	}
}

// TestConfig is DefaultConfig for tests: no limits that a test would hit by accident.
func TestConfig() Config {
	c := DefaultConfig()
	c.Limits = LimitsConfig{}
	return c
}

// ValidateBasic checks the [chain] section.
func (c ChainConfig) ValidateBasic() error {
	if c.GRPC == "" {
		return daemonkit.KeyErrorf("grpc", "empty")
	}
	if c.ChainID == "" {
		return daemonkit.KeyErrorf("chain_id", "empty")
	}
	return c.Timeout.AtLeast("timeout", 100*time.Millisecond)
}

// ValidateBasic checks the [issuer] section.
func (c IssuerConfig) ValidateBasic() error {
	if c.KeyName == "" {
		return daemonkit.KeyErrorf("key_name", "empty")
	}
	switch c.KeyringBackend {
	case "os", "file", "test":
	default:
		return daemonkit.KeyErrorf("keyring_backend", "%q: want os, file or test", c.KeyringBackend)
	}
	return nil
}

// ValidateBasic checks the [credential] section.
func (c CredentialConfig) ValidateBasic() error {
	if c.ValidityBlocks < 1 || c.ValidityBlocks > 1000 {
		return daemonkit.KeyErrorf("validity_blocks", "%d: want 1…1000 (and at most the chain's max_credential_window)", c.ValidityBlocks)
	}
	if c.MaxRequestBlocks < 0 || c.MaxRequestBlocks > 100 {
		return daemonkit.KeyErrorf("max_request_blocks", "%d: want 0…100", c.MaxRequestBlocks)
	}
	return nil
}

// ValidateBasic checks the [store] section.
func (c StoreConfig) ValidateBasic() error {
	if c.Path == "" {
		return daemonkit.KeyErrorf("path", "empty")
	}
	return nil
}

// ValidateBasic checks the [limits] section.
func (c LimitsConfig) ValidateBasic() error {
	if err := c.PerIP.ValidateBasic(); err != nil {
		return daemonkit.KeyErrorf("per_ip", "%w", err)
	}
	if err := c.PerKey.ValidateBasic(); err != nil {
		return daemonkit.KeyErrorf("per_key", "%w", err)
	}
	return nil
}

// ValidateBasic checks every section; errors name their section.
func (c Config) ValidateBasic() error {
	return daemonkit.ValidateSections(daemonkit.Sections{
		{Name: "server", Section: c.Server}, {Name: "chain", Section: c.Chain}, {Name: "issuer", Section: c.Issuer},
		{Name: "credential", Section: c.Credential}, {Name: "store", Section: c.Store}, {Name: "limits", Section: c.Limits},
		{Name: "log", Section: c.Log},
	})
}
