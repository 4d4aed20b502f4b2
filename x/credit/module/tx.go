package module

import (
	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"

	"github.com/guild-network/guild/x/credit/types"
)

// CredentialedTxCommands are added to `guildd tx credit` next to the AutoCLI commands. The
// binary registers here the commands that fetch a credential from an ADO before they sign
// (borrow, withdraw, remove-provider, set-recovered, put-on-administration, set-default), so
// that this package stays free of the HTTP client.
var CredentialedTxCommands []func() *cobra.Command

// GetTxCmd is the `guildd tx credit` command; AutoCLI adds the generated commands to it
// (EnhanceCustomCommand).
func (AppModuleBasic) GetTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "credit transactions: lend, create agents, borrow with ADO credentials, pay",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	for _, c := range CredentialedTxCommands {
		cmd.AddCommand(c())
	}
	return cmd
}
