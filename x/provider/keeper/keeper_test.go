package keeper_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdkcodec "github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/x/internal/modkit/kittest"
	"github.com/guild-network/guild/x/provider/keeper"
	providermodule "github.com/guild-network/guild/x/provider/module"
	"github.com/guild-network/guild/x/provider/types"
)

// TestMain installs the chain's bech32 prefix, as the binary does at start.
func TestMain(m *testing.M) {
	sdk.GetConfig().SetBech32PrefixForAccount("guild", "guildpub")
	owner, operator, stranger, newOwner, funder = addr(1), addr(2), addr(3), addr(4), addr(5)
	moduleAddr = authtypes.NewModuleAddress(types.ModuleName).String()
	os.Exit(m.Run())
}

// startTime is the block time of a fresh fixture.
const startTime = int64(1_700_000_000)

// moduleAddr is the provider module account (set in TestMain, after the prefix).
var moduleAddr string

// fixture is a keeper on an in-memory store with fake bank and distribution keepers.
type fixture struct {
	t         *testing.T
	ctx       sdk.Context
	k         keeper.Keeper
	msg       types.MsgServer
	q         types.QueryServer
	bank      *fakeBank
	authority string
	key       *storetypes.KVStoreKey
	cdc       sdkcodec.BinaryCodec
}

func setup(t *testing.T) *fixture {
	t.Helper()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tc := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test"))
	enc := moduletestutil.MakeTestEncodingConfig(providermodule.AppModuleBasic{})
	bank := newFakeBank()
	authority := authtypes.NewModuleAddress("gov").String()
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), authority, bank, bank)
	f := &fixture{
		t: t, ctx: tc.Ctx.WithBlockTime(time.Unix(startTime, 0)), k: k,
		msg: keeper.NewMsgServerImpl(k), q: keeper.NewQueryServerImpl(k), bank: bank, authority: authority, key: key, cdc: enc.Codec,
	}
	require.NoError(t, k.InitGenesis(f.ctx, types.DefaultGenesis()))
	return f
}

// at moves the block time to startTime + seconds.
func (f *fixture) at(seconds int64) {
	f.ctx = f.ctx.WithBlockTime(time.Unix(startTime+seconds, 0))
}

// newEvents gives the context a fresh event manager and returns it.
func (f *fixture) newEvents() *sdk.EventManager {
	em := sdk.NewEventManager()
	f.ctx = f.ctx.WithEventManager(em)
	return em
}

// eventTypes lists the types of the events emitted since newEvents.
func eventTypes(em *sdk.EventManager) []string {
	var out []string
	for _, e := range em.Events() {
		out = append(out, e.Type)
	}
	return out
}

// export returns the whole module state.
func (f *fixture) export() *types.GenesisState {
	f.t.Helper()
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(f.t, err)
	return gs
}

// checkInvariants validates the exported state (the module's invariants) and checks that the
// module account holds exactly the sum of the node bonds.
func (f *fixture) checkInvariants() {
	f.t.Helper()
	gs := f.export()
	require.NoError(f.t, gs.Validate())
	require.NoError(f.t, f.k.CheckInvariants(f.ctx), "keeper invariants (every index both ways)")
	bonds := sdk.NewCoins()
	for _, n := range gs.Nodes {
		bonds = bonds.Add(n.Bond)
	}
	require.Equal(f.t, bonds.String(), f.bank.balance(moduleAddr).String(), "module account vs bonds")
	// The available index holds exactly the active offers with free units.
	want := []uint64{}
	for _, o := range gs.Offers {
		if o.Active && o.UnitsBooked < o.UnitsTotal {
			want = append(want, o.Id)
		}
	}
	got, err := f.k.AvailableOfferIDs(f.ctx)
	require.NoError(f.t, err)
	slices.Sort(got)
	require.Equal(f.t, want, got, "available index")
}

// checker binds kittest's assertions to the fixture: the snapshot a refused call must leave
// unchanged is the whole module state, every balance and the number of transfers.
func (f *fixture) checker() kittest.Checker {
	return kittest.Checker{
		T:   f.t,
		Ctx: &f.ctx,
		Snapshot: func() any {
			return struct {
				State     *types.GenesisState
				Balances  any
				Transfers int
			}{f.export(), f.bank.snapshot(), len(f.bank.transfers)}
		},
		Invariants: func() error { f.checkInvariants(); return nil },
	}
}

// ok runs fn, requires success, checks the invariants and returns the emitted event types.
func (f *fixture) ok(fn func() error) []string {
	f.t.Helper()
	return f.checker().OK(func(sdk.Context) error { return fn() })
}

// fails runs fn and requires that it fails with want and changes nothing: the same state,
// balances and transfers, and no event.
func (f *fixture) fails(want error, fn func() error) {
	f.t.Helper()
	f.checker().Fails(want, func(sdk.Context) error { return fn() })
}

func addr(seed byte) string {
	b := make([]byte, 20)
	for i := range b {
		b[i] = seed
	}
	return sdk.AccAddress(b).String()
}

func pubKey(seed byte) []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = seed*7 + byte(i)
	}
	return b
}

