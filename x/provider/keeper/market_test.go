package keeper_test

import (
	"context"
	"math"
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/keeper"
	"github.com/guild-network/guild/x/provider/types"
)

func reserve(f *fixture, offer, units uint64) func() error {
	return func() error { _, _, err := f.k.ReserveUnits(f.ctx, offer, units); return err }
}

func release(f *fixture, offer, units uint64) func() error {
	return func() error { return f.k.ReleaseUnits(f.ctx, offer, units) }
}

func TestReserveAndReleaseUnits(t *testing.T) {
	f := setup(t)
	f.register()
	node := f.addNode(1, stdBond)
	offer := f.addOffer(node, 8) // 8 units of 1 core: only 4 fit at once

	em := f.newEvents()
	o, n, err := f.k.ReserveUnits(f.ctx, offer, 3)
	require.NoError(t, err)
	require.Equal(t, []string{"guild.provider.v1.EventUnitsChanged"}, eventTypes(em))
	f.checkInvariants()
	require.Zero(t, o.UnitsBooked, "returns the offer before the change")
	require.Zero(t, n.LiveLeases, "returns the node before the change")
	require.True(t, n.Reserved.IsZero())
	require.Equal(t, uint64(3), f.offer(offer).UnitsBooked)
	require.Equal(t, uint64(1), f.node(node).LiveLeases)
	require.Equal(t, types.Resources{CpuMilli: 3000, MemoryBytes: 6 * gib, StorageBytes: 30 * gib}, f.node(node).Reserved)

	// The node's capacity, not the offer's units, is the limit now.
	f.fails(types.ErrInsufficientCapacity, reserve(f, offer, 2))
	o, n, err = f.k.ReserveUnits(f.ctx, offer, 1)
	require.NoError(t, err)
	require.Equal(t, uint64(3), o.UnitsBooked)
	require.Equal(t, uint64(1), n.LiveLeases)
	require.Equal(t, types.Resources{CpuMilli: 4000, MemoryBytes: 8 * gib, StorageBytes: 40 * gib}, f.node(node).Reserved, "CPU and memory fully reserved")
	require.Equal(t, uint64(2), f.node(node).LiveLeases)
	f.fails(types.ErrInsufficientCapacity, reserve(f, offer, 1))

	// A second offer on the same node shares the capacity: 60 GiB of storage are left.
	volume := f.addOfferOf(node, types.OFFER_KIND_VOLUME, types.Resources{StorageBytes: 61 * gib}, 1)
	f.fails(types.ErrInsufficientCapacity, reserve(f, volume, 1))

	// Release gives the units and the capacity back.
	f.ok(release(f, offer, 3))
	require.Equal(t, uint64(1), f.offer(offer).UnitsBooked)
	require.Equal(t, uint64(1), f.node(node).LiveLeases)
	require.Equal(t, types.Resources{CpuMilli: 1000, MemoryBytes: 2 * gib, StorageBytes: 10 * gib}, f.node(node).Reserved)
	f.ok(reserve(f, volume, 1))
	f.fails(types.ErrInvalidUnits, release(f, offer, 2)) // more than booked
	f.fails(types.ErrInvalidUnits, release(f, offer, 0))
	f.fails(types.ErrOfferNotFound, release(f, 99, 1))
	f.ok(release(f, offer, 1))
	f.ok(release(f, volume, 1))
	require.True(t, f.node(node).Reserved.IsZero())
	require.Zero(t, f.node(node).LiveLeases)
	f.fails(types.ErrInvalidUnits, release(f, offer, 1))
}

func (f *fixture) addOfferOf(node uint64, kind types.OfferKind, unit types.Resources, units uint64) uint64 {
	f.t.Helper()
	var id uint64
	f.ok(func() error {
		res, err := f.msg.AddOffer(f.ctx, &types.MsgAddOffer{Signer: owner, NodeId: node, Kind: kind, Resources: unit, Price: usdc("0.5"), Units: units})
		if err == nil {
			id = res.OfferId
		}
		return err
	})
	return id
}

