package keeper_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	nftkeeper "github.com/cosmos/cosmos-sdk/contrib/x/nft/keeper"
	nftmodule "github.com/cosmos/cosmos-sdk/contrib/x/nft/module"
	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/store/v2"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"cosmossdk.io/core/address"

	"github.com/guild-network/guild/x/internal/modkit/kittest"
	markettypes "github.com/guild-network/guild/x/market/types"
	providerkeeper "github.com/guild-network/guild/x/provider/keeper"
	providermodule "github.com/guild-network/guild/x/provider/module"
	providertypes "github.com/guild-network/guild/x/provider/types"
	"github.com/guild-network/guild/x/vault/keeper"
	vaultmodule "github.com/guild-network/guild/x/vault/module"
	"github.com/guild-network/guild/x/vault/types"
)

func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	code := m.Run()
	if benchTmp != "" {
		_ = os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

const startTime = int64(1_700_000_000)

func addr(i int) string { return sdk.AccAddress(fmt.Appendf(nil, "vault-test-addr-%04d", i)).String() }

var (
	owner        = func() string { return addr(1) } // registers the provider, becomes the vault operator
	dataset      = func() string { return addr(2) }
	device       = func() string { return addr(3) }
	stranger     = func() string { return addr(4) }
	investor     = func(i int) string { return addr(10 + i) }
	tenantEscrow = authtypes.NewModuleAddress("market")
	community    = authtypes.NewModuleAddress("distribution")
)

// fakeBank keeps balances in memory for x/vault, x/provider and x/nft.
type fakeBank struct{ balances map[string]sdk.Coins }

func (b *fakeBank) move(from, to sdk.AccAddress, amt sdk.Coins) error {
	have := b.balances[from.String()]
	left, neg := have.SafeSub(amt...)
	if neg {
		return fmt.Errorf("insufficient funds: %s has %s, sends %s", from, have, amt)
	}
	b.balances[from.String()] = left
	b.balances[to.String()] = b.balances[to.String()].Add(amt...)
	return nil
}
func (b *fakeBank) SendCoins(_ context.Context, from, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(from, to, amt)
}
func (b *fakeBank) GetBalance(_ context.Context, a sdk.AccAddress, denom string) sdk.Coin {
	return sdk.NewCoin(denom, b.balances[a.String()].AmountOf(denom))
}
func (b *fakeBank) GetAllBalances(_ context.Context, a sdk.AccAddress) sdk.Coins {
	return b.balances[a.String()]
}
func (b *fakeBank) SpendableCoins(_ context.Context, a sdk.AccAddress) sdk.Coins {
	return b.balances[a.String()]
}
func (b *fakeBank) SendCoinsFromAccountToModule(_ context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error {
	return b.move(from, authtypes.NewModuleAddress(module), amt)
}
func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(authtypes.NewModuleAddress(module), to, amt)
}
func (b *fakeBank) FundCommunityPool(_ context.Context, amt sdk.Coins, from sdk.AccAddress) error {
	return b.move(from, community, amt)
}
func (b *fakeBank) mint(to string, amt sdk.Coins) {
	b.balances[to] = b.balances[to].Add(amt...)
}

// fakeAccounts is what x/nft needs of x/auth.
type fakeAccounts struct{}

func (fakeAccounts) GetModuleAddress(name string) sdk.AccAddress {
	return authtypes.NewModuleAddress(name)
}
func (fakeAccounts) GetAccount(context.Context, sdk.AccAddress) sdk.AccountI { return nil }
func (fakeAccounts) AddressCodec() address.Codec                             { return authcodec.NewBech32Codec("guild") }

// fakeMarket pays a provider's beneficiary what the test queued for it, as x/market's
// ClaimProvider does.
type fakeMarket struct {
	bank    *fakeBank
	prov    providerkeeper.Keeper
	pending map[string]sdk.Coins
	calls   int
}

func (m *fakeMarket) ClaimProvider(ctx context.Context, msg *markettypes.MsgClaimProvider) (*markettypes.MsgClaimProviderResponse, error) {
	m.calls++
	p, err := m.prov.GetProvider(ctx, msg.Provider)
	if err != nil {
		return nil, err
	}
	amt := m.pending[msg.Provider]
	delete(m.pending, msg.Provider)
	if !amt.IsZero() {
		if err := m.bank.move(tenantEscrow, sdk.MustAccAddressFromBech32(p.Beneficiary), amt); err != nil {
			return nil, err
		}
	}
	return &markettypes.MsgClaimProviderResponse{Paid: amt}, nil
}

type fixture struct {
	t      testing.TB
	ctx    sdk.Context
	k      keeper.Keeper
	msg    types.MsgServer
	q      types.QueryServer
	prov   providerkeeper.Keeper
	pmsg   providertypes.MsgServer
	nft    nftkeeper.Keeper
	bank   *fakeBank
	market *fakeMarket
	check  kittest.Checker
	nodeID uint64
	db     dbm.DB
	keys   map[string]*storetypes.KVStoreKey
}

func setup(t testing.TB) *fixture { return setupDB(t, dbm.NewMemDB()) }

// setupDB is setup over a given database (benchmarks use an on-disk one, as a node does).
func setupDB(t testing.TB, db dbm.DB) *fixture {
	t.Helper()
	keys := storetypes.NewKVStoreKeys(types.StoreKey, providertypes.StoreKey, nft.StoreKey)
	ctx := newContext(t, db, keys).WithBlockTime(time.Unix(startTime, 0)).WithBlockHeight(1)
	enc := moduletestutil.MakeTestEncodingConfig(vaultmodule.AppModuleBasic{}, providermodule.AppModuleBasic{}, nftmodule.AppModuleBasic{})
	bank := &fakeBank{balances: map[string]sdk.Coins{}}
	gov := authtypes.NewModuleAddress("gov").String()
	prov := providerkeeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[providertypes.StoreKey]), gov, bank, bank)
	nk := nftkeeper.NewKeeper(runtime.NewKVStoreService(keys[nft.StoreKey]), enc.Codec, fakeAccounts{}, bank)
	market := &fakeMarket{bank: bank, prov: prov, pending: map[string]sdk.Coins{}}
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(keys[types.StoreKey]), gov, bank, prov, nk, market)
	f := &fixture{t: t, ctx: ctx, k: k, msg: keeper.NewMsgServerImpl(k), q: keeper.NewQueryServerImpl(k),
		prov: prov, pmsg: providerkeeper.NewMsgServerImpl(prov), nft: nk, bank: bank, market: market, db: db, keys: keys}
	require.NoError(t, prov.InitGenesis(ctx, providertypes.DefaultGenesis()))
	require.NoError(t, k.InitGenesis(ctx, types.DefaultGenesis()))
	for i := 0; i < 40; i++ {
		bank.mint(addr(i), sdk.NewCoins(sdk.NewInt64Coin("ugld", 1_000_000_000_000), sdk.NewInt64Coin("uusdc", 1_000_000_000_000)))
	}
	bank.mint(tenantEscrow.String(), sdk.NewCoins(sdk.NewInt64Coin("uusdc", 1_000_000_000_000_000), sdk.NewInt64Coin("ugld", 1_000_000_000_000_000)))
	f.check = kittest.Checker{T: t, Ctx: &f.ctx, Snapshot: f.snapshot, Invariants: func() error { return f.k.CheckInvariants(f.ctx) }}
	// The provider with one node, bonded by its owner.
	require.NoError(t, prov.RegisterProvider(ctx, owner(), "acme", "https://acme.example", nil))
	pub := make([]byte, 32)
	pub[0] = 7
	id, _, err := prov.AddNode(ctx, owner(), owner(), pub, providertypes.Resources{CpuMilli: 1000}, sdk.NewInt64Coin("ugld", 1_000_000))
	require.NoError(t, err)
	f.nodeID = id
	return f
}

