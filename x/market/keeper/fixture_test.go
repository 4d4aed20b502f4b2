package keeper_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/x/internal/modkit/kittest"
	"github.com/guild-network/guild/x/market/keeper"
	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// fakeBank moves coins between addresses and module accounts in memory.
type fakeBank struct{ balances map[string]sdk.Coins }

func (b *fakeBank) move(from, to sdk.AccAddress, amt sdk.Coins) error {
	have := b.balances[from.String()]
	left, neg := have.SafeSub(amt...)
	if neg {
		return fmt.Errorf("insufficient funds: %s < %s", have, amt)
	}
	b.balances[from.String()] = left
	b.balances[to.String()] = b.balances[to.String()].Add(amt...)
	return nil
}

func (b *fakeBank) SendCoinsFromAccountToModule(_ context.Context, from sdk.AccAddress, module string, amt sdk.Coins) error {
	return b.move(from, authtypes.NewModuleAddress(module), amt)
}

func (b *fakeBank) SendCoinsFromModuleToAccount(_ context.Context, module string, to sdk.AccAddress, amt sdk.Coins) error {
	return b.move(authtypes.NewModuleAddress(module), to, amt)
}

func (b *fakeBank) GetAllBalances(_ context.Context, addr sdk.AccAddress) sdk.Coins {
	return b.balances[addr.String()]
}

var communityPool = authtypes.NewModuleAddress("distribution")

type fakeDistr struct{ bank *fakeBank }

func (d fakeDistr) FundCommunityPool(_ context.Context, amt sdk.Coins, from sdk.AccAddress) error {
	return d.bank.move(from, communityPool, amt)
}

// fakeProvider is a minimal x/provider: offers on online nodes with unit counts.
type fakeProvider struct {
	providers map[string]providertypes.Provider
	nodes     map[uint64]providertypes.Node
	offers    map[uint64]providertypes.Offer
	outcomes  map[string][]providertypes.LeaseOutcome
	slashed   map[uint64]uint32 // bps slashed per node, summed
	slashes   map[uint64]int    // number of slashes per node
	incidents map[uint64]int    // number of suspensions per node
	earned    map[string]sdk.Coins
}

var errNotFound = errorsmod.Register("fakeprovider", 2, "not found")

func (p *fakeProvider) GetProvider(_ context.Context, addr string) (providertypes.Provider, error) {
	v, ok := p.providers[addr]
	if !ok { // as x/provider: its registered not-found error, with the gRPC NotFound code
		return v, errorsmod.Wrapf(providertypes.ErrProviderNotFound, "provider %s", addr)
	}
	return v, nil
}

func (p *fakeProvider) GetNode(_ context.Context, id uint64) (providertypes.Node, error) {
	v, ok := p.nodes[id]
	if !ok {
		return v, errorsmod.Wrapf(errNotFound, "node %d", id)
	}
	return v, nil
}

func (p *fakeProvider) GetOffer(_ context.Context, id uint64) (providertypes.Offer, error) {
	v, ok := p.offers[id]
	if !ok {
		return v, errorsmod.Wrapf(errNotFound, "offer %d", id)
	}
	return v, nil
}

var errNoCapacity = errorsmod.Register("fakeprovider", 3, "no capacity")

func (p *fakeProvider) ReserveUnits(_ context.Context, offerID, units uint64) (providertypes.Offer, providertypes.Node, error) {
	o, ok := p.offers[offerID]
	if !ok {
		return o, providertypes.Node{}, errorsmod.Wrapf(errNotFound, "offer %d", offerID)
	}
	if p.nodes[o.NodeId].Suspended { // as x/provider's bookable check
		return o, providertypes.Node{}, errorsmod.Wrapf(providertypes.ErrNodeSuspended, "node %d", o.NodeId)
	}
	if !o.Active || o.UnitsBooked+units > o.UnitsTotal {
		return o, providertypes.Node{}, errorsmod.Wrapf(errNoCapacity, "offer %d: %d of %d booked", offerID, o.UnitsBooked, o.UnitsTotal)
	}
	n := p.nodes[o.NodeId]
	before := o
	o.UnitsBooked += units
	p.offers[offerID] = o
	n.LiveLeases++
	p.nodes[n.Id] = n
	return before, n, nil
}

func (p *fakeProvider) ReleaseUnits(_ context.Context, offerID, units uint64) error {
	o := p.offers[offerID]
	if o.UnitsBooked < units {
		return fmt.Errorf("release %d of %d", units, o.UnitsBooked)
	}
	o.UnitsBooked -= units
	p.offers[offerID] = o
	n := p.nodes[o.NodeId]
	n.LiveLeases--
	p.nodes[n.Id] = n
	return nil
}

