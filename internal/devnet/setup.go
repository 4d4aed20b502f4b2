package devnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
)

const (
	nativeDenom = "ugld"
	stableDenom = "uusdc"
	markerFile  = ".devnet-initialized"
)

// Initialized reports whether home holds a completely initialised devnet. A home whose setup was
// interrupted has no marker and is set up again from scratch.
func Initialized(home string) bool {
	_, err := os.Stat(filepath.Join(home, markerFile))
	return err == nil
}

// GenesisPatch edits the decoded app state of the devnet genesis before the chain first starts.
// Modules add patches to give the devnet its demo parameters.
type GenesisPatch func(appState map[string]json.RawMessage) error

// Init creates a fresh devnet home by running guildd's own commands (the binary at exe): init,
// demo keys from their fixed mnemonics, funded genesis accounts, the validator's gentx, and the
// collected genesis, then applies patches. Any earlier content of home is removed first.
func Init(ctx context.Context, exe string, cfg Config, log io.Writer, patches ...GenesisPatch) error {
	if err := cfg.ValidateBasic(); err != nil {
		return err
	}
	if err := os.RemoveAll(cfg.Home); err != nil {
		return fmt.Errorf("clear devnet home: %w", err)
	}
	run := func(stdin string, args ...string) error {
		args = append(args, "--home", cfg.Home)
		c := exec.CommandContext(ctx, exe, args...)
		c.Stdin = strings.NewReader(stdin)
		var out bytes.Buffer
		c.Stdout, c.Stderr = &out, &out
		if err := c.Run(); err != nil {
			return fmt.Errorf("guildd %s: %w\n%s", strings.Join(args, " "), err, out.String())
		}
		return nil
	}
	fmt.Fprintf(log, "setting up a new devnet in %s\n", cfg.Home)
	if err := run("", "init", "guild-dev", "--chain-id", cfg.ChainID, "--default-denom", nativeDenom); err != nil {
		return err
	}
	funds := fmt.Sprintf("%d%s,%d%s", GenesisNative, nativeDenom, GenesisStable, stableDenom)
	for _, name := range Accounts {
		args := []string{"keys", "add", name, "--recover", "--keyring-backend", "test"}
		if ed25519Keys[name] {
			args = append(args, "--algo", "ed25519")
		}
		if err := run(Mnemonic(name)+"\n", args...); err != nil {
			return err
		}
		if err := run("", "genesis", "add-genesis-account", name, funds, "--keyring-backend", "test"); err != nil {
			return err
		}
	}
	if err := run("", "genesis", "gentx", Validator, fmt.Sprintf("%d%s", SelfDelegate, nativeDenom),
		"--chain-id", cfg.ChainID, "--keyring-backend", "test"); err != nil {
		return err
	}
	if err := run("", "genesis", "collect-gentxs"); err != nil {
		return err
	}
	if err := PatchGenesis(cfg.Home, append([]GenesisPatch{basePatch}, patches...)...); err != nil {
		return err
	}
	if err := WriteNodeConfig(cfg); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(cfg.Home, markerFile), []byte(cfg.ChainID+"\n"), 0o644)
}

// PatchGenesis applies patches to the app state of home's genesis file.
func PatchGenesis(home string, patches ...GenesisPatch) error {
	path := filepath.Join(home, "config", "genesis.json")
	gen, err := genutiltypes.AppGenesisFromFile(path)
	if err != nil {
		return fmt.Errorf("read genesis: %w", err)
	}
	var state map[string]json.RawMessage
	if err := json.Unmarshal(gen.AppState, &state); err != nil {
		return fmt.Errorf("decode genesis app state: %w", err)
	}
	for _, p := range patches {
		if err := p(state); err != nil {
			return fmt.Errorf("patch genesis: %w", err)
		}
	}
	if gen.AppState, err = json.Marshal(state); err != nil {
		return err
	}
	return gen.SaveAs(path)
}

// basePatch gives governance devnet-friendly periods and registers both denoms' metadata.
func basePatch(state map[string]json.RawMessage) error {
	if err := editJSON(state, "gov", func(g map[string]any) {
		params, _ := g["params"].(map[string]any)
		params["voting_period"] = "20s"
		params["expedited_voting_period"] = "10s"
		params["max_deposit_period"] = "60s"
		params["min_deposit"] = []any{map[string]any{"denom": nativeDenom, "amount": "10000000"}}
		params["expedited_min_deposit"] = []any{map[string]any{"denom": nativeDenom, "amount": "50000000"}}
	}); err != nil {
		return err
	}
	return editJSON(state, "bank", func(b map[string]any) {
		b["denom_metadata"] = []any{
			denomMetadata(nativeDenom, "gld", "GLD", "Guild's native token"),
			denomMetadata(stableDenom, "usdc", "USDC", "devnet stablecoin (on public networks it arrives over IBC)"),
		}
	})
}