func TestReserveUnitsRefusals(t *testing.T) {
	f := setup(t)
	f.register()
	node := f.addNode(1, stdBond)
	offer := f.addOffer(node, 2)

	f.fails(types.ErrInvalidUnits, reserve(f, offer, 0))
	f.fails(types.ErrOfferNotFound, reserve(f, 99, 1))
	f.fails(types.ErrInsufficientUnits, reserve(f, offer, 3))
	f.fails(types.ErrInsufficientUnits, reserve(f, offer, math.MaxUint64))

	t.Run("inactive offer", func(t *testing.T) {
		f.ok(func() error { return f.k.UpdateOffer(f.ctx, owner, offer, usdc("0.001"), 2, false) })
		f.fails(types.ErrOfferInactive, reserve(f, offer, 1))
		f.ok(func() error { return f.k.UpdateOffer(f.ctx, owner, offer, usdc("0.001"), 2, true) })
	})
	for _, s := range []types.NodeStatus{types.NODE_STATUS_STANDBY, types.NODE_STATUS_OFFLINE} {
		t.Run("node "+s.String(), func(t *testing.T) {
			f.ok(func() error { return f.k.UpdateNode(f.ctx, owner, node, types.Resources{}, s) })
			f.fails(types.ErrNodeNotOnline, reserve(f, offer, 1))
			f.ok(func() error { return f.k.UpdateNode(f.ctx, owner, node, types.Resources{}, types.NODE_STATUS_ONLINE) })
		})
	}
	t.Run("heartbeat timeout", func(t *testing.T) {
		// Never sent a heartbeat: the time it was added counts.
		f.at(600)
		f.ok(reserve(f, offer, 1))
		f.ok(release(f, offer, 1))
		f.at(601)
		f.fails(types.ErrNodeNotOnline, reserve(f, offer, 1))
		f.ok(func() error { return f.k.Heartbeat(f.ctx, nodeAccount(t, 1), node) })
		f.ok(reserve(f, offer, 1))
		f.ok(release(f, offer, 1))
		f.at(601 + 601)
		f.fails(types.ErrNodeNotOnline, reserve(f, offer, 1))
		f.ok(func() error { return f.k.Heartbeat(f.ctx, nodeAccount(t, 1), node) })
	})
	t.Run("under-bonded", func(t *testing.T) {
		f.ok(func() error { return f.k.WithdrawBond(f.ctx, owner, node, ugld(1)) })
		f.fails(types.ErrInsufficientBond, reserve(f, offer, 1))
		f.ok(func() error { return f.k.DepositBond(f.ctx, funder, node, ugld(1)) })
		f.ok(reserve(f, offer, 1))
		f.ok(release(f, offer, 1))
		// A bigger node needs more bond.
		f.ok(func() error {
			return f.k.UpdateNode(f.ctx, owner, node, types.Resources{CpuMilli: 4000, MemoryBytes: 8 * gib, StorageBytes: 100 * gib, Gpus: 1}, 0)
		})
		f.fails(types.ErrInsufficientBond, reserve(f, offer, 1))
		f.ok(func() error { return f.k.DepositBond(f.ctx, funder, node, ugld(10_000_000)) })
		f.ok(reserve(f, offer, 1))
		f.ok(release(f, offer, 1))
	})
	t.Run("bond in an old denom", func(t *testing.T) {
		params := types.DefaultParams()
		params.BondDenom = "ustake"
		f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, params) })
		f.fails(types.ErrInsufficientBond, reserve(f, offer, 1))
		f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, types.DefaultParams()) })
	})
	t.Run("zero bond rates need no bond", func(t *testing.T) {
		params := types.DefaultParams()
		params.BondPerCpuCore, params.BondPerGibMemory = sdkmath.ZeroInt(), sdkmath.ZeroInt()
		params.BondPerGibStorage, params.BondPerGpu = sdkmath.ZeroInt(), sdkmath.ZeroInt()
		f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, params) })
		bare := f.addNode(2, 0)
		o := f.addOffer(bare, 1)
		f.ok(reserve(f, o, 1))
		f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, types.DefaultParams()) })
		f.fails(types.ErrInsufficientBond, reserve(f, f.addOffer(bare, 1), 1))
	})
}

