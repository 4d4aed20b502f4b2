package cmd

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	sdkflags "github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"

	"github.com/guild-network/guild/internal/plotscli"
)

func init() { extraCommands = append(extraCommands, newPlotsCmd) }

// newPlotsCmd returns `guildd plots`, whose plot keys are ed25519 keys of guildd's keyring
// (`guildd keys add plot1 --algo ed25519`).
func newPlotsCmd() *cobra.Command {
	cmd := plotscli.NewPlotsCmd(plotscli.Options{
		DefaultDir: filepath.Join(DefaultNodeHome, "plots"),
		ResolveKey: func(cmd *cobra.Command, name string) ([]byte, error) {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return nil, err
			}
			if clientCtx.Keyring == nil {
				return nil, fmt.Errorf("no keyring: pass --keyring-backend and --home, or use --pubkey")
			}
			rec, err := clientCtx.Keyring.Key(name)
			if err != nil {
				return nil, fmt.Errorf("plot key %q: %w", name, err)
			}
			pub, err := rec.GetPubKey()
			if err != nil {
				return nil, err
			}
			if _, ok := pub.(*ed25519.PubKey); !ok {
				return nil, fmt.Errorf("plot key %q is %s; plot keys must be ed25519 (guildd keys add %s --algo ed25519)", name, pub.Type(), name)
			}
			return pub.Bytes(), nil
		},
	})
	for _, sub := range cmd.Commands() {
		if sub.Name() == "create" {
			sdkflags.AddKeyringFlags(sub.Flags())
		}
	}
	return cmd
}