func denomMetadata(base, display, symbol, description string) map[string]any {
	return map[string]any{
		"description": description,
		"base":        base,
		"display":     display,
		"name":        symbol,
		"symbol":      symbol,
		"denom_units": []any{
			map[string]any{"denom": base, "exponent": 0},
			map[string]any{"denom": display, "exponent": 6},
		},
	}
}

// editJSON decodes one module's genesis into a generic map, lets edit change it, and stores it back.
func editJSON(state map[string]json.RawMessage, module string, edit func(map[string]any)) error {
	var m map[string]any
	if err := json.Unmarshal(state[module], &m); err != nil {
		return fmt.Errorf("decode %s genesis: %w", module, err)
	}
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	state[module] = b
	return nil
}

// WriteNodeConfig writes config.toml, app.toml and client.toml for cfg: loopback listeners,
// the block time, REST and gRPC on, zero minimum gas price, and a client that talks to this node
// with the test keyring and text output (people read it; scripts pass --output json). It runs on every start so flags take effect on resume.
func WriteNodeConfig(cfg Config) error {
	if err := cfg.ValidateBasic(); err != nil {
		return err
	}
	dir := filepath.Join(cfg.Home, "config")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cmt := cmtcfg.DefaultConfig()
	cmt.SetRoot(cfg.Home)
	cmt.Moniker = "guild-dev"
	cmt.Consensus.TimeoutCommit = cfg.BlockTime
	cmt.RPC.ListenAddress = "tcp://" + cfg.RPC
	cmt.P2P.ListenAddress = "tcp://" + cfg.P2P
	cmt.P2P.AllowDuplicateIP = true
	cmt.P2P.AddrBookStrict = false
	cmt.RPC.MaxSubscriptionClients = 200
	cmt.RPC.MaxSubscriptionsPerClient = 50
	cmt.Mempool.Size = 20000
	if cfg.Moniker != "" {
		cmt.Moniker = cfg.Moniker
	}
	if cfg.TuneCometBFT != nil {
		cfg.TuneCometBFT(cmt)
	}
	cmtcfg.WriteConfigFile(filepath.Join(dir, "config.toml"), cmt)

	app := serverconfig.DefaultConfig()
	app.MinGasPrices = "0" + nativeDenom
	// goleveldb returns nil for an empty value, which IAVL v1.2 reads as a missing empty root: a
	// chain with an empty module store (feegrant, nft) then fails to restart. Pebble does not.
	app.AppDBBackend = "pebbledb"
	app.API.Enable = true
	app.API.Address = "tcp://" + cfg.API
	app.API.EnableUnsafeCORS = cfg.CORS
	app.API.Swagger = true // the OpenAPI document and a Swagger UI at /swagger/
	app.GRPC.Enable = true
	app.GRPC.Address = cfg.GRPC
	app.Telemetry.Enabled = false
	if cfg.TuneApp != nil {
		cfg.TuneApp(app)
	}
	serverconfig.WriteConfigFile(filepath.Join(dir, "app.toml"), app)

	client := fmt.Sprintf(`# guildd client configuration, written by guildd dev
chain-id = %q
keyring-backend = "test"
keyring-default-keyname = ""
output = "text"
node = "tcp://%s"
broadcast-mode = "sync"
`, cfg.ChainID, cfg.RPC)
	return os.WriteFile(filepath.Join(dir, "client.toml"), []byte(client), 0o644)
}

// ParamsFilePatch reads a JSON object {module: {param: value}} and returns a patch that sets
// those parameters in the genesis, leaving the others at their defaults.
func ParamsFilePatch(path string) (GenesisPatch, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("genesis params: %w", err)
	}
	var overrides map[string]map[string]any
	if err := json.Unmarshal(bz, &overrides); err != nil {
		return nil, fmt.Errorf("genesis params %s: %w", path, err)
	}
	return func(state map[string]json.RawMessage) error {
		modules := make([]string, 0, len(overrides))
		for m := range overrides {
			modules = append(modules, m)
		}
		sort.Strings(modules)
		for _, module := range modules {
			if _, ok := state[module]; !ok {
				return fmt.Errorf("genesis params: no module %q", module)
			}
			if err := editJSON(state, module, func(g map[string]any) {
				params, _ := g["params"].(map[string]any)
				if params == nil {
					params = map[string]any{}
				}
				for k, v := range overrides[module] {
					params[k] = v
				}
				g["params"] = params
			}); err != nil {
				return err
			}
		}
		return nil
	}, nil
}
