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

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/x/farming/keeper"
	farmingmodule "github.com/guild-network/guild/x/farming/module"
	"github.com/guild-network/guild/x/farming/types"
)

func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	os.Exit(m.Run())
}

func TestGenesisJSON(t *testing.T) {
	enc := moduletestutil.MakeTestEncodingConfig(farmingmodule.AppModuleBasic{})
	basic := farmingmodule.AppModuleBasic{}
	bz := basic.DefaultGenesis(enc.Codec)
	require.NoError(t, basic.ValidateGenesis(enc.Codec, nil, bz))
	require.Error(t, basic.ValidateGenesis(enc.Codec, nil, json.RawMessage(`{"next_pool_contract_id":"0"}`)))
	require.Error(t, basic.ValidateGenesis(enc.Codec, nil, json.RawMessage(`not json`)))

	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("t")).Ctx
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authtypes.NewModuleAddress("gov").String(), nil)
	am := farmingmodule.NewAppModule(enc.Codec, k)
	am.InitGenesis(ctx, enc.Codec, bz)
	require.JSONEq(t, string(bz), string(am.ExportGenesis(ctx, enc.Codec)))
	require.Equal(t, types.ModuleName, am.Name())
	require.Panics(t, func() { am.InitGenesis(ctx, enc.Codec, json.RawMessage(`{"next_pool_contract_id":"0"}`)) })

	for _, name := range []string{"/guild.farming.v1.MsgSubmitProof", "/guild.farming.v1.MsgAbsorb", "/guild.farming.v1.MsgJoinPool"} {
		_, err := enc.InterfaceRegistry.Resolve(name)
		require.NoError(t, err, name)
	}
}

// TestAutoCLI builds the commands as guildd does: every rpc but UpdateParams has one.
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
		Modules:      map[string]appmodule.AppModule{types.ModuleName: farmingmodule.AppModule{}},
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
		"latest-signage-point", "params", "plot-id [pool-contract-id] [plot-public-key-hex]", "pool-contract [id]",
		"pool-contracts", "pool-contracts-by-owner [owner]", "pool-contracts-by-target [target]",
		"signage-point [height]", "signage-points", "state",
	}, uses("query", "farming"))
	require.Equal(t, []string{
		"absorb [pool-contract-id] [target]", "create-pool-contract [owner-public-key]",
		"join-pool [pool-contract-id] [target] [pool-url] [relative-lock]", "leave-pool [pool-contract-id]",
		"submit-proof [sp-height] [plot-public-key] [pool-contract-id] [k] [proof] [reward-address] [signature]",
	}, uses("tx", "farming"))
}