func (p *fakeProvider) RecordOutcome(_ context.Context, provider string, o providertypes.LeaseOutcome) error {
	p.outcomes[provider] = append(p.outcomes[provider], o)
	return nil
}

func (p *fakeProvider) AddEarnings(_ context.Context, provider string, c sdk.Coin) error {
	p.earned[provider] = p.earned[provider].Add(c)
	return nil
}

func (p *fakeProvider) SuspendNode(_ context.Context, node uint64, reason string) (bool, error) {
	n, ok := p.nodes[node]
	if !ok {
		return false, errorsmod.Wrapf(errNotFound, "node %d", node)
	}
	if n.Suspended {
		return false, nil
	}
	n.Suspended, n.SuspendReason = true, reason
	p.nodes[node] = n
	p.incidents[node]++
	return true, nil
}

func (p *fakeProvider) SlashBond(_ context.Context, node uint64, bps uint32, _ string) (sdk.Coin, error) {
	p.slashed[node] += bps
	p.slashes[node]++
	return sdk.NewInt64Coin("ugld", 0), nil
}

func (p *fakeProvider) IsController(_ context.Context, provider, addr string) (bool, error) {
	v, ok := p.providers[provider]
	if !ok {
		return false, errorsmod.Wrapf(errNotFound, "provider %s", provider)
	}
	return v.Owner == addr || v.Operator == addr, nil
}

type fixture struct {
	t      *testing.T
	key    *storetypes.KVStoreKey
	cms    storetypes.CommitMultiStore
	ctx    sdk.Context
	k      keeper.Keeper
	msg    types.MsgServer
	q      types.QueryServer
	bank   *fakeBank
	prov   *fakeProvider
	gov    string
	params types.Params
}

func addr(name string) string { return sdk.AccAddress([]byte(fmt.Sprintf("%-20s", name))).String() }

func newFixture(t *testing.T) *fixture {
	app.SetAddressPrefixes()
	key := storetypes.NewKVStoreKey(types.StoreKey)
	tctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("t"))
	ctx := tctx.Ctx.WithBlockHeader(cmtproto.Header{Height: 1, Time: time.Unix(1_000_000, 0)})
	enc := moduletestutil.MakeTestEncodingConfig()
	bank := &fakeBank{balances: map[string]sdk.Coins{}}
	prov := &fakeProvider{
		providers: map[string]providertypes.Provider{}, nodes: map[uint64]providertypes.Node{},
		offers: map[uint64]providertypes.Offer{}, outcomes: map[string][]providertypes.LeaseOutcome{},
		slashed: map[uint64]uint32{}, slashes: map[uint64]int{}, incidents: map[uint64]int{}, earned: map[string]sdk.Coins{},
	}
	gov := authtypes.NewModuleAddress("gov").String()
	k := keeper.NewKeeper(enc.Codec, runtime.NewKVStoreService(key), gov, prov, bank, fakeDistr{bank})
	params := types.DefaultParams()
	params.MinCover = 100 // seconds: small numbers keep the arithmetic readable
	params.GracePeriod = 50
	params.DeployTimeout = 30
	params.ProviderNotice = 20
	require.NoError(t, k.InitGenesis(ctx, types.GenesisState{Params: params, NextLeaseId: 1}))
	f := &fixture{t: t, key: key, cms: tctx.CMS, ctx: ctx, k: k, msg: keeper.NewMsgServerImpl(k), q: keeper.NewQueryServerImpl(k),
		bank: bank, prov: prov, gov: gov, params: params}
	// One provider with one online node (account "node-1") and two offers in uusdc.
	f.addProvider("prov", 1, addr("node-1"))
	f.addOffer(1, "prov", 1, "2", 10)    // 2 uusdc per unit per second
	f.addOffer(2, "prov", 1, "0.75", 10) // fractional price
	return f
}

func (f *fixture) addProvider(name string, node uint64, nodeAccount string) {
	p := addr(name)
	f.prov.providers[p] = providertypes.Provider{Address: p, Owner: p, Operator: p, Beneficiary: addr(name + "-pay")}
	f.prov.nodes[node] = providertypes.Node{Id: node, Provider: p, Account: nodeAccount, Status: providertypes.NODE_STATUS_ONLINE}
}

