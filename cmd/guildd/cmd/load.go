package cmd

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/devnet"
	"github.com/guild-network/guild/internal/loadgen"
)

func init() { extraCommands = append(extraCommands, NewLoadCmd) }

const (
	flagLoadRPC       = "rpc"
	flagLoadChainID   = "chain-id"
	flagLoadSenders   = "senders"
	flagLoadMix       = "mix"
	flagLoadDuration  = "duration"
	flagLoadTxs       = "txs"
	flagLoadInFlight  = "in-flight"
	flagLoadLeases    = "leases-per-sender"
	flagLoadUnits     = "offer-units"
	flagLoadGas       = "gas"
	flagLoadTimeout   = "tx-timeout"
	flagLoadDrain     = "drain"
	flagLoadSeed      = "seed"
	flagLoadHashes    = "hashes"
	flagLoadJSON      = "json"
	flagLoadFunder    = "funder"
	flagLoadProvider  = "provider"
	flagLoadNode      = "node"
	flagLoadNoMarketC = "no-market-check"
)

// NewLoadCmd returns `guildd load`: many senders at once against a running network.
func NewLoadCmd() *cobra.Command {
	def := loadgen.DefaultConfig()
	cmd := &cobra.Command{
		Use:   "load",
		Short: "drive a network with many offline-signed senders and print committed tx/s and latency",
		Long: `load funds --senders accounts from --funder (a few multi-send transactions), and for a mix
with market transactions deposits escrow for each, adds an offer on the provider's node and books
and deploys --leases-per-sender leases per sender for the claims. Then every sender signs offline
(explicit account number and sequence, counted locally) and broadcasts with broadcast_tx_sync to
one of the --rpc nodes, keeping --in-flight transactions outstanding, until --duration ends or
--txs were sent. Inclusion is found by scanning every committed block.

It prints committed tx/s, submit→block latency percentiles, refusals and failures by reason and
block/mempool figures; --json writes the same as JSON, --hashes the committed hashes with their
heights (check them with 'guildd load verify'). Defaults read dev.json in --home: run it against
'guildd dev --without agent' (the demo agent would deploy the load's bookings itself).`,
		Example: `  guildd load --txs 200
  guildd load --mix bank --senders 64 --duration 20s --json out.json
  guildd load --rpc 127.0.0.1:26657,127.0.0.1:26757 --chain-id guild-local --home ~/.guild-localnet/node0`,
		Args: cobra.NoArgs,
		RunE: runLoad,
		// The root's pre-run loads the node's config into flags of the same name (its [rpc]
		// section would overwrite --rpc); load reads only its own flags and dev.json.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
	}
	f := cmd.Flags()
	f.String(flags.FlagHome, devHome(), "home with the keyring of the funder, provider and node keys (and dev.json for the defaults)")
	f.StringSlice(flagLoadRPC, nil, "cometbft rpc addresses to spread senders over (default: dev.json's)")
	f.String(flagLoadChainID, "", "chain id (default: dev.json's)")
	f.Int(flagLoadSenders, def.Senders, "sender accounts, each signing its own transactions")
	f.String(flagLoadMix, def.Mix.String(), "transactions per sender cycle: bank, book, claim with weights")
	f.Duration(flagLoadDuration, def.Duration, "stop sending after this long (0: only --txs)")
	f.Int(flagLoadTxs, 0, "stop after broadcasting this many transactions (0: only --duration)")
	f.Int(flagLoadInFlight, def.InFlight, "per sender, transactions broadcast and not yet in a block")
	f.Int(flagLoadLeases, def.LeasesPerSender, "deployed leases per sender that its claims cycle over")
	f.Int(flagLoadUnits, def.OfferUnits, "units of the load offer (one millicpu each, one per booking)")
	f.Uint64(flagLoadGas, def.Gas, "gas limit of every load transaction")
	f.Duration(flagLoadTimeout, def.TxTimeout, "a transaction not in a block after this long is given up by its sender")
	f.Duration(flagLoadDrain, def.Drain, "after sending stops, wait up to this long for the last transactions")
	f.String(flagLoadSeed, def.Seed, "sender keys derive from it; the same seed reuses the same funded accounts")
	f.String(flagLoadHashes, "", "write committed transactions (height hash kind) to this file")
	f.String(flagLoadJSON, "", `write the summary as JSON to this file ("-" for stdout, then the text goes to stderr)`)
	f.String(flagLoadFunder, def.Funder, "key that funds the senders")
	f.String(flagLoadProvider, def.Provider, "provider key whose node gets the load offer")
	f.String(flagLoadNode, def.Node, "key of that node's account (reports deployments)")
	cmd.AddCommand(newLoadVerifyCmd())
	return cmd
}