func TestRecordOutcome(t *testing.T) {
	f := setup(t)
	f.register()
	for _, o := range []types.LeaseOutcome{
		types.LEASE_OUTCOME_COMPLETED, types.LEASE_OUTCOME_COMPLETED, types.LEASE_OUTCOME_COMPLETED,
		types.LEASE_OUTCOME_DEPLOY_FAILED, types.LEASE_OUTCOME_DEPLOY_TIMEOUT,
		types.LEASE_OUTCOME_MISBEHAVIOUR_REPORT, types.LEASE_OUTCOME_EARLY_CLOSE, types.LEASE_OUTCOME_EARLY_CLOSE,
	} {
		events := f.ok(func() error { return f.k.RecordOutcome(f.ctx, owner, o) })
		require.Equal(t, []string{"guild.provider.v1.EventReputationChanged"}, events)
	}
	r := f.provider(owner).Reputation
	require.Equal(t, types.Reputation{LeasesCompleted: 3, DeployFailures: 1, DeployTimeouts: 1, MisbehaviourReports: 1, EarlyCloses: 2}, r)
	// 1000 × 4 / (4 + 2 + 3 + 4 + 4) = 235
	res, err := f.q.Score(f.ctx, &types.QueryScoreRequest{Address: owner})
	require.NoError(t, err)
	require.Equal(t, uint32(235), res.Score)
	require.Equal(t, r, res.Reputation)

	f.fails(types.ErrInvalidOutcome, func() error { return f.k.RecordOutcome(f.ctx, owner, types.LEASE_OUTCOME_UNSPECIFIED) })
	f.fails(types.ErrInvalidOutcome, func() error { return f.k.RecordOutcome(f.ctx, owner, 42) })
	f.fails(types.ErrProviderNotFound, func() error { return f.k.RecordOutcome(f.ctx, stranger, types.LEASE_OUTCOME_COMPLETED) })
}

func TestAddEarnings(t *testing.T) {
	f := setup(t)
	f.register()
	events := f.ok(func() error { return f.k.AddEarnings(f.ctx, owner, sdk.NewInt64Coin("uusdc", 250)) })
	require.Equal(t, []string{"guild.provider.v1.EventReputationChanged"}, events)
	f.ok(func() error { return f.k.AddEarnings(f.ctx, owner, sdk.NewInt64Coin("uusdc", 50)) })
	f.ok(func() error { return f.k.AddEarnings(f.ctx, owner, ugld(7)) })
	events = f.ok(func() error { return f.k.AddEarnings(f.ctx, owner, ugld(0)) })
	require.Empty(t, events, "a zero amount changes nothing")
	require.Equal(t, "7ugld,300uusdc", f.provider(owner).Reputation.TotalEarned.String())

	f.fails(types.ErrInvalidAmount, func() error { return f.k.AddEarnings(f.ctx, owner, sdk.Coin{Denom: "uusdc"}) })
	f.fails(types.ErrInvalidAmount, func() error {
		return f.k.AddEarnings(f.ctx, owner, sdk.Coin{Denom: "uusdc", Amount: sdkmath.NewInt(-1)})
	})
	f.fails(types.ErrProviderNotFound, func() error { return f.k.AddEarnings(f.ctx, stranger, ugld(1)) })
}

