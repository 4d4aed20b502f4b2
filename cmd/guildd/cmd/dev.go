package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/internal/devnet"
)

const (
	flagReset     = "reset"
	flagBlockTime = "block-time"
	flagRPCAddr   = "rpc-addr"
	flagP2PAddr   = "p2p-addr"
	flagGRPCAddr  = "grpc-addr"
	flagAPIAddr   = "api-addr"
	flagChainID   = "chain-id"
	flagNodeLog   = "node-log-level"
	flagParams    = "genesis-params"
	flagWithout   = "without"
	flagCORS      = "cors"
)

// DevService is a daemon that `guildd dev` runs beside its node once the chain is live (the
// provider agent, the ADO, the pool server, the dashboard…). Start returns once the service is
// listening, with the address to print; the service stops when ctx is cancelled and done closes.
type DevService struct {
	Name  string
	Start func(ctx context.Context, env DevEnv) (addr string, done <-chan struct{}, err error)
}

// DevEnv is what a dev service needs to find the chain and the demo keys.
type DevEnv struct {
	Exe   string
	Info  devnet.Info
	Log   io.Writer
	Flags *pflag.FlagSet // the dev command's flags, including those added through devFlags
	// Prefix names the command running the services in its log lines: "guildd dev" (the
	// default, when empty) or "guildd localnet".
	Prefix string
}

// Logf writes one line of the services' log, under the command's prefix.
func (e DevEnv) Logf(format string, args ...any) {
	fmt.Fprintf(e.Log, e.logPrefix()+format, args...)
}

// LogWriter is Log with the prefix put before each write, for helpers that log whole lines to
// an io.Writer.
func (e DevEnv) LogWriter() io.Writer { return prefixWriter{w: e.Log, prefix: e.logPrefix()} }

func (e DevEnv) logPrefix() string {
	if e.Prefix == "" {
		return "guildd dev: "
	}
	return e.Prefix + ": "
}

type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, p.prefix); err != nil {
		return 0, err
	}
	return p.w.Write(b)
}

// devServices and devGenesisPatches are filled by the files that add services and modules.
var (
	devServices       []DevService
	devGenesisPatches []devnet.GenesisPatch
	devAfterLive      []func(ctx context.Context, env DevEnv) error
	devFlags          []func(*pflag.FlagSet) // flags of dev services, e.g. --agent-addr
)

// NewDevCmd returns `guildd dev`, the embedded default: a one-validator local network.
func NewDevCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "run a local single-validator guild network with funded demo accounts and every service",
		Long: `run a local single-validator guild network.

The first run creates a home (default ~/.guild-dev) with a genesis that funds the demo accounts
(validator, provider, tenant, investor, lender, farmer, farmer-bot, pool) with ugld and uusdc; later runs
resume the same chain; --reset starts over. Every listener is on 127.0.0.1. Ctrl-C stops cleanly.`,
		Args: cobra.NoArgs,
		// dev sets up its own home; skip the root's config interception, which would write a
		// default configuration into the node home.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE:              runDev,
	}
	def := devnet.DefaultConfig("")
	cmd.Flags().Bool(flagReset, false, "delete the devnet home and start a new chain")
	cmd.Flags().Duration(flagBlockTime, def.BlockTime, "target time between blocks")
	cmd.Flags().String(flagRPCAddr, def.RPC, "cometbft rpc listen address")
	cmd.Flags().String(flagP2PAddr, def.P2P, "cometbft p2p listen address")
	cmd.Flags().String(flagGRPCAddr, def.GRPC, "grpc listen address")
	cmd.Flags().String(flagAPIAddr, def.API, "rest listen address")
	cmd.Flags().String(flagChainID, def.ChainID, "chain id of a new devnet")
	cmd.Flags().String(flagNodeLog, "warn", "log level of the node (debug, info, warn, error)")
	cmd.Flags().StringSlice(flagWithout, nil, "services not to start, e.g. --without agent")
	cmd.Flags().String(flagParams, "", `json file of module parameters for a new devnet, e.g. {"market":{"grace_period":"60"}}`)
	cmd.Flags().Bool(flagCORS, false, "let web pages on any origin call the rest api (for a dapp served elsewhere)")
	cmd.Flags().String(flags.FlagHome, devHome(), "devnet home: node data, test keyring, client config, service data and logs")
	for _, add := range devFlags {
		add(cmd.Flags())
	}
	return cmd
}

