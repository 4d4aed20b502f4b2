package keeper_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"cosmossdk.io/log/v2"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/cosmos/cosmos-sdk/store/v2"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authkeeper "github.com/cosmos/cosmos-sdk/x/auth/keeper"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"github.com/cosmos/cosmos-sdk/x/bank"
	bankkeeper "github.com/cosmos/cosmos-sdk/x/bank/keeper"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/x/credit/keeper"
	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit/kittest"
	marketkeeper "github.com/guild-network/guild/x/market/keeper"
	markettypes "github.com/guild-network/guild/x/market/types"
	providerkeeper "github.com/guild-network/guild/x/provider/keeper"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

const chainID = "guild-test"

var communityPool = authtypes.NewModuleAddress("distribution")

// distr sends to the distribution module account: the community pool as far as balances go.
type distr struct{ bank bankkeeper.BaseKeeper }

func (d distr) FundCommunityPool(ctx context.Context, amt sdk.Coins, from sdk.AccAddress) error {
	return d.bank.SendCoins(ctx, from, communityPool, amt)
}

// fixture is x/credit with the real auth, bank, provider and market keepers on one store.
type fixture struct {
	t      testing.TB
	cms    storetypes.CommitMultiStore
	key    storetypes.StoreKey // x/credit's
	ctx    sdk.Context
	k      keeper.Keeper
	msg    types.MsgServer
	q      types.QueryServer
	bank   bankkeeper.BaseKeeper
	prov   providerkeeper.Keeper
	mk     marketkeeper.Keeper
	issuer ed25519.PrivateKey
	req    ed25519.PrivateKey
	gov    string
	nonce  uint64
	check  kittest.Checker
	names  []string
}

func addr(name string) string { return sdk.AccAddress([]byte(fmt.Sprintf("%-20s", name))).String() }

func seedKey(name string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte(name))
	return ed25519.NewKeyFromSeed(s[:])
}

func newFixture(t testing.TB) *fixture { return newFixtureDB(t, dbm.NewMemDB()) }

// newFixtureDB is newFixture over a given database (benchmarks use an on-disk one, as a node
// does).
func newFixtureDB(t testing.TB, db dbm.DB) *fixture {
	app.SetAddressPrefixes()
	keys := storetypes.NewKVStoreKeys(authtypes.StoreKey, banktypes.StoreKey, providertypes.StoreKey, markettypes.StoreKey, types.StoreKey)
	cms := store.NewCommitMultiStore(db, log.NewNopLogger())
	for _, key := range keys {
		cms.MountStoreWithDB(key, storetypes.StoreTypeIAVL, nil)
	}
	require.NoError(t, cms.LoadLatestVersion())
	ctx := sdk.NewContext(cms, cmtproto.Header{}, false, log.NewNopLogger()).
		WithBlockHeader(cmtproto.Header{Height: 100, Time: time.Unix(1_000_000, 0), ChainID: chainID}).WithChainID(chainID)
	enc := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{})
	gov := authtypes.NewModuleAddress("gov").String()
	perms := map[string][]string{
		types.ModuleName: {authtypes.Minter, authtypes.Burner}, providertypes.ModuleName: nil,
		markettypes.ModuleName: nil, "distribution": nil, "faucet": {authtypes.Minter},
	}
	ak := authkeeper.NewAccountKeeper(enc.Codec, runtime.NewKVStoreService(keys[authtypes.StoreKey]), authtypes.ProtoBaseAccount,
		perms, authcodec.NewBech32Codec(app.Bech32Prefix), app.Bech32Prefix, gov)
	bk := bankkeeper.NewBaseKeeper(enc.Codec, runtime.NewKVStoreService(keys[banktypes.StoreKey]), ak, map[string]bool{}, gov, ctx.Logger())
	d := distr{bk}
	pk := providerkeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[providertypes.StoreKey]), gov, bk, d)
	mk := marketkeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[markettypes.StoreKey]), gov, pk, bk, d)
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), gov, bk, d, pk, marketkeeper.NewProviderMarket(mk))
	require.NoError(t, pk.InitGenesis(ctx, providertypes.DefaultGenesis()))
	require.NoError(t, mk.InitGenesis(ctx, *markettypes.DefaultGenesis()))
	f := &fixture{t: t, cms: cms, key: keys[types.StoreKey], ctx: ctx, k: k, msg: keeper.NewMsgServerImpl(k), q: keeper.NewQueryServerImpl(k),
		bank: bk, prov: pk, mk: mk, issuer: seedKey("issuer"), req: seedKey("requester"), gov: gov}
	params := types.DefaultParams()
	params.TrustedIssuers = [][]byte{f.issuer.Public().(ed25519.PublicKey)}
	require.NoError(t, k.InitGenesis(ctx, &types.GenesisState{Params: params, NextAgentId: 1}))
	f.names = []string{"lender", "lender2", "owner", "payer", "provider", "other"}
	for _, n := range f.names {
		f.fund(addr(n), sdk.NewCoins(sdk.NewInt64Coin("ugld", 100_000_000), sdk.NewInt64Coin("uusdc", 100_000_000)))
	}
	f.check = kittest.Checker{T: t, Ctx: &f.ctx, Snapshot: f.snapshot, Invariants: func() error { return f.k.CheckInvariants(f.ctx) }}
	return f
}

