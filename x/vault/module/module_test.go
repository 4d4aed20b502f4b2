package module_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoregistry"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/client/v2/autocli/flag"
	"cosmossdk.io/core/appmodule"

	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"

	vaultmodule "github.com/guild-network/guild/x/vault/module"
	"github.com/guild-network/guild/x/vault/types"
)

func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	os.Exit(m.Run())
}

func TestGenesisJSON(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(vaultmodule.AppModuleBasic{})
	basic := vaultmodule.AppModuleBasic{}
	bz := basic.DefaultGenesis(enc.Codec)
	require.NoError(t, basic.ValidateGenesis(enc.Codec, nil, bz))
	require.Error(t, basic.ValidateGenesis(enc.Codec, nil, json.RawMessage(`{"params":{}}`)))
	require.Error(t, basic.ValidateGenesis(enc.Codec, nil, json.RawMessage(`not json`)))
}

func TestInterfacesRegistered(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(vaultmodule.AppModuleBasic{})
	for _, m := range []string{"MsgCreateVault", "MsgAcceptCustody", "MsgDeposit", "MsgHarvest", "MsgClaim", "MsgExit",
		"MsgPledge", "MsgUnpledge", "MsgSubmitProposal", "MsgVote", "MsgUpdateParams"} {
		_, err := enc.InterfaceRegistry.Resolve("/guild.vault.v1." + m)
		require.NoError(t, err, m)
	}
	bz, err := enc.Amino.MarshalJSON(&types.MsgHarvest{Sender: "x", VaultId: 1})
	require.NoError(t, err)
	require.Contains(t, string(bz), "guild/vault/MsgHarvest")
}

// TestAutoCLI: every rpc has a command (UpdateParams is the chain authority's only), and the
// message-typed fields are JSON flags.
func TestAutoCLI(t *testing.T) {
	files, err := gogoproto.MergedRegistry()
	require.NoError(t, err)
	builder := &autocli.Builder{
		Builder: flag.Builder{
			TypeResolver: protoregistry.GlobalTypes, FileResolver: files,
			AddressCodec:          authcodec.NewBech32Codec("guild"),
			ValidatorAddressCodec: authcodec.NewBech32Codec("guildvaloper"),
			ConsensusAddressCodec: authcodec.NewBech32Codec("guildvalcons"),
		},
		AddQueryConnFlags: func(*cobra.Command) {},
		AddTxConnFlags:    func(*cobra.Command) {},
	}
	opts := autocli.AppOptions{
		Modules:      map[string]appmodule.AppModule{types.ModuleName: vaultmodule.AppModule{}},
		AddressCodec: builder.AddressCodec, ValidatorAddressCodec: builder.ValidatorAddressCodec,
		ConsensusAddressCodec: builder.ConsensusAddressCodec,
	}
	root := &cobra.Command{Use: "guildd"}
	require.NoError(t, opts.EnhanceRootCommandWithBuilder(root, builder))
	uses := func(path ...string) []string {
		cmd, _, err := root.Find(path)
		require.NoError(t, err)
		var out []string
		for _, c := range cmd.Commands() {
			out = append(out, c.Use)
		}
		slices.Sort(out)
		return out
	}
	require.Equal(t, []string{
		"owner-positions [vault-id] [owner]", "params", "pledges [vault-id]", "position [id]", "positions [vault-id]",
		"proposal [id]", "proposals [vault-id]", "vault [id]", "vaults", "vote-weight [proposal-id] [position-id]", "votes [proposal-id]",
	}, uses("query", "vault"))
	require.Equal(t, []string{
		"accept-custody [vault-id]", "claim [position-id]", "create [provider]", "deposit [vault-id] [amount]",
		"exit [position-id] [shares]", "harvest [vault-id]", "pledge [vault-id] [node-id] [amount]",
		"propose [position-id]", "unpledge [vault-id] [node-id] [amount]", "vote [proposal-id] [position-id] [yes]",
	}, uses("tx", "vault"))
	flagOf := func(name string, path ...string) bool {
		cmd, _, err := root.Find(path)
		require.NoError(t, err)
		return cmd.Flags().Lookup(name) != nil
	}
	require.True(t, flagOf("terms", "tx", "vault", "create"))
	require.True(t, flagOf("governance", "tx", "vault", "create"))
	require.True(t, flagOf("content", "tx", "vault", "propose"))
	require.True(t, flagOf("claim-market", "tx", "vault", "harvest"))
}