// devHome is the default devnet home, ~/.guild-dev.
func devHome() string { return filepath.Join(filepath.Dir(DefaultNodeHome), ".guild-dev") }

func devConfig(cmd *cobra.Command) (devnet.Config, error) {
	home, _ := cmd.Flags().GetString(flags.FlagHome)
	abs, err := filepath.Abs(home)
	if err != nil {
		return devnet.Config{}, err
	}
	cfg := devnet.DefaultConfig(abs)
	f := cmd.Flags()
	cfg.BlockTime, _ = f.GetDuration(flagBlockTime)
	cfg.RPC, _ = f.GetString(flagRPCAddr)
	cfg.P2P, _ = f.GetString(flagP2PAddr)
	cfg.GRPC, _ = f.GetString(flagGRPCAddr)
	cfg.API, _ = f.GetString(flagAPIAddr)
	cfg.ChainID, _ = f.GetString(flagChainID)
	cfg.CORS, _ = f.GetBool(flagCORS)
	return cfg, cfg.ValidateBasic()
}

func runDev(cmd *cobra.Command, _ []string) error {
	cfg, err := devConfig(cmd)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate guildd binary: %w", err)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	reset, _ := cmd.Flags().GetBool(flagReset)
	if reset || !devnet.Initialized(cfg.Home) {
		patches := devGenesisPatches
		if file, _ := cmd.Flags().GetString(flagParams); file != "" {
			patch, err := devnet.ParamsFilePatch(file)
			if err != nil {
				return err
			}
			patches = append(patches, patch)
		}
		if err := devnet.Init(ctx, exe, cfg, out, patches...); err != nil {
			return err
		}
	} else {
		if err := devnet.WriteNodeConfig(cfg); err != nil {
			return err
		}
		fmt.Fprintf(out, "resuming the devnet in %s\n", cfg.Home)
	}
	info, err := devInfo(cmd, cfg)
	if err != nil {
		return err
	}
	if err := devnet.WriteInfo(info); err != nil {
		return err
	}
	printBanner(out, info, displayPath(exe))

	var wg sync.WaitGroup
	svcCtx, cancelSvcs := context.WithCancel(ctx)
	defer func() { cancelSvcs(); wg.Wait() }()
	without, _ := cmd.Flags().GetStringSlice(flagWithout)
	wg.Add(1)
	go func() {
		defer wg.Done()
		runDevServices(svcCtx, DevEnv{Exe: exe, Info: info, Log: out, Flags: cmd.Flags()}, without)
	}()

	nodeLog, _ := cmd.Flags().GetString(flagNodeLog)
	node := NewRootCmd()
	node.SetOut(quietShutdown(ctx, cmd.OutOrStdout()))
	node.SetErr(quietShutdown(ctx, cmd.ErrOrStderr()))
	node.SetArgs([]string{"start", "--home", cfg.Home, "--log_level", nodeLog})
	err = svrcmd.Execute(node, "GUILDD", cfg.Home)
	fmt.Fprintln(out, "guildd dev: node stopped")
	return err
}