// snapshot is everything a refused call must leave as it was.
func (f *fixture) snapshot() any {
	g, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	pg, err := f.prov.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	balances := map[string]string{}
	for a, c := range f.bank.balances {
		balances[a] = c.String()
	}
	return []any{g, pg, balances, f.nft.ExportGenesis(f.ctx)}
}

func (f *fixture) advance(seconds int64) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(time.Duration(seconds) * time.Second)).WithBlockHeight(f.ctx.BlockHeight() + 1)
}

func defaultTerms() types.Terms {
	return types.Terms{
		OperatorFeeBps: 1000, DatasetFeeBps: 300, DatasetRecipient: dataset(), DeviceFeeBps: 200, DeviceRecipient: device(),
		MinDeposit: sdkmath.NewInt(1_000), DepositCap: sdkmath.NewInt(1_000_000_000_000), LockPeriod: 1000,
		EarlyExitFeeBps: 500, LiquidityReserveBps: 2000,
	}
}

func defaultGov() types.Governance {
	return types.Governance{QuorumBps: 3000, ThresholdBps: 5000, VotingPeriod: 100}
}

// vault creates a vault for the fixture's provider and takes it into custody.
func (f *fixture) vault(terms types.Terms) types.Vault {
	f.t.Helper()
	v, err := f.k.CreateVault(f.ctx, owner(), owner(), terms, defaultGov())
	require.NoError(f.t, err)
	require.NoError(f.t, f.prov.ProposeOwner(f.ctx, owner(), owner(), v.Account))
	f.check.OK(func(ctx sdk.Context) error { return f.k.AcceptCustody(ctx, owner(), v.Id) }, &types.EventCustodyAccepted{})
	v, err = f.k.GetVault(f.ctx, v.Id)
	require.NoError(f.t, err)
	return v
}