func (f *fixture) fund(to string, coins sdk.Coins) {
	require.NoError(f.t, f.bank.MintCoins(f.ctx, "faucet", coins))
	require.NoError(f.t, f.bank.SendCoinsFromModuleToAccount(f.ctx, "faucet", sdk.MustAccAddressFromBech32(to), coins))
}

// snapshot is everything a refused call must leave alone: the module's state and every balance.
func (f *fixture) snapshot() any {
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	var bals []string
	f.bank.IterateAllBalances(f.ctx, func(a sdk.AccAddress, c sdk.Coin) bool {
		bals = append(bals, a.String()+":"+c.String())
		return false
	})
	bonds, err := f.prov.ProviderBonds(f.ctx, addr("provider"))
	if err != nil {
		bonds = nil
	}
	return []any{gs, bals, bonds.String()}
}

func (f *fixture) balance(a, denom string) sdkmath.Int {
	return f.bank.GetBalance(f.ctx, sdk.MustAccAddressFromBech32(a), denom).Amount
}

// advance moves the block time and height on.
func (f *fixture) advance(seconds, blocks int64) {
	f.ctx = f.ctx.WithBlockHeader(cmtproto.Header{Height: f.ctx.BlockHeight() + blocks,
		Time: f.ctx.BlockTime().Add(time.Duration(seconds) * time.Second), ChainID: chainID})
}

// agentWithProvider creates agent 1 owned by "owner" and gives it the "provider" provider, whose
// one node holds bond ugld.
func (f *fixture) agentWithProvider(bond int64) (uint64, string) {
	owner, prov := addr("owner"), addr("provider")
	id, agentAddr, err := f.k.CreateAgent(f.ctx, owner, "", f.req.Public().(ed25519.PublicKey))
	require.NoError(f.t, err)
	require.NoError(f.t, f.prov.RegisterProvider(f.ctx, prov, "p", "http://p", nil))
	_, _, err = f.prov.AddNode(f.ctx, prov, prov, seedKey("node").Public().(ed25519.PublicKey),
		providertypes.Resources{CpuMilli: 1000, MemoryBytes: 1 << 30, StorageBytes: 1 << 30}, sdk.NewInt64Coin("ugld", bond))
	require.NoError(f.t, err)
	require.NoError(f.t, f.prov.ProposeOwner(f.ctx, prov, prov, agentAddr))
	require.NoError(f.t, f.k.AddProvider(f.ctx, owner, id, prov))
	return id, agentAddr
}

// cred signs a credential for the current height.
func (f *fixture) cred(agent uint64, action, value, target string, collateral int64, mut ...func(*types.Credential)) types.SignedCredential {
	f.nonce++
	h := f.ctx.BlockHeight()
	c := types.Credential{Subject: agent, IssuedHeight: h, ValidUntilHeight: h + 10, Action: action, Value: value, Target: target, Nonce: f.nonce,
		Data: types.AgentData{AgentValue: sdkmath.NewInt(collateral), CollateralValue: sdkmath.NewInt(collateral),
			ExpectedDailyFaultPenalties: sdkmath.ZeroInt(), ExpectedDailyRewards: sdkmath.ZeroInt(), Principal: sdkmath.ZeroInt(),
			LiveSectors: 10}}
	for _, m := range mut {
		m(&c)
	}
	sc, err := types.SignCredential(chainID, c, f.issuer)
	require.NoError(f.t, err)
	return sc
}

// chainSeen is what the chain sees agent hold in ugld, plus delta.
func (f *fixture) chainSeen(agent uint64, delta int64) int64 {
	res, err := f.q.ChainCollateral(f.ctx, &types.QueryChainCollateralRequest{AgentId: agent, Denom: "ugld"})
	require.NoError(f.t, err)
	return res.Total.Int64() + delta
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

func addrAcc(name string) sdk.AccAddress { return sdk.MustAccAddressFromBech32(addr(name)) }

func coins(n int64) sdk.Coins { return sdk.NewCoins(ugld(n)) }