// runDevServices waits for a block committed by this run, announces it, and starts each
// service. On a resumed chain the node first serves its stored height while its check state is
// still at height 0 (signatures then fail with account number 0), so "live" means a block above
// the first height the node reports.
func runDevServices(ctx context.Context, env DevEnv, without []string) {
	height, err := waitForNewBlock(ctx, env.Info.RPC)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			env.Logf("waiting for the first block: %v\n", err)
		}
		return
	}
	env.Logf("block %d committed, the chain is live (Ctrl-C to stop)\n", height)
	for _, f := range devAfterLive {
		if err := f(ctx, env); err != nil {
			env.Logf("demo setup: %v\n", err)
		}
	}
	var dones []<-chan struct{}
	for _, s := range devServices {
		if slices.Contains(without, s.Name) {
			env.Logf("%s not started (--without)\n", s.Name)
			continue
		}
		addr, done, err := s.Start(ctx, env)
		if err != nil {
			env.Logf("%s failed to start: %v\n", s.Name, err)
			continue
		}
		env.Logf("%s listening on %s\n", s.Name, addr)
		dones = append(dones, done)
	}
	<-ctx.Done()
	for _, d := range dones {
		<-d
	}
}

// waitForNewBlock waits until the node answers, then until it commits a block above the height
// of its first answer.
func waitForNewBlock(ctx context.Context, rpc string) (int64, error) {
	start, err := waitForBlock(ctx, rpc, 0)
	if err != nil {
		return 0, err
	}
	return waitForBlock(ctx, rpc, start+1)
}

// waitForBlock polls CometBFT's /status until the latest height reaches min.
func waitForBlock(ctx context.Context, rpc string, min int64) (int64, error) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		if h, err := latestHeight(ctx, rpc); err == nil && h >= min {
			return h, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-t.C:
		}
	}
}

func latestHeight(ctx context.Context, rpc string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+rpc+"/status", nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var st struct {
		Result struct {
			SyncInfo struct {
				LatestBlockHeight string `json:"latest_block_height"`
			} `json:"sync_info"`
		} `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return 0, err
	}
	return strconv.ParseInt(st.Result.SyncInfo.LatestBlockHeight, 10, 64)
}

// devInfo reads the demo accounts' addresses from the devnet's test keyring.
func devInfo(cmd *cobra.Command, cfg devnet.Config) (devnet.Info, error) {
	kr, err := keyring.New("guild", keyring.BackendTest, cfg.Home, cmd.InOrStdin(), app.MakeEncodingConfig().Codec)
	if err != nil {
		return devnet.Info{}, fmt.Errorf("open devnet keyring: %w", err)
	}
	info := devnet.Info{
		ChainID: cfg.ChainID, Home: cfg.Home, RPC: cfg.RPC, GRPC: cfg.GRPC, API: cfg.API,
		Accounts: map[string]string{},
	}
	if gen, err := os.ReadFile(filepath.Join(cfg.Home, "config", "genesis.json")); err == nil {
		var g struct {
			ChainID string `json:"chain_id"`
		}
		if json.Unmarshal(gen, &g) == nil && g.ChainID != "" {
			info.ChainID = g.ChainID
		}
	}
	for _, name := range devnet.Accounts {
		rec, err := kr.Key(name)
		if err != nil {
			return info, fmt.Errorf("demo key %s: %w", name, err)
		}
		addr, err := rec.GetAddress()
		if err != nil {
			return info, err
		}
		info.Accounts[name] = addr.String()
	}
	return info, nil
}

func printBanner(w io.Writer, info devnet.Info, exe string) {
	fmt.Fprintf(w, "\nguild devnet %s (home %s)\n", info.ChainID, info.Home)
	fmt.Fprintf(w, "  rpc   http://%s\n  grpc  %s\n  rest  http://%s\n", info.RPC, info.GRPC, info.API)
	fmt.Fprintln(w, "  demo accounts (keyring-backend test):")
	names := make([]string, 0, len(info.Accounts))
	for n := range info.Accounts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "    %-10s %s\n", n, info.Accounts[n])
	}
	fmt.Fprintf(w, "  try: %s query bank balances %s --home %s\n\n", exe, info.Accounts[devnet.Tenant], info.Home)
}
