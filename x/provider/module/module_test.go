package module_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoregistry"

	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/client/v2/autocli/flag"
	"cosmossdk.io/core/appmodule"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/x/provider/keeper"
	providermodule "github.com/guild-network/guild/x/provider/module"
	"github.com/guild-network/guild/x/provider/types"
)

func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	os.Exit(m.Run())
}

func TestGenesisJSON(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(providermodule.AppModuleBasic{})
	basic := providermodule.AppModuleBasic{}
	bz := basic.DefaultGenesis(enc.Codec)
	require.NoError(t, basic.ValidateGenesis(enc.Codec, nil, bz))
	require.Error(t, basic.ValidateGenesis(enc.Codec, nil, json.RawMessage(`{"next_node_id":"0"}`)))
	require.Error(t, basic.ValidateGenesis(enc.Codec, nil, json.RawMessage(`not json`)))

	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("t")).Ctx
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authtypes.NewModuleAddress("gov").String(), nil, nil)
	am := providermodule.NewAppModule(enc.Codec, k)
	am.InitGenesis(ctx, enc.Codec, bz)
	require.JSONEq(t, string(bz), string(am.ExportGenesis(ctx, enc.Codec)))
	require.Equal(t, uint64(types.ConsensusVersion), am.ConsensusVersion()) // 1; 2 with -tags upgradetest
	require.Equal(t, types.ModuleName, am.Name())
	require.Panics(t, func() { am.InitGenesis(ctx, enc.Codec, json.RawMessage(`{"next_node_id":"0"}`)) })
}

func TestInterfacesRegistered(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(providermodule.AppModuleBasic{})
	for _, name := range []string{
		"/guild.provider.v1.MsgRegisterProvider", "/guild.provider.v1.MsgAddNode",
		"/guild.provider.v1.MsgHeartbeat", "/guild.provider.v1.MsgUpdateParams",
	} {
		_, err := enc.InterfaceRegistry.Resolve(name)
		require.NoError(t, err, name)
	}
	// Amino names are registered for amino JSON signing.
	bz, err := enc.Amino.MarshalJSON(&types.MsgHeartbeat{NodeAccount: "x", NodeId: 1})
	require.NoError(t, err)
	require.Contains(t, string(bz), "guild/provider/MsgHeartbeat")
}

// TestAutoCLI builds the query and tx commands from AutoCLIOptions, as guildd does, and checks
// that every rpc has a command (UpdateParams is governance only) with the intended usage.
func TestAutoCLI(t *testing.T) {
	files, err := gogoproto.MergedRegistry()
	require.NoError(t, err)
	builder := &autocli.Builder{
		Builder: flag.Builder{
			TypeResolver:          protoregistry.GlobalTypes,
			FileResolver:          files,
			AddressCodec:          authcodec.NewBech32Codec("guild"),
			ValidatorAddressCodec: authcodec.NewBech32Codec("guildvaloper"),
			ConsensusAddressCodec: authcodec.NewBech32Codec("guildvalcons"),
		},
		AddQueryConnFlags: func(*cobra.Command) {},
		AddTxConnFlags:    func(*cobra.Command) {},
	}
	am := providermodule.AppModule{}
	opts := autocli.AppOptions{
		Modules:               map[string]appmodule.AppModule{types.ModuleName: am},
		AddressCodec:          builder.AddressCodec,
		ValidatorAddressCodec: builder.ValidatorAddressCodec,
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
		"available-offers", "node [id]", "nodes", "offer [id]", "offers", "params",
		"provider [address]", "providers", "score [address]",
	}, uses("query", "provider"))
	txs := uses("tx", "provider")
	require.Equal(t, []string{
		"accept-owner [provider]", "add-node [provider] [pub-key-hex-or-base64] [bond]",
		"add-offer [node-id] [kind] [price] [units]", "deposit-bond [node-id] [amount]",
		"heartbeat [node-id]", "propose-owner [provider] [new-owner]", "register [moniker] [host-uri]",
		"remove-node [node-id]", "remove-offer [offer-id]", "set-beneficiary [provider] [beneficiary]",
		"set-operator [provider] [operator]", "update [provider] [moniker] [host-uri]",
		"update-node [node-id]", "update-offer [offer-id] [price] [units-total] [active]",
		"withdraw-bond [node-id] [amount]",
	}, txs)
	for _, u := range txs {
		require.False(t, strings.Contains(u, "params"))
	}

	// Complex fields are flags.
	flagOf := func(name string, path ...string) bool {
		cmd, _, err := root.Find(path)
		require.NoError(t, err)
		return cmd.Flags().Lookup(name) != nil
	}
	require.True(t, flagOf("capacity", "tx", "provider", "add-node"))
	require.True(t, flagOf("capacity", "tx", "provider", "update-node"))
	require.True(t, flagOf("status", "tx", "provider", "update-node"))
	require.True(t, flagOf("resources", "tx", "provider", "add-offer"))
	require.True(t, flagOf("attributes", "tx", "provider", "register"))
	for _, f := range []string{"kind", "min-cpu-milli", "min-memory-bytes", "min-storage-bytes", "min-gpus", "max-price", "denom", "min-score"} {
		require.True(t, flagOf(f, "query", "provider", "available-offers"), f)
	}
	require.True(t, flagOf("provider", "query", "provider", "nodes"))
	require.True(t, flagOf("provider", "query", "provider", "offers"))
}