func TestSlashBond(t *testing.T) {
	f := setup(t)
	f.register()
	node := f.addNode(1, stdBond)
	em := f.newEvents()
	slashed, err := f.k.SlashBond(f.ctx, node, 250, "deploy_timeout")
	require.NoError(t, err)
	f.checkInvariants()
	require.Equal(t, ugld(145_000), slashed)
	require.Equal(t, ugld(stdBond-145_000), f.node(node).Bond)
	require.Equal(t, "145000ugld", f.bank.community.String())
	require.Equal(t, transfer{moduleAddr, "", "145000ugld"}, f.bank.transfers[len(f.bank.transfers)-1])
	require.Equal(t, []string{"guild.provider.v1.EventBondChanged"}, eventTypes(em))
	require.Equal(t, `"-145000ugld"`, attribute(em.Events()[0], "delta"))
	require.Equal(t, `"deploy_timeout"`, attribute(em.Events()[0], "reason"))

	// Nothing to take: no transfer, no event, no error.
	em = f.newEvents()
	zero, err := f.k.SlashBond(f.ctx, node, 0, "none")
	require.NoError(t, err)
	require.True(t, zero.IsZero())
	require.Empty(t, em.Events())
	bare := f.addNode(2, 39)
	zero, err = f.k.SlashBond(f.ctx, bare, 250, "dust")
	require.NoError(t, err)
	require.True(t, zero.IsZero())
	require.Equal(t, ugld(39), f.node(bare).Bond)

	// 100% takes everything; the node then cannot be booked.
	offer := f.addOffer(node, 1)
	all, err := f.k.SlashBond(f.ctx, node, 10_000, "misbehaviour")
	require.NoError(t, err)
	require.Equal(t, ugld(stdBond-145_000), all)
	require.True(t, f.node(node).Bond.IsZero())
	f.fails(types.ErrInsufficientBond, reserve(f, offer, 1))

	f.fails(types.ErrInvalidSlash, func() error { _, err := f.k.SlashBond(f.ctx, bare, 10_001, "x"); return err })
	f.fails(types.ErrInvalidSlash, func() error {
		_, err := f.k.SlashBond(f.ctx, bare, 1, strings.Repeat("r", types.MaxReasonLength+1))
		return err
	})
	f.fails(types.ErrNodeNotFound, func() error { _, err := f.k.SlashBond(f.ctx, 99, 1, "x"); return err })
}

// The slash applies while leases are live, and a release afterwards still works.
func TestSlashBondWithLiveLease(t *testing.T) {
	f := setup(t)
	f.register()
	node := f.addNode(1, stdBond)
	offer := f.addOffer(node, 2)
	f.ok(reserve(f, offer, 1))
	_, err := f.k.SlashBond(f.ctx, node, 5_000, "report")
	require.NoError(t, err)
	f.checkInvariants()
	require.Equal(t, ugld(stdBond/2), f.node(node).Bond)
	f.fails(types.ErrInsufficientBond, reserve(f, offer, 1))
	f.ok(release(f, offer, 1))
}

func attribute(e sdk.Event, key string) string {
	for _, a := range e.Attributes {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// providerKeeper mirrors x/market's expected ProviderKeeper (x/market/types/expected_keepers.go):
// x/provider must not import x/market, so the check is a copy kept in step by hand.
type providerKeeper interface {
	GetProvider(ctx context.Context, address string) (types.Provider, error)
	GetNode(ctx context.Context, id uint64) (types.Node, error)
	GetOffer(ctx context.Context, id uint64) (types.Offer, error)
	ReserveUnits(ctx context.Context, offerID, units uint64) (types.Offer, types.Node, error)
	ReleaseUnits(ctx context.Context, offerID, units uint64) error
	RecordOutcome(ctx context.Context, provider string, outcome types.LeaseOutcome) error
	AddEarnings(ctx context.Context, provider string, amount sdk.Coin) error
	SlashBond(ctx context.Context, nodeID uint64, bps uint32, reason string) (sdk.Coin, error)
	IsController(ctx context.Context, provider, addr string) (bool, error)
}

var _ providerKeeper = keeper.Keeper{}
