package app

import (
	"github.com/spf13/cast"

	corestore "cosmossdk.io/core/store"
	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	nftkeeper "github.com/cosmos/cosmos-sdk/contrib/x/nft/keeper"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/server"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	consensuskeeper "github.com/cosmos/cosmos-sdk/x/consensus/keeper"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
	distrkeeper "github.com/cosmos/cosmos-sdk/x/distribution/keeper"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"
	"github.com/cosmos/cosmos-sdk/x/feegrant"
	feegrantkeeper "github.com/cosmos/cosmos-sdk/x/feegrant/keeper"
	govkeeper "github.com/cosmos/cosmos-sdk/x/gov/keeper"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	slashingkeeper "github.com/cosmos/cosmos-sdk/x/slashing/keeper"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingkeeper "github.com/cosmos/cosmos-sdk/x/staking/keeper"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
	upgradekeeper "github.com/cosmos/cosmos-sdk/x/upgrade/keeper"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	creditkeeper "github.com/guild-network/guild/x/credit/keeper"
	credittypes "github.com/guild-network/guild/x/credit/types"
	farmingkeeper "github.com/guild-network/guild/x/farming/keeper"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
	marketkeeper "github.com/guild-network/guild/x/market/keeper"
	markettypes "github.com/guild-network/guild/x/market/types"
	providerkeeper "github.com/guild-network/guild/x/provider/keeper"
	providertypes "github.com/guild-network/guild/x/provider/types"
	vaultkeeper "github.com/guild-network/guild/x/vault/keeper"
	vaulttypes "github.com/guild-network/guild/x/vault/types"
)

// Keepers holds every module keeper of the application. Keepers are built once, in dependency
// order, by newKeepers; nothing else constructs them.
type Keepers struct {
	AccountKeeper   authkeeper.AccountKeeper
	BankKeeper      bankkeeper.BaseKeeper
	StakingKeeper   *stakingkeeper.Keeper
	SlashingKeeper  slashingkeeper.Keeper
	DistrKeeper     distrkeeper.Keeper
	GovKeeper       *govkeeper.Keeper
	UpgradeKeeper   *upgradekeeper.Keeper
	ConsensusKeeper consensuskeeper.Keeper
	FeeGrantKeeper  feegrantkeeper.Keeper
	NFTKeeper       nftkeeper.Keeper
	ProviderKeeper  providerkeeper.Keeper
	MarketKeeper    marketkeeper.Keeper
	FarmingKeeper   farmingkeeper.Keeper
	VaultKeeper     vaultkeeper.Keeper
	CreditKeeper    creditkeeper.Keeper
}

// storeKeys lists the KV store of every module that has state.
func storeKeys() map[string]*storetypes.KVStoreKey {
	return storetypes.NewKVStoreKeys(
		authtypes.StoreKey, banktypes.StoreKey, stakingtypes.StoreKey, distrtypes.StoreKey,
		slashingtypes.StoreKey, govtypes.StoreKey, upgradetypes.StoreKey, consensustypes.StoreKey,
		feegrant.StoreKey, nft.StoreKey, providertypes.StoreKey, markettypes.StoreKey,
		farmingtypes.StoreKey,
		vaulttypes.StoreKey,
		credittypes.StoreKey,
	)
}

// moduleAccountPermissions lists the module accounts and what each may do with coins.
func moduleAccountPermissions() map[string][]string {
	return map[string][]string{
		authtypes.FeeCollectorName:     nil,
		distrtypes.ModuleName:          nil,
		stakingtypes.BondedPoolName:    {authtypes.Burner, authtypes.Staking},
		stakingtypes.NotBondedPoolName: {authtypes.Burner, authtypes.Staking},
		govtypes.ModuleName:            {authtypes.Burner},
		nft.ModuleName:                 nil,
		providertypes.ModuleName:       nil, // node bonds
		markettypes.ModuleName:         nil, // tenant escrow
		// x/farming mints signage-point rewards and holds pool contract balances.
		farmingtypes.ModuleName: {authtypes.Minter},
		vaulttypes.ModuleName:   nil, // holds nothing: each vault has its own derived, unregistered account
		// credit: the pools' liquid funds; mints and burns the pools' share denoms
		credittypes.ModuleName: {authtypes.Minter, authtypes.Burner},
	}
}

// blockedAddresses are module accounts that may not receive coins by a plain bank send.
func blockedAddresses() map[string]bool {
	blocked := make(map[string]bool)
	for name := range moduleAccountPermissions() {
		blocked[authtypes.NewModuleAddress(name).String()] = true
	}
	// Module accounts receive coins only through their keepers (a plain send into the market's
	// escrow would break its accounting); gov stays open, as in the SDK's own apps.
	delete(blocked, authtypes.NewModuleAddress(govtypes.ModuleName).String())
	return blocked
}