// loadNetwork resolves --home, --rpc and --chain-id, falling back to dev.json.
func loadNetwork(cmd *cobra.Command) (home string, rpcs []string, chainID string, err error) {
	home, _ = cmd.Flags().GetString(flags.FlagHome)
	rpcs, _ = cmd.Flags().GetStringSlice(flagLoadRPC)
	chainID, _ = cmd.Flags().GetString(flagLoadChainID)
	if len(rpcs) == 0 || chainID == "" {
		info, ierr := devnet.ReadInfo(home)
		if ierr != nil {
			return "", nil, "", fmt.Errorf("no --rpc/--chain-id and no devnet in %s: %w", home, ierr)
		}
		if len(rpcs) == 0 {
			rpcs = []string{info.RPC}
		}
		if chainID == "" {
			chainID = info.ChainID
		}
	}
	return home, rpcs, chainID, nil
}

func runLoad(cmd *cobra.Command, _ []string) error {
	home, rpcs, chainID, err := loadNetwork(cmd)
	if err != nil {
		return err
	}
	cfg := loadgen.DefaultConfig()
	cfg.RPCs, cfg.ChainID, cfg.KeyringDir = rpcs, chainID, home
	f := cmd.Flags()
	mix, _ := f.GetString(flagLoadMix)
	if cfg.Mix, err = loadgen.ParseMix(mix); err != nil {
		return err
	}
	cfg.Senders, _ = f.GetInt(flagLoadSenders)
	cfg.Duration, _ = f.GetDuration(flagLoadDuration)
	cfg.Txs, _ = f.GetInt(flagLoadTxs)
	if f.Changed(flagLoadTxs) && !f.Changed(flagLoadDuration) {
		cfg.Duration = 0 // --txs alone bounds the run
	}
	cfg.InFlight, _ = f.GetInt(flagLoadInFlight)
	cfg.LeasesPerSender, _ = f.GetInt(flagLoadLeases)
	cfg.OfferUnits, _ = f.GetInt(flagLoadUnits)
	cfg.Gas, _ = f.GetUint64(flagLoadGas)
	cfg.TxTimeout, _ = f.GetDuration(flagLoadTimeout)
	cfg.Drain, _ = f.GetDuration(flagLoadDrain)
	cfg.Seed, _ = f.GetString(flagLoadSeed)
	cfg.HashesFile, _ = f.GetString(flagLoadHashes)
	cfg.Funder, _ = f.GetString(flagLoadFunder)
	cfg.Provider, _ = f.GetString(flagLoadProvider)
	cfg.Node, _ = f.GetString(flagLoadNode)
	jsonOut, _ := f.GetString(flagLoadJSON)
	out := cmd.OutOrStdout()
	if jsonOut == "-" {
		out = cmd.ErrOrStderr()
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g, err := loadgen.New(cfg, out)
	if err != nil {
		return err
	}
	if err := g.Start(ctx); err != nil {
		return err
	}
	defer g.Close()
	if err := g.Setup(ctx); err != nil {
		return err
	}
	fmt.Fprintf(out, "load: %d senders, mix %s, over %s\n", cfg.Senders, cfg.Mix, strings.Join(cfg.RPCs, ","))
	sum, err := g.Run(ctx)
	sum.Print(out)
	if jsonOut != "" {
		bz, jerr := sum.JSON()
		if jerr != nil {
			return jerr
		}
		if jsonOut == "-" {
			fmt.Fprintln(cmd.OutOrStdout(), string(bz))
		} else if werr := os.WriteFile(jsonOut, append(bz, '\n'), 0o644); werr != nil {
			return werr
		}
	}
	return err
}

func newLoadVerifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify HASHES_FILE",
		Short: "check that every transaction a load run reported committed is in a block at its height, and x/market's invariants through queries",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			home, rpcs, chainID, err := loadNetwork(cmd)
			if err != nil {
				return err
			}
			cs, err := loadgen.ReadHashes(args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, rpc := range rpcs {
				c, err := chainclient.New(chainclient.Config{RPC: rpc, ChainID: chainID, KeyringDir: home})
				if err != nil {
					return err
				}
				ctx := context.Background()
				n, err := loadgen.VerifyHashes(ctx, c.Context(), cs)
				if err != nil {
					return fmt.Errorf("%s: %w", rpc, err)
				}
				fmt.Fprintf(out, "%s: %d committed transactions found at their heights\n", rpc, n)
				if skip, _ := cmd.Flags().GetBool(flagLoadNoMarketC); skip {
					continue
				}
				h, err := c.Height(ctx)
				if err != nil {
					return err
				}
				mc, err := loadgen.CheckMarket(ctx, c.Context(), h)
				if err != nil {
					return fmt.Errorf("%s: %w", rpc, err)
				}
				fmt.Fprintf(out, "%s: market invariants hold at height %d (%d escrow accounts, %d live leases, escrow %v)\n", rpc, h, mc.Accounts, mc.LiveLeases, mc.Escrow)
			}
			return nil
		},
	}
	cmd.Flags().String(flags.FlagHome, devHome(), "home with dev.json for the defaults")
	cmd.Flags().StringSlice(flagLoadRPC, nil, "cometbft rpc addresses to check, each in turn (default: dev.json's)")
	cmd.Flags().String(flagLoadChainID, "", "chain id (default: dev.json's)")
	cmd.Flags().Bool(flagLoadNoMarketC, false, "only look the hashes up")
	return cmd
}
