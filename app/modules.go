package app

import (
	"cosmossdk.io/core/genesis"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	nftmodule "github.com/cosmos/cosmos-sdk/contrib/x/nft/module"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/feegrant"
	feegrantmodule "github.com/cosmos/cosmos-sdk/x/feegrant/module"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govclient "github.com/cosmos/cosmos-sdk/x/gov/client"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	"github.com/cosmos/cosmos-sdk/x/slashing"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	"github.com/cosmos/cosmos-sdk/x/staking"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	"github.com/cosmos/cosmos-sdk/x/upgrade"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

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

// newModuleManager lists every module of the chain. Adding a module means adding it here, its
// store key and keeper in keepers.go, and its name to the orderings below.
func newModuleManager(cdc codec.Codec, k *Keepers, txConfig client.TxConfig, registry codectypes.InterfaceRegistry,
	deliverTx genesis.TxHandler,
) *module.Manager {
	return module.NewManager(
		genutil.NewAppModule(k.AccountKeeper, k.StakingKeeper, deliverTx, txConfig),
		auth.NewAppModule(cdc, k.AccountKeeper, nil, nil),
		bank.NewAppModule(cdc, k.BankKeeper, k.AccountKeeper, nil),
		staking.NewAppModule(cdc, k.StakingKeeper, k.AccountKeeper, k.BankKeeper, nil),
		distr.NewAppModule(cdc, k.DistrKeeper, k.AccountKeeper, k.BankKeeper, k.StakingKeeper, nil),
		slashing.NewAppModule(cdc, k.SlashingKeeper, k.AccountKeeper, k.BankKeeper, k.StakingKeeper, nil, registry),
		gov.NewAppModule(cdc, k.GovKeeper, k.AccountKeeper, k.BankKeeper, nil),
		upgrade.NewAppModule(k.UpgradeKeeper, k.AccountKeeper.AddressCodec()),
		consensus.NewAppModule(cdc, k.ConsensusKeeper),
		feegrantmodule.NewAppModule(cdc, k.AccountKeeper, k.BankKeeper, k.FeeGrantKeeper, registry),
		nftmodule.NewAppModule(cdc, k.NFTKeeper, k.AccountKeeper, k.BankKeeper, registry),
		providermodule.NewAppModule(cdc, k.ProviderKeeper),
		marketmodule.NewAppModule(cdc, k.MarketKeeper),
		farmingmodule.NewAppModule(cdc, k.FarmingKeeper),
		vaultmodule.NewAppModule(cdc, k.VaultKeeper),
		creditmodule.NewAppModule(cdc, k.CreditKeeper),
	)
}

// basicOverrides replaces module basics whose defaults need app-specific arguments.
func basicOverrides() map[string]module.AppModuleBasic {
	return map[string]module.AppModuleBasic{
		genutiltypes.ModuleName: genutil.NewAppModuleBasic(genutiltypes.DefaultMessageValidator),
		govtypes.ModuleName:     gov.NewAppModuleBasic([]govclient.ProposalHandler{}),
	}
}

// setModuleOrder fixes the order of the per-block hooks and of genesis. Bank must end blocks
// first (SDK v0.54); genutil runs after staking so the pools exist when gentxs are delivered.
func setModuleOrder(mm *module.Manager) {
	mm.SetOrderPreBlockers(upgradetypes.ModuleName, authtypes.ModuleName)
	mm.SetOrderBeginBlockers(distrtypes.ModuleName, slashingtypes.ModuleName, stakingtypes.ModuleName,
		genutiltypes.ModuleName,
		farmingtypes.ModuleName)
	mm.SetOrderEndBlockers(banktypes.ModuleName, govtypes.ModuleName, stakingtypes.ModuleName,
		genutiltypes.ModuleName, feegrant.ModuleName, markettypes.ModuleName,
		vaulttypes.ModuleName,
		credittypes.ModuleName)
	genesis := []string{
		authtypes.ModuleName, banktypes.ModuleName, distrtypes.ModuleName, stakingtypes.ModuleName,
		slashingtypes.ModuleName, govtypes.ModuleName, genutiltypes.ModuleName, upgradetypes.ModuleName,
		consensustypes.ModuleName, feegrant.ModuleName, nft.ModuleName,
		providertypes.ModuleName, markettypes.ModuleName,
		farmingtypes.ModuleName,
		vaulttypes.ModuleName,
		credittypes.ModuleName,
	}
	mm.SetOrderInitGenesis(genesis...)
	mm.SetOrderExportGenesis(genesis...)
}
