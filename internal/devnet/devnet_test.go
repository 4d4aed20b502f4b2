package devnet

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestConfigValidateBasic(t *testing.T) {
	ok := DefaultConfig("/tmp/x")
	require.NoError(t, ok.ValidateBasic())
	bad := map[string]func(*Config){
		"no home":        func(c *Config) { c.Home = "" },
		"no chain id":    func(c *Config) { c.ChainID = "" },
		"zero block":     func(c *Config) { c.BlockTime = 0 },
		"public rpc":     func(c *Config) { c.RPC = "0.0.0.0:26657" },
		"remote grpc":    func(c *Config) { c.GRPC = "10.0.0.1:9090" },
		"no port":        func(c *Config) { c.API = "127.0.0.1" },
		"port zero":      func(c *Config) { c.API = "127.0.0.1:0" },
		"shared port":    func(c *Config) { c.API = c.RPC },
		"negative block": func(c *Config) { c.BlockTime = -time.Second },
	}
	for name, edit := range bad {
		c := DefaultConfig("/tmp/x")
		edit(&c)
		require.ErrorIs(t, c.ValidateBasic(), ErrConfig, name)
	}
}

func TestMnemonicsAreFixedAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range Accounts {
		m := Mnemonic(name)
		require.Equal(t, m, Mnemonic(name))
		require.False(t, seen[m], name)
		seen[m] = true
	}
}

func TestParamsFilePatch(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "p.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"market":{"grace_period":"8"}}`), 0o644))
	patch, err := ParamsFilePatch(file)
	require.NoError(t, err)
	state := map[string]json.RawMessage{"market": json.RawMessage(`{"params":{"grace_period":"100","min_cover":"5"}}`)}
	require.NoError(t, patch(state))
	require.JSONEq(t, `{"params":{"grace_period":"8","min_cover":"5"}}`, string(state["market"]))

	require.NoError(t, os.WriteFile(file, []byte(`{"nosuch":{"a":1}}`), 0o644))
	patch, err = ParamsFilePatch(file)
	require.NoError(t, err)
	require.Error(t, patch(state))

	require.NoError(t, os.WriteFile(file, []byte(`not json`), 0o644))
	_, err = ParamsFilePatch(file)
	require.Error(t, err)
}

func TestInfoRoundTrip(t *testing.T) {
	info := Info{ChainID: "c", Home: t.TempDir(), RPC: "127.0.0.1:1", Accounts: map[string]string{"tenant": "guild1x"}}
	require.NoError(t, WriteInfo(info))
	got, err := ReadInfo(info.Home)
	require.NoError(t, err)
	require.Equal(t, info, got)
}