func (f *fixture) addOffer(id uint64, provider string, node uint64, price string, units uint64) {
	f.prov.offers[id] = providertypes.Offer{
		Id: id, Provider: addr(provider), NodeId: node, Kind: providertypes.OFFER_KIND_VM,
		Price: sdk.NewDecCoinFromDec("uusdc", sdkmath.LegacyMustNewDecFromStr(price)), UnitsTotal: units, Active: true,
	}
}

func (f *fixture) fund(who string, amount int64) {
	f.bank.balances[addr(who)] = f.bank.balances[addr(who)].Add(sdk.NewInt64Coin("uusdc", amount))
}

func (f *fixture) balance(a string) int64 { return f.bank.balances[a].AmountOf("uusdc").Int64() }

// advance moves block time forward and runs the end-blocker, as a block would.
func (f *fixture) advance(secs int64) {
	f.ctx = f.ctx.WithBlockTime(f.ctx.BlockTime().Add(time.Duration(secs) * time.Second)).
		WithBlockHeight(f.ctx.BlockHeight() + 1).WithEventManager(sdk.NewEventManager())
	require.NoError(f.t, f.k.EndBlocker(f.ctx))
	f.invariants()
}

// commit writes the working state to the database, as the end of a block does; IAVL keeps
// uncommitted writes in a tree whose iterators re-sort them, so long setups commit now and then.
func (f *fixture) commit() {
	f.cms.Commit()
}

func (f *fixture) invariants() {
	f.t.Helper()
	require.NoError(f.t, f.k.CheckInvariants(f.ctx))
}

func (f *fixture) deposit(who string, amount int64) error {
	_, err := f.msg.Deposit(f.ctx, &types.MsgDeposit{Tenant: addr(who), Amount: sdk.NewInt64Coin("uusdc", amount)})
	return err
}

var hash = make([]byte, 32)

func (f *fixture) book(who string, offer, units uint64) (uint64, error) {
	res, err := f.msg.Book(f.ctx, &types.MsgBook{Tenant: addr(who), OfferId: offer, Units: units,
		DeploymentHash: hash, DeploymentData: `{"size":"1GiB"}`})
	if err != nil {
		return 0, err
	}
	return res.LeaseId, nil
}

func (f *fixture) report(node string, lease uint64, result types.DeploymentResult) error {
	_, err := f.msg.ReportDeployment(f.ctx, &types.MsgReportDeployment{NodeAccount: addr(node), LeaseId: lease, Result: result, Info: "vol-1"})
	return err
}

func (f *fixture) lease(id uint64) types.Lease {
	l, err := f.k.GetLease(f.ctx, id)
	require.NoError(f.t, err)
	return l
}

func (f *fixture) account(who string) types.AccountView {
	res, err := f.q.Account(f.ctx, &types.QueryAccountRequest{Tenant: addr(who)})
	require.NoError(f.t, err)
	require.Len(f.t, res.Accounts, 1)
	return res.Accounts[0]
}

// checker binds kittest's assertions to the fixture: a refused call must leave the whole module
// state (every collection; indexes and queues are derived from it and checked by the
// invariants), every balance, the provider fake and the events unchanged.
func (f *fixture) checker() kittest.Checker {
	return kittest.Checker{
		T:   f.t,
		Ctx: &f.ctx,
		Snapshot: func() any {
			g, err := f.k.ExportGenesis(f.ctx)
			require.NoError(f.t, err)
			return struct {
				State    string
				Balances string
				Provider string
			}{g.String(), fmt.Sprint(f.bank.balances), fmt.Sprint(f.prov.offers, f.prov.nodes, f.prov.outcomes, f.prov.slashed, f.prov.earned)}
		},
		Invariants: func() error { return f.k.CheckInvariants(f.ctx) },
	}
}

// ok runs fn with kittest's Checker: it succeeds, the invariants hold, and the events include
// want in order.
func (f *fixture) ok(fn func() error, want ...any) []string {
	f.t.Helper()
	return f.checker().OK(func(sdk.Context) error { return fn() }, want...)
}

// fails runs fn with kittest's Checker: it fails with want and changes nothing.
func (f *fixture) fails(want error, fn func() error) {
	f.t.Helper()
	f.checker().Fails(want, func(sdk.Context) error { return fn() })
}

// resume is the operator bringing a suspended node back (x/provider's UpdateNode ONLINE).
func (f *fixture) resume(node uint64) {
	n := f.prov.nodes[node]
	n.Suspended, n.SuspendReason = false, ""
	f.prov.nodes[node] = n
}
