package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/market/types"
)

// TestProviderEarnings follows a provider's unclaimed earnings through billing, a claim, a
// tenant running out before the end blocker sees it, grace and close: the aggregate is exact
// while every tenant is funded, never counts past the earliest funded_until, and a claim always
// pays at least the net figure.
func TestProviderEarnings(t *testing.T) {
	f := newFixture(t)
	prov := addr("prov")
	earnings := func() types.Earnings {
		e, err := f.k.ProviderEarnings(f.ctx, prov, "uusdc")
		require.NoError(t, err)
		return e
	}
	dec := sdkmath.LegacyMustNewDecFromStr
	e := earnings()
	require.True(t, e.Gross.IsZero())
	require.Zero(t, e.LiveLeases)

	f.fund("t1", 10_000)
	require.NoError(t, f.deposit("t1", 10_000))
	l1, err := f.book("t1", 1, 1) // 2 uusdc/s
	require.NoError(t, err)
	e = earnings()
	require.Equal(t, uint64(1), e.LiveLeases, "a PENDING lease is live (claim pages count it)")
	require.True(t, e.Gross.IsZero(), "nothing is billed before deployment")
	require.NoError(t, f.report("node-1", l1, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.advance(100)
	e = earnings()
	require.Equal(t, dec("200"), e.Gross, "2/s for 100 s, exactly")
	require.Equal(t, int64(188), e.Net.Int64(), "floor((200 − 1) × 0.95) − 1")
	require.Equal(t, uint64(1), e.ClaimPages)

	before := f.balance(addr("prov-pay"))
	_, err = f.msg.ClaimProvider(f.ctx, &types.MsgClaimProvider{Sender: addr("anyone"), Provider: prov})
	require.NoError(t, err)
	require.Equal(t, int64(190), f.balance(addr("prov-pay"))-before, "200 less the 5% fee")
	require.True(t, earnings().Gross.IsZero(), "claimed")

	// A second tenant with just the cover: 200 at 1.5/s lasts 133 s.
	f.fund("t2", 200)
	require.NoError(t, f.deposit("t2", 200))
	l2, err := f.book("t2", 2, 2) // 0.75 × 2 = 1.5 uusdc/s
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", l2, types.DEPLOYMENT_RESULT_DEPLOYED))
	t1 := f.ctx.BlockTime()
	// 200 s pass before any end blocker runs: t2 ran out at +133 and nobody has seen it yet.
	f.ctx = f.ctx.WithBlockTime(t1.Add(200 * time.Second))
	e = earnings()
	require.Equal(t, dec("465.5"), e.Gross, "both leases counted only up to t2's funded_until: (2 + 1.5) × 133")
	require.Equal(t, uint64(2), e.LiveLeases)

	f.advance(1) // the end blocker pops t2: lease 2 is billed to +133 and paused
	require.Equal(t, types.LEASE_STATE_GRACE, f.lease(l2).State)
	e = earnings()
	require.Equal(t, dec("601.5"), e.Gross, "lease 2's 199.5 unclaimed + lease 1's 2 × 201")
	net := e.Net
	before = f.balance(addr("prov-pay"))
	_, err = f.msg.ClaimProvider(f.ctx, &types.MsgClaimProvider{Sender: addr("anyone"), Provider: prov})
	require.NoError(t, err)
	paid := f.balance(addr("prov-pay")) - before
	require.Equal(t, int64(381+189), paid, "lease 1: 402 − ceil(20.1); lease 2: 199 − ceil(9.95)")
	require.LessOrEqual(t, net.Int64(), paid)
	require.Equal(t, dec("0.5"), earnings().Gross, "lease 2 carries its fraction")

	// Closing both leases leaves no aggregate behind (the invariant compares it with the leases).
	_, err = f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: addr("t1"), LeaseId: l1, Reason: types.ReasonTenantDone})
	require.NoError(t, err)
	_, err = f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: addr("t2"), LeaseId: l2, Reason: types.ReasonTenantDone})
	require.NoError(t, err)
	f.invariants()
	e = earnings()
	require.Zero(t, e.LiveLeases)
	require.True(t, e.Gross.IsZero())
}

// TestEarningsInvariant shows the invariant catches an aggregate that drifts from the leases.
func TestEarningsInvariant(t *testing.T) {
	f := newFixture(t)
	f.fund("t1", 10_000)
	require.NoError(t, f.deposit("t1", 10_000))
	id, err := f.book("t1", 1, 1)
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.invariants()
	require.NoError(t, f.k.SetEarningsRaw(f.ctx, types.ProviderEarnings{Provider: addr("prov"), Denom: "uusdc", LiveLeases: 1,
		Unclaimed: sdkmath.LegacyNewDec(5), BillingRate: sdkmath.LegacyNewDec(2), BillingRateTime: sdkmath.LegacyZeroDec()}))
	require.ErrorIs(t, f.k.CheckInvariants(f.ctx), types.ErrInvariantBroken)
}