func nodeAccount(t *testing.T, seed byte) string {
	a, err := types.NodeAccount(pubKey(seed))
	require.NoError(t, err)
	return a
}

func ugld(n int64) sdk.Coin { return sdk.NewInt64Coin("ugld", n) }

func usdc(s string) sdk.DecCoin {
	return sdk.NewDecCoinFromDec("uusdc", sdkmath.LegacyMustNewDecFromStr(s))
}

const gib = uint64(1) << 30

// A standard node: 4 cores, 8 GiB, 100 GiB; it needs 5_800_000ugld of bond.
var (
	stdCapacity = types.Resources{CpuMilli: 4000, MemoryBytes: 8 * gib, StorageBytes: 100 * gib}
	stdBond     = int64(5_800_000)
	stdUnit     = types.Resources{CpuMilli: 1000, MemoryBytes: 2 * gib, StorageBytes: 10 * gib}
)

// Actors, set in TestMain once the address prefix is installed.
var owner, operator, stranger, newOwner, funder string

// register registers owner as a provider and funds owner, operator and funder.
func (f *fixture) register() {
	f.t.Helper()
	for _, a := range []string{owner, operator, stranger, newOwner, funder} {
		f.bank.fund(a, sdk.NewCoins(ugld(1_000_000_000)))
	}
	f.ok(func() error {
		_, err := f.msg.RegisterProvider(f.ctx, &types.MsgRegisterProvider{Creator: owner, Moniker: "acme", HostUri: "https://acme.example"})
		return err
	})
}

// addNode adds a standard node with the given key seed and bond, signed by owner.
func (f *fixture) addNode(seed byte, bond int64) uint64 {
	f.t.Helper()
	var id uint64
	f.ok(func() error {
		res, err := f.msg.AddNode(f.ctx, &types.MsgAddNode{Signer: owner, Provider: owner, PubKey: pubKey(seed), Capacity: stdCapacity, Bond: ugld(bond)})
		if err == nil {
			id = res.NodeId
		}
		return err
	})
	return id
}

// addOffer adds a VM offer of stdUnit at 0.001uusdc with the given units.
func (f *fixture) addOffer(node, units uint64) uint64 {
	f.t.Helper()
	var id uint64
	f.ok(func() error {
		res, err := f.msg.AddOffer(f.ctx, &types.MsgAddOffer{Signer: owner, NodeId: node, Kind: types.OFFER_KIND_VM, Resources: stdUnit, Price: usdc("0.001"), Units: units})
		if err == nil {
			id = res.OfferId
		}
		return err
	})
	return id
}

func (f *fixture) node(id uint64) types.Node {
	f.t.Helper()
	n, err := f.k.GetNode(f.ctx, id)
	require.NoError(f.t, err)
	return n
}

func (f *fixture) offer(id uint64) types.Offer {
	f.t.Helper()
	o, err := f.k.GetOffer(f.ctx, id)
	require.NoError(f.t, err)
	return o
}

func (f *fixture) provider(a string) types.Provider {
	f.t.Helper()
	p, err := f.k.GetProvider(f.ctx, a)
	require.NoError(f.t, err)
	return p
}

// transfer is one movement of coins through the fake keepers.
type transfer struct {
	from, to string
	amount   string
}

// fakeBank is an in-memory bank and distribution keeper that records every transfer.
type fakeBank struct {
	balances  map[string]sdk.Coins
	transfers []transfer
	community sdk.Coins
}

func newFakeBank() *fakeBank { return &fakeBank{balances: map[string]sdk.Coins{}} }

func (b *fakeBank) fund(a string, c sdk.Coins) { b.balances[a] = b.balances[a].Add(c...) }

func (b *fakeBank) balance(a string) sdk.Coins { return b.balances[a] }

func (b *fakeBank) snapshot() []string {
	var out []string
	for a, c := range b.balances {
		out = append(out, a+"="+c.String())
	}
	slices.Sort(out)
	return append(out, "community="+b.community.String())
}

func (b *fakeBank) move(from, to string, amt sdk.Coins) error {
	bal, neg := b.balances[from].SafeSub(amt...)
	if neg {
		return errInsufficientFunds
	}
	b.balances[from] = bal
	if to != "" {
		b.balances[to] = b.balances[to].Add(amt...)
	}
	b.transfers = append(b.transfers, transfer{from, to, amt.String()})
	return nil
}

func (b *fakeBank) SendCoinsFromAccountToModule(_ context.Context, sender sdk.AccAddress, module string, amt sdk.Coins) error {
	return b.move(sender.String(), authtypes.NewModuleAddress(module).String(), amt)
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, module string, recipient sdk.AccAddress, amt sdk.Coins) error {
	return b.move(authtypes.NewModuleAddress(module).String(), recipient.String(), amt)
}

func (b *fakeBank) FundCommunityPool(_ context.Context, amount sdk.Coins, sender sdk.AccAddress) error {
	if err := b.move(sender.String(), "", amount); err != nil {
		return err
	}
	b.community = b.community.Add(amount...)
	return nil
}

var errInsufficientFunds = sdkerrors.ErrInsufficientFunds
