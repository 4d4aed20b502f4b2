package cmd

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"

	"github.com/guild-network/guild/daemon/ado"
	"github.com/guild-network/guild/internal/clock"
	"github.com/guild-network/guild/internal/daemonkit"
	"github.com/guild-network/guild/internal/edkey"
	"github.com/guild-network/guild/internal/encoding"
)

func init() { extraCommands = append(extraCommands, NewADOCmd) }

// Flag names of `guildd ado`.
const (
	flagADOConfig     = "config"
	flagADOListen     = "listen"
	flagADOGRPC       = "grpc"
	flagADOChainID    = "chain-id"
	flagADOKey        = "key"
	flagADOKeyringDir = "keyring-dir"
	flagADOBackend    = "keyring-backend"
	flagADOStore      = "store"
	flagADOForce      = "force"
)

// NewADOCmd returns `guildd ado`: the credential issuer of x/credit.
func NewADOCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "ado",
		Short:             "the ADO: issues x/credit credentials to agents' signed requests",
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
	}
	cmd.AddCommand(newADOServeCmd(), newADOInitConfigCmd())
	return cmd
}

func newADOServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "serve credentials until interrupted",
		Long: `serve credentials until interrupted (SIGINT or SIGTERM stop it cleanly).

The configuration comes from --config (see 'guildd ado init-config'), then the flags given. The
issuer key is an ed25519 key in the keyring (guildd keys add ado --algo ed25519); its public
key must be in x/credit's trusted_issuers parameter.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := adoConfig(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			logger := daemonkit.NewLogger(cmd.ErrOrStderr(), cfg.Log)
			// The codec from the module basics has every type registered (keyring records too).
			cdc := encoding.MakeConfig().Codec
			kr, err := keyring.New("guild", cfg.Issuer.KeyringBackend, cfg.Issuer.KeyringDir, cmd.InOrStdin(), cdc, edkey.KeyringOption())
			if err != nil {
				return fmt.Errorf("issuer keyring: %w", err)
			}
			signer, err := ado.NewKeyringSigner(kr, cfg.Issuer.KeyName)
			if err != nil {
				return err
			}
			// gogoproto types (math.Int fields) need the SDK's gRPC codec, not grpc-go's default one.
			pc, ok := cdc.(*codec.ProtoCodec)
			if !ok {
				return fmt.Errorf("ado: the app codec is %T, want *codec.ProtoCodec", cdc)
			}
			conn, err := grpc.NewClient(cfg.Chain.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()),
				grpc.WithDefaultCallOptions(grpc.ForceCodec(pc.GRPCCodec())))
			if err != nil {
				return fmt.Errorf("chain grpc %s: %w", cfg.Chain.GRPC, err)
			}
			defer conn.Close()
			store, err := ado.OpenSQLite(ctx, cfg.Store.Path, clock.Real.Now)
			if err != nil {
				return err
			}
			a, err := ado.New(cfg, ado.Deps{Chain: ado.NewGRPCChain(conn), Signer: signer, Store: store, Log: logger, Codec: cdc})
			if err != nil {
				store.Close()
				return err
			}
			defer a.Close()
			logger.Info("ado serving", daemonkit.KeyAddr, a.Addr(), daemonkit.KeyIssuer, fmt.Sprintf("%x", signer.PublicKey()))
			return a.Run(ctx)
		},
	}
	f := cmd.Flags()
	f.String(flagADOConfig, "", "toml configuration file")
	f.String(flagADOListen, "", "listen address (host:port)")
	f.String(flagADOGRPC, "", "the node's gRPC address")
	f.String(flagADOChainID, "", "chain id")
	f.String(flagADOKey, "", "name of the ed25519 issuer key in the keyring")
	f.String(flagADOKeyringDir, "", "keyring directory")
	f.String(flagADOBackend, "", "keyring backend: os, file or test")
	f.String(flagADOStore, "", "SQLite file for jtis and the audit log")
	return cmd
}

func adoConfig(cmd *cobra.Command) (ado.Config, error) {
	cfg := ado.DefaultConfig()
	cfg.Issuer.KeyringDir = DefaultNodeHome
	cfg.Store.Path = filepath.Join(DefaultNodeHome, "data", "ado.db")
	f := cmd.Flags()
	if path, _ := f.GetString(flagADOConfig); path != "" {
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
	str(flagADOListen, &cfg.Server.Listen)
	str(flagADOGRPC, &cfg.Chain.GRPC)
	str(flagADOChainID, &cfg.Chain.ChainID)
	str(flagADOKey, &cfg.Issuer.KeyName)
	str(flagADOKeyringDir, &cfg.Issuer.KeyringDir)
	str(flagADOBackend, &cfg.Issuer.KeyringBackend)
	str(flagADOStore, &cfg.Store.Path)
	return cfg, cfg.ValidateBasic()
}

func newADOInitConfigCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init-config [file]",
		Short: "write a documented default ADO configuration (default: <home>/config/ado.toml)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := filepath.Join(DefaultNodeHome, "config", "ado.toml")
			if len(args) == 1 {
				path = args[0]
			}
			if force, _ := cmd.Flags().GetBool(flagADOForce); !force {
				if _, err := os.Stat(path); err == nil {
					return fmt.Errorf("%s exists (use --force to overwrite)", path)
				}
			}
			cfg := ado.DefaultConfig()
			cfg.Issuer.KeyringDir = DefaultNodeHome
			cfg.Store.Path = filepath.Join(DefaultNodeHome, "data", "ado.db")
			bz, err := daemonkit.EncodeTOML("guildd ado serve configuration; the issuer key lives in the keyring, never here", cfg)
			if err != nil {
				return err
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(path, bz, 0o644); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), path)
			return nil
		},
	}
	cmd.Flags().Bool(flagADOForce, false, "overwrite an existing file")
	return cmd
}
