package cmd

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/daemon/agent"
	"github.com/guild-network/guild/daemon/agent/driver/process"
)

func init() { extraCommands = append(extraCommands, NewAgentCmd) }

// Flag names of `guildd agent`.
const (
	flagAgentConfig     = "config"
	flagAgentRPC        = "rpc"
	flagAgentChainID    = "chain-id"
	flagAgentNodeID     = "node-id"
	flagAgentKey        = "key"
	flagAgentKeyringDir = "keyring-dir"
	flagAgentBackend    = "keyring-backend"
	flagAgentGranter    = "fee-granter"
	flagAgentDataDir    = "data-dir"
	flagAgentListen     = "listen"
	flagAgentLogFormat  = "log-format"
	flagAgentLogLevel   = "log-level"
	flagAgentForce      = "force"
)

// NewAgentCmd returns `guildd agent`: the provider node agent.
func NewAgentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agent",
		Short: "provider node agent: deploys the node's leases, reports them, heartbeats and claims",
		// The agent has its own configuration; skip the root's node-config interception.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
	}
	cmd.AddCommand(newAgentRunCmd(), newAgentInitConfigCmd(), newAgentExecCmd())
	return cmd
}

func defaultAgentHome() string { return DefaultNodeHome }

func newAgentRunCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: "run the agent for one node until interrupted",
		Long: `run the agent for one node until interrupted (SIGINT or SIGTERM stop it cleanly).

The configuration comes from --config (see 'guildd agent init-config'), then the flags given.
Workloads keep running when the agent stops (unless [drivers.process] stop_on_exit is set); the
next run adopts them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := agentConfig(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			log := agent.NewLogger(cmd.ErrOrStderr(), cfg.Log)
			a, err := agent.New(ctx, cfg, log)
			if err != nil {
				return err
			}
			return a.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.String(flagAgentConfig, "", "toml configuration file")
	f.String(flagAgentRPC, "", "cometbft rpc address of the chain")
	f.String(flagAgentChainID, "", "chain id")
	f.Uint64(flagAgentNodeID, 0, "node id (0: find the fee granter's node whose account is the key's)")
	f.String(flagAgentKey, "", "name of the node's ed25519 key in the keyring")
	f.String(flagAgentKeyringDir, "", "keyring directory")
	f.String(flagAgentBackend, "", "keyring backend: test or file")
	f.String(flagAgentGranter, "", "fee granter address (the provider)")
	f.String(flagAgentDataDir, "", "data directory")
	f.String(flagAgentListen, "", "health and metrics listen address")
	f.String(flagAgentLogFormat, "", "log format: json or text")
	f.String(flagAgentLogLevel, "", "log level: debug, info, warn or error")
	return cmd
}

// agentConfig is the defaults, then the --config file, then the flags that were given.
func agentConfig(cmd *cobra.Command) (agent.Config, error) {
	cfg := agent.DefaultConfig(defaultAgentHome())
	f := cmd.Flags()
	if path, _ := f.GetString(flagAgentConfig); path != "" {
		var err error
		if cfg, err = agent.LoadConfig(path, cfg); err != nil {
			return cfg, err
		}
	}
	str := func(name string, dst *string) {
		if f.Changed(name) {
			*dst, _ = f.GetString(name)
		}
	}
	str(flagAgentRPC, &cfg.Chain.RPC)
	str(flagAgentChainID, &cfg.Chain.ChainID)
	str(flagAgentKey, &cfg.Chain.Key)
	str(flagAgentKeyringDir, &cfg.Chain.KeyringDir)
	str(flagAgentBackend, &cfg.Chain.KeyringBackend)
	str(flagAgentGranter, &cfg.Chain.FeeGranter)
	str(flagAgentDataDir, &cfg.Node.DataDir)
	str(flagAgentListen, &cfg.Server.Listen)
	str(flagAgentLogFormat, &cfg.Log.Format)
	str(flagAgentLogLevel, &cfg.Log.Level)
	if f.Changed(flagAgentNodeID) {
		cfg.Node.ID, _ = f.GetUint64(flagAgentNodeID)
	}
	return cfg, cfg.ValidateBasic()
}

func newAgentInitConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init-config [file]",
		Short: "write a documented default agent configuration (default: <home>/config/agent.toml)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := filepath.Join(defaultAgentHome(), "config", "agent.toml")
			if len(args) == 1 {
				path = args[0]
			}
			force, _ := cmd.Flags().GetBool(flagAgentForce)
			if err := agent.WriteConfig(path, agent.DefaultConfig(defaultAgentHome()), force); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), path)
			return nil
		},
	}
	cmd.Flags().Bool(flagAgentForce, false, "overwrite an existing file")
	return cmd
}

// newAgentExecCmd is the wrapper the process driver starts workloads through; not for people.
func newAgentExecCmd() *cobra.Command {
	return &cobra.Command{
		Use:                "exec --dir DIR [limits] -- COMMAND [ARGS...]",
		Short:              "start a workload process with its lock, limits and pid file (used by the agent)",
		Hidden:             true,
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			err := process.ExecMain(args)
			fmt.Fprintln(cmd.ErrOrStderr(), "guildd agent exec:", err)
			os.Exit(process.ExitCode(err))
			return nil
		},
	}
}
