package cmd

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/daemon/pool"
	poolchain "github.com/guild-network/guild/daemon/pool/chain"
	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/daemonkit"
)

func init() { extraCommands = append(extraCommands, NewPoolCmd) }

// Flag names of `guildd pool`.
const (
	flagPoolConfig = "config"
	flagPoolHome   = "pool-home"
	flagPoolForce  = "force"
)

// NewPoolCmd returns `guildd pool`: the farming pool server.
func NewPoolCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "pool",
		Short:             "farming pool server (chia pool protocol v1 on guild)",
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
	}
	cmd.AddCommand(newPoolServeCmd(), newPoolInitConfigCmd())
	for _, sub := range poolSubcommands {
		cmd.AddCommand(sub())
	}
	return cmd
}

// poolSubcommands are more `guildd pool` commands, registered from their own files.
var poolSubcommands []func() *cobra.Command

func defaultPoolHome() string { return filepath.Join(DefaultNodeHome, "pool") }

func newPoolServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "serve the pool protocol, absorb members' rewards and pay them, until interrupted",
		Long: `serve the pool protocol, absorb members' rewards and pay them, until interrupted (SIGINT or
SIGTERM stop it cleanly: requests in flight finish and their partials are committed).

The configuration comes from --config (see 'guildd pool init-config').`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, _ := cmd.Flags().GetString(flagPoolHome)
			path, _ := cmd.Flags().GetString(flagPoolConfig)
			if path == "" {
				path = filepath.Join(home, "pool.toml")
			}
			cfg, err := daemonkit.LoadTOML(path, pool.DefaultConfig(home))
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			log := daemonkit.NewLogger(cmd.ErrOrStderr(), cfg.Log)
			cc, err := chainclient.New(chainclient.Config{RPC: cfg.Chain.RPC, ChainID: cfg.Chain.ChainID,
				KeyringDir: cfg.Chain.KeyringDir, KeyringBackend: cfg.Chain.KeyringBackend})
			if err != nil {
				return err
			}
			chain, err := poolchain.New(cc, cfg.Chain.Key, cfg.Chain.Fees)
			if err != nil {
				return err
			}
			if cfg.Pool.Address == "" {
				cfg.Pool.Address = chain.Address()
			} else if cfg.Pool.Address != chain.Address() {
				return fmt.Errorf("%w: [pool] address %s is not the address of key %q (%s), which pays", pool.ErrConfig,
					cfg.Pool.Address, cfg.Chain.Key, chain.Address())
			}
			srv, err := pool.New(ctx, cfg, pool.Options{Chain: chain, Logger: log})
			if err != nil {
				return err
			}
			defer srv.Close()
			return srv.Run(ctx)
		},
	}
	cmd.Flags().String(flagPoolConfig, "", "toml configuration file (default <pool-home>/pool.toml)")
	cmd.Flags().String(flagPoolHome, defaultPoolHome(), "directory of the pool's configuration and database")
	return cmd
}

func newPoolInitConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init-config",
		Short: "write a commented default configuration to <pool-home>/pool.toml",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home, _ := cmd.Flags().GetString(flagPoolHome)
			force, _ := cmd.Flags().GetBool(flagPoolForce)
			path := filepath.Join(home, "pool.toml")
			if _, err := os.Stat(path); err == nil && !force {
				return fmt.Errorf("%s exists (use --%s to overwrite)", path, flagPoolForce)
			}
			raw, err := pool.DefaultConfig(home).Marshal()
			if err != nil {
				return err
			}
			if err := os.MkdirAll(home, 0o700); err != nil {
				return err
			}
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), path)
			return nil
		},
	}
	cmd.Flags().String(flagPoolHome, defaultPoolHome(), "directory of the pool's configuration and database")
	cmd.Flags().Bool(flagPoolForce, false, "overwrite an existing file")
	return cmd
}