// authority is the governance module account: the only signer of parameter changes.
func authority() string {
	return authtypes.NewModuleAddress(govtypes.ModuleName).String()
}

func newKeepers(
	cdc codec.Codec, legacyAmino *codec.LegacyAmino, bApp *baseapp.BaseApp,
	keys map[string]*storetypes.KVStoreKey, appOpts servertypes.AppOptions, logger log.Logger,
) Keepers {
	var k Keepers
	gov := authority()
	store := func(name string) corestore.KVStoreService { return runtime.NewKVStoreService(keys[name]) }

	k.ConsensusKeeper = consensuskeeper.NewKeeper(cdc, store(consensustypes.StoreKey), gov, runtime.EventService{})
	bApp.SetParamStore(k.ConsensusKeeper.ParamsStore)

	k.AccountKeeper = authkeeper.NewAccountKeeper(cdc, store(authtypes.StoreKey), authtypes.ProtoBaseAccount,
		moduleAccountPermissions(), authcodec.NewBech32Codec(Bech32Prefix), Bech32Prefix, gov)
	k.BankKeeper = bankkeeper.NewBaseKeeper(cdc, store(banktypes.StoreKey), k.AccountKeeper,
		blockedAddresses(), gov, logger)
	k.StakingKeeper = stakingkeeper.NewKeeper(cdc, store(stakingtypes.StoreKey), k.AccountKeeper, k.BankKeeper, gov,
		authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ValidatorAddrPrefix()),
		authcodec.NewBech32Codec(sdk.GetConfig().GetBech32ConsensusAddrPrefix()))
	k.DistrKeeper = distrkeeper.NewKeeper(cdc, store(distrtypes.StoreKey), k.AccountKeeper, k.BankKeeper,
		k.StakingKeeper, authtypes.FeeCollectorName, gov)
	k.SlashingKeeper = slashingkeeper.NewKeeper(cdc, legacyAmino, store(slashingtypes.StoreKey), k.StakingKeeper, gov)
	k.StakingKeeper.SetHooks(stakingtypes.NewMultiStakingHooks(k.DistrKeeper.Hooks(), k.SlashingKeeper.Hooks()))

	skipUpgradeHeights := map[int64]bool{}
	for _, h := range cast.ToIntSlice(appOpts.Get(server.FlagUnsafeSkipUpgrades)) {
		skipUpgradeHeights[int64(h)] = true
	}
	k.UpgradeKeeper = upgradekeeper.NewKeeper(skipUpgradeHeights, store(upgradetypes.StoreKey), cdc,
		cast.ToString(appOpts.Get(flags.FlagHome)), bApp, gov)

	k.GovKeeper = govkeeper.NewKeeper(cdc, store(govtypes.StoreKey), k.AccountKeeper, k.BankKeeper, k.DistrKeeper,
		bApp.MsgServiceRouter(), govtypes.DefaultConfig(), gov,
		govkeeper.NewDefaultCalculateVoteResultsAndVotingPower(k.StakingKeeper))

	k.FeeGrantKeeper = feegrantkeeper.NewKeeper(cdc, store(feegrant.StoreKey), k.AccountKeeper)
	k.NFTKeeper = nftkeeper.NewKeeper(store(nft.StoreKey), cdc, k.AccountKeeper, k.BankKeeper)

	k.ProviderKeeper = providerkeeper.NewKeeper(cdc, store(providertypes.StoreKey), gov, k.BankKeeper, k.DistrKeeper)
	k.MarketKeeper = marketkeeper.NewKeeper(cdc, store(markettypes.StoreKey), gov, k.ProviderKeeper, k.BankKeeper, k.DistrKeeper)
	k.FarmingKeeper = farmingkeeper.NewKeeper(cdc, store(farmingtypes.StoreKey), gov, k.BankKeeper)
	k.VaultKeeper = vaultkeeper.NewKeeper(cdc, store(vaulttypes.StoreKey), gov, k.BankKeeper, k.ProviderKeeper, k.NFTKeeper, marketkeeper.NewMsgServerImpl(k.MarketKeeper))
	k.CreditKeeper = creditkeeper.NewKeeper(cdc, store(credittypes.StoreKey), gov, k.BankKeeper, k.DistrKeeper, k.ProviderKeeper, marketkeeper.NewProviderMarket(k.MarketKeeper))
	return k
}