func (f *fixture) deposit(who string, vaultID uint64, amount int64) types.Position {
	f.t.Helper()
	var p types.Position
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		p, err = f.k.Deposit(ctx, who, vaultID, sdk.NewInt64Coin("ugld", amount))
		return err
	}, &types.EventDeposited{})
	return p
}

func (f *fixture) getVault(id uint64) types.Vault {
	v, err := f.k.GetVault(f.ctx, id)
	require.NoError(f.t, err)
	return v
}

func (f *fixture) position(id uint64) types.Position {
	p, err := f.k.GetPosition(f.ctx, id)
	require.NoError(f.t, err)
	return p
}

func (f *fixture) balance(a, denom string) int64 {
	return f.bank.balances[a].AmountOf(denom).Int64()
}

// pay sends a market payout to the vault account as x/market would (a plain send).
func (f *fixture) pay(v types.Vault, amt sdk.Coin) {
	require.NoError(f.t, f.bank.move(tenantEscrow, sdk.MustAccAddressFromBech32(v.Account), sdk.NewCoins(amt)))
}

func (f *fixture) claim(who string, pos uint64) sdk.Coins {
	f.t.Helper()
	var paid sdk.Coins
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		paid, err = f.k.Claim(ctx, who, pos)
		return err
	}, &types.EventClaimed{})
	return paid
}

func (f *fixture) harvest(id uint64) sdk.Coins {
	f.t.Helper()
	var booked sdk.Coins
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		booked, err = f.k.Harvest(ctx, id, true)
		return err
	})
	return booked
}

// commit commits the stores, as the chain does at the end of a block, and reopens them from the
// database, as a restarted node would: nothing of the trees stays in memory but what reads load.
func (f *fixture) commit() {
	cms, ok := f.ctx.MultiStore().(storetypes.CommitMultiStore)
	require.True(f.t, ok)
	cms.Commit()
	f.ctx = f.ctx.WithMultiStore(newContext(f.t, f.db, f.keys).MultiStore())
}

// newContext mounts each store in its own prefix of one database, so that the stores
// can be committed (the SDK's testutil mounts them all on the raw database).
func newContext(t testing.TB, db dbm.DB, keys map[string]*storetypes.KVStoreKey) sdk.Context {
	cms := store.NewCommitMultiStore(db, log.NewNopLogger())
	for _, key := range keys {
		cms.MountStoreWithDB(key, storetypes.StoreTypeIAVL, nil)
	}
	require.NoError(t, cms.LoadLatestVersion())
	return sdk.NewContext(cms, cmtproto.Header{}, false, log.NewNopLogger())
}
