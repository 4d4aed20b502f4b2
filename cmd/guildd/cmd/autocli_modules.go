package cmd

import (
	"github.com/spf13/cobra"

	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"
	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/core/address"
	"cosmossdk.io/core/appmodule"

	nftmodule "github.com/cosmos/cosmos-sdk/contrib/x/nft/module"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankcli "github.com/cosmos/cosmos-sdk/x/bank/client/cli"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	distrcli "github.com/cosmos/cosmos-sdk/x/distribution/client/cli"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/feegrant"
	feegrantcli "github.com/cosmos/cosmos-sdk/x/feegrant/client/cli"
	feegrantmodule "github.com/cosmos/cosmos-sdk/x/feegrant/module"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govcli "github.com/cosmos/cosmos-sdk/x/gov/client/cli"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	"github.com/cosmos/cosmos-sdk/x/slashing"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingcli "github.com/cosmos/cosmos-sdk/x/staking/client/cli"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/cosmos-sdk/x/upgrade"
	upgradecli "github.com/cosmos/cosmos-sdk/x/upgrade/client/cli"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"

	creditmodule "github.com/guild-network/guild/x/credit/module"
	credittypes "github.com/guild-network/guild/x/credit/types"
	farmingmodule "github.com/guild-network/guild/x/farming/module"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
	marketmodule "github.com/guild-network/guild/x/market/module"
	markettypes "github.com/guild-network/guild/x/market/types"
	providermodule "github.com/guild-network/guild/x/provider/module"
	providertypes "github.com/guild-network/guild/x/provider/types"
	vaultmodule "github.com/guild-network/guild/x/vault/module"
	vaulttypes "github.com/guild-network/guild/x/vault/types"
)

// cliModule is what AutoCLI needs of one module, built without a keeper or an app: its
// AutoCLI options (static: each AppModule's AutoCLIOptions method reads no field, so its zero
// value answers) and the custom tx command its module basic would build (the same constructor
// the basic calls, given the address codecs the basic would hold).
type cliModule struct {
	tx func() *cobra.Command
}

func (cliModule) IsAppModule()        {}
func (cliModule) IsOnePerModuleType() {}

// GetTxCmd implements autocli.HasCustomTxCommand; nil (no custom command) is skipped by AutoCLI.
func (m cliModule) GetTxCmd() *cobra.Command {
	if m.tx == nil {
		return nil
	}
	return m.tx()
}

var _ autocli.HasCustomTxCommand = cliModule{}

// cliModules returns, for every module of the chain with a CLI, the AutoCLI options and the
// module value AutoCLI reads custom commands from. TestCLIModulesMatchTheApp checks them
// against the app's module manager: same modules, same options, same custom commands.
func cliModules() (map[string]appmodule.AppModule, map[string]*autocliv1.ModuleOptions) {
	cfg := sdk.GetConfig()
	ac := authcodec.NewBech32Codec(cfg.GetBech32AccountAddrPrefix())
	valAC := authcodec.NewBech32Codec(cfg.GetBech32ValidatorAddrPrefix())
	withTx := func(tx func(ac, valAC address.Codec) *cobra.Command) cliModule {
		return cliModule{tx: func() *cobra.Command { return tx(ac, valAC) }}
	}
	none := cliModule{}
	options := map[string]*autocliv1.ModuleOptions{
		authtypes.ModuleName:      auth.AppModule{}.AutoCLIOptions(),
		banktypes.ModuleName:      bank.AppModule{}.AutoCLIOptions(),
		distrtypes.ModuleName:     distr.AppModule{}.AutoCLIOptions(),
		stakingtypes.ModuleName:   staking.AppModule{}.AutoCLIOptions(),
		slashingtypes.ModuleName:  slashing.AppModule{}.AutoCLIOptions(),
		govtypes.ModuleName:       gov.AppModule{}.AutoCLIOptions(),
		upgradetypes.ModuleName:   upgrade.AppModule{}.AutoCLIOptions(),
		consensustypes.ModuleName: consensus.AppModule{}.AutoCLIOptions(),
		feegrant.ModuleName:       feegrantmodule.AppModule{}.AutoCLIOptions(),
		nft.ModuleName:            nftmodule.AppModule{}.AutoCLIOptions(),
		providertypes.ModuleName:  providermodule.AppModule{}.AutoCLIOptions(),
		markettypes.ModuleName:    marketmodule.AppModule{}.AutoCLIOptions(),
		farmingtypes.ModuleName:   farmingmodule.AppModule{}.AutoCLIOptions(),
		vaulttypes.ModuleName:     vaultmodule.AppModule{}.AutoCLIOptions(),
		credittypes.ModuleName:    creditmodule.AppModule{}.AutoCLIOptions(),
	}
	modules := map[string]appmodule.AppModule{
		authtypes.ModuleName:      none,
		banktypes.ModuleName:      withTx(func(ac, _ address.Codec) *cobra.Command { return bankcli.NewTxCmd(ac) }),
		distrtypes.ModuleName:     withTx(func(ac, valAC address.Codec) *cobra.Command { return distrcli.NewTxCmd(valAC, ac) }),
		stakingtypes.ModuleName:   withTx(func(ac, valAC address.Codec) *cobra.Command { return stakingcli.NewTxCmd(valAC, ac) }),
		slashingtypes.ModuleName:  none,
		govtypes.ModuleName:       withTx(func(address.Codec, address.Codec) *cobra.Command { return govcli.NewTxCmd(nil) }),
		upgradetypes.ModuleName:   withTx(func(ac, _ address.Codec) *cobra.Command { return upgradecli.GetTxCmd(ac) }),
		consensustypes.ModuleName: none,
		feegrant.ModuleName:       withTx(func(ac, _ address.Codec) *cobra.Command { return feegrantcli.GetTxCmd(ac) }),
		nft.ModuleName:            none,
		providertypes.ModuleName:  none,
		markettypes.ModuleName:    none,
		farmingtypes.ModuleName:   none,
		vaulttypes.ModuleName:     none,
		credittypes.ModuleName:    withTx(func(address.Codec, address.Codec) *cobra.Command { return creditmodule.AppModuleBasic{}.GetTxCmd() }),
	}
	return modules, options
}
