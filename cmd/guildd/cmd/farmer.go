package cmd

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/daemon/farmer"
	"github.com/guild-network/guild/internal/daemonkit"
)

func init() { extraCommands = append(extraCommands, NewFarmerCmd) }

// Flag names of `guildd farmer`.
const (
	flagFarmerConfig     = "config"
	flagFarmerRPC        = "rpc"
	flagFarmerChainID    = "chain-id"
	flagFarmerKeyringDir = "keyring-dir"
	flagFarmerBackend    = "keyring-backend"
	flagFarmerSubmitter  = "submitter"
	flagFarmerPlotKeys   = "plot-keys"
	flagFarmerPlotDirs   = "plot-dirs"
	flagFarmerReward     = "reward-address"
	flagFarmerContracts  = "pool-contracts"
	flagFarmerDataDir    = "data-dir"
	flagFarmerListen     = "listen"
	flagFarmerLogFormat  = "log-format"
	flagFarmerLogLevel   = "log-level"
	flagFarmerJSON       = "json"
	flagFarmerForce      = "force"
)

// NewFarmerCmd returns `guildd farmer`: the farming daemon and its status.
func NewFarmerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "farmer",
		Short:             "farm proofs of space: follow signage points, submit winning proofs, show status",
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
	}
	cmd.AddCommand(newFarmerRunCmd(), newFarmerStatusCmd(), newFarmerInitConfigCmd())
	return cmd
}

func farmerFlags(cmd *cobra.Command) {
	farmerPoolFlags(cmd)
	f := cmd.Flags()
	f.String(flagFarmerConfig, "", "toml configuration file (see 'guildd farmer init-config')")
	f.String(flagFarmerRPC, "", "cometbft rpc address of the chain")
	f.String(flagFarmerChainID, "", "chain id")
	f.String(flagFarmerKeyringDir, "", "keyring directory")
	f.String(flagFarmerBackend, "", "keyring backend: test or file")
	f.String(flagFarmerSubmitter, "", "name of the key that sends proof transactions")
	f.StringSlice(flagFarmerPlotKeys, nil, "names of the ed25519 plot keys")
	f.StringSlice(flagFarmerPlotDirs, nil, "plot directories")
	f.String(flagFarmerReward, "", "address that receives the farmer's share")
	f.UintSlice(flagFarmerContracts, nil, "pool contract ids the plots are bound to")
	f.String(flagFarmerDataDir, "", "data directory (cursor)")
	f.String(flagFarmerListen, "", "health and metrics listen address (empty: off)")
	f.String(flagFarmerLogFormat, "", "log format: json or text")
	f.String(flagFarmerLogLevel, "", "log level: debug, info, warn or error")
}

// farmerConfig is the defaults, then the --config file, then the flags that were given.
func farmerConfig(cmd *cobra.Command) (farmer.Config, error) {
	cfg := farmer.DefaultConfig(DefaultNodeHome)
	f := cmd.Flags()
	if path, _ := f.GetString(flagFarmerConfig); path != "" {
		var err error
		if cfg, err = daemonkit.LoadTOML(path, cfg); err != nil {
			return cfg, err
		}
	}
	str := func(name string, dst *string) {
		if f.Changed(name) {
			*dst, _ = f.GetString(name)
		}
	}
	str(flagFarmerRPC, &cfg.Chain.RPC)
	str(flagFarmerChainID, &cfg.Chain.ChainID)
	str(flagFarmerKeyringDir, &cfg.Chain.KeyringDir)
	str(flagFarmerBackend, &cfg.Chain.KeyringBackend)
	str(flagFarmerSubmitter, &cfg.Chain.Submitter)
	str(flagFarmerReward, &cfg.Farming.RewardAddress)
	str(flagFarmerDataDir, &cfg.Farming.DataDir)
	str(flagFarmerListen, &cfg.Server.Listen)
	str(flagFarmerLogFormat, &cfg.Log.Format)
	str(flagFarmerLogLevel, &cfg.Log.Level)
	str(flagFarmerPoolURL, &cfg.Pool.URL)
	str(flagFarmerPoolOwner, &cfg.Pool.OwnerKey)
	str(flagFarmerPoolAuth, &cfg.Pool.AuthKey)
	str(flagFarmerPoolPayout, &cfg.Pool.PayoutAddress)
	if f.Changed(flagFarmerPlotKeys) {
		cfg.Chain.PlotKeys, _ = f.GetStringSlice(flagFarmerPlotKeys)
	}
	if f.Changed(flagFarmerPlotDirs) {
		cfg.Farming.PlotDirs, _ = f.GetStringSlice(flagFarmerPlotDirs)
	}
	if f.Changed(flagFarmerContracts) {
		ids, _ := f.GetUintSlice(flagFarmerContracts)
		cfg.Farming.PoolContracts = nil
		for _, id := range ids {
			cfg.Farming.PoolContracts = append(cfg.Farming.PoolContracts, uint64(id))
		}
	}
	return cfg, cfg.ValidateBasic()
}

func newFarmerRunCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: "farm until interrupted (SIGINT or SIGTERM stop it cleanly)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := farmerConfig(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			chain, err := farmer.NewRPCChain(cfg.Chain)
			if err != nil {
				return err
			}
			pc, err := farmerPool(cmd, cfg, chain)
			if err != nil {
				return err
			}
			f, err := farmer.New(cfg, chain, farmerOptionsWithPool(farmer.Options{Log: daemonkit.NewLogger(cmd.ErrOrStderr(), cfg.Log)}, pc))
			if err != nil {
				return err
			}
			return runFarmerWithPool(ctx, f, pc)
		},
	}
	farmerFlags(cmd)
	return cmd
}

func newFarmerStatusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "show plots, space, recent wins and the estimated time to win",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := farmerConfig(cmd)
			if err != nil {
				return err
			}
			chain, err := farmer.NewRPCChain(cfg.Chain)
			if err != nil {
				return err
			}
			h, skipped, err := farmer.OpenHarvester(cfg.Farming.PlotDirs, cfg.Farming.PoolContracts)
			if err != nil {
				return err
			}
			defer h.Close()
			st, err := farmer.ComputeStatus(cmd.Context(), chain, h, cfg.Farming.RewardAddress)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON, _ := cmd.Flags().GetBool(flagFarmerJSON); asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(st)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "plots\t%d (%d bytes)\n", len(st.Plots), st.SpaceBytes)
			for _, p := range st.Plots {
				fmt.Fprintf(tw, "  k=%d\tpool contract %d\t%s\n", p.K, p.PoolContractID, p.Path)
			}
			for _, s := range skipped {
				fmt.Fprintf(tw, "  skipped\t%s\n", s)
			}
			fmt.Fprintf(tw, "difficulty\t%d\n", st.Difficulty)
			fmt.Fprintf(tw, "latest signage point\t%d\n", st.LatestSP)
			fmt.Fprintf(tw, "signage points per win\t%s (block %ss)\n", st.ExpectedSPsPerWin, st.BlockSeconds)
			fmt.Fprintf(tw, "estimated time to win\t%s\n", st.EstimatedTimeToWin)
			fmt.Fprintf(tw, "recent wins\t%d\n", len(st.RecentWins))
			for _, w := range st.RecentWins {
				fmt.Fprintf(tw, "  sp %d\tpool contract %d\t%s\tawarded=%v\n", w.SPHeight, w.PoolContractID, w.Reward, w.Awarded)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			pc, err := farmerPool(cmd, cfg, chain)
			if err != nil {
				return err
			}
			return printFarmerPoolStatus(cmd.Context(), out, pc)
		},
	}
	farmerFlags(cmd)
	cmd.Flags().Bool(flagFarmerJSON, false, "print json")
	return cmd
}

func newFarmerInitConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init-config [file]",
		Short: "write a documented default farmer configuration (default: <home>/config/farmer.toml)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := filepath.Join(DefaultNodeHome, "config", "farmer.toml")
			if len(args) == 1 {
				path = args[0]
			}
			if force, _ := cmd.Flags().GetBool(flagFarmerForce); !force {
				if _, err := os.Stat(path); err == nil {
					return fmt.Errorf("%s exists (use --%s)", path, flagFarmerForce)
				}
			}
			bz, err := daemonkit.EncodeTOML("guildd farmer configuration", farmer.DefaultConfig(DefaultNodeHome))
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, bz, 0o644); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), strings.TrimSpace(path))
			return nil
		},
	}
	cmd.Flags().Bool(flagFarmerForce, false, "overwrite an existing file")
	return cmd
}
