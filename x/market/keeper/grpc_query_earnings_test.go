package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// TestQueryProviderEarnings: the query returns, per denom, the figure Keeper.ProviderEarnings
// gives (the one x/credit counts), over several leases, one of them on an account that ran out
// before the end blocker saw it; a claim then pays at least the net figure. Unknown providers
// are NotFound, a known one without live leases gets an empty list, bad input is
// InvalidArgument.
func TestQueryProviderEarnings(t *testing.T) {
	f := newFixture(t)
	prov := addr("prov")
	query := func() *types.QueryProviderEarningsResponse {
		t.Helper()
		res, err := f.q.ProviderEarnings(f.ctx, &types.QueryProviderEarningsRequest{Provider: prov})
		require.NoError(t, err)
		return res
	}
	dec := sdkmath.LegacyMustNewDecFromStr

	t.Run("unknown provider is NotFound", func(t *testing.T) {
		_, err := f.q.ProviderEarnings(f.ctx, &types.QueryProviderEarningsRequest{Provider: addr("nobody")})
		require.ErrorIs(t, err, providertypes.ErrProviderNotFound)
		require.Equal(t, codes.NotFound, status.Code(providertypes.ErrProviderNotFound.GRPCStatus().Err()))
	})
	t.Run("bad input is InvalidArgument", func(t *testing.T) {
		for name, req := range map[string]*types.QueryProviderEarningsRequest{"nil": nil, "empty": {}, "not an address": {Provider: "guild1nope"}} {
			_, err := f.q.ProviderEarnings(f.ctx, req)
			require.Equal(t, codes.InvalidArgument, status.Code(err), name)
		}
	})
	t.Run("no live lease: empty", func(t *testing.T) {
		res := query()
		require.Empty(t, res.Earnings)
		require.Zero(t, res.LiveLeases)
	})

	// Three leases: t1 books 2 uusdc/s and 0.75 uusdc/s, t2 1.5 uusdc/s with only the cover
	// (200 lasts 133 s).
	f.fund("t1", 100_000)
	require.NoError(t, f.deposit("t1", 100_000))
	f.fund("t2", 200)
	require.NoError(t, f.deposit("t2", 200))
	var ids []uint64
	for _, b := range []struct {
		tenant       string
		offer, units uint64
	}{{"t1", 1, 1}, {"t1", 2, 1}, {"t2", 2, 2}} {
		id, err := f.book(b.tenant, b.offer, b.units)
		require.NoError(t, err)
		require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
		ids = append(ids, id)
	}
	start := f.ctx.BlockTime()

	t.Run("billing: the keeper's figure per denom", func(t *testing.T) {
		f.ctx = f.ctx.WithBlockTime(start.Add(100 * time.Second))
		res := query()
		require.Len(t, res.Earnings, 1)
		e := res.Earnings[0]
		require.Equal(t, "uusdc", e.Denom)
		require.Equal(t, dec("425"), e.Gross, "(2 + 0.75 + 1.5) × 100 s")
		require.Equal(t, uint64(3), e.LiveLeases)
		require.Equal(t, uint64(3), res.LiveLeases)
		require.Equal(t, uint64(1), res.ClaimPages)
		want, err := f.k.ProviderEarnings(f.ctx, prov, "uusdc")
		require.NoError(t, err)
		require.Equal(t, want.Gross, e.Gross)
		require.Equal(t, want.Net, e.Net)
		require.Equal(t, int64(397), e.Net.Int64(), "floor((425 − 3) × 0.95) − 3")
	})

	t.Run("a run-out account stops the accrual at its funded_until", func(t *testing.T) {
		// 200 s on: t2 ran out at +133 and no end blocker has run yet.
		f.ctx = f.ctx.WithBlockTime(start.Add(200 * time.Second))
		e := query().Earnings[0]
		require.Equal(t, dec("565.25"), e.Gross, "(2 + 0.75 + 1.5) × 133 s, nothing after the earliest run-out")
		f.advance(1) // the end blocker pauses t2's lease at +133
		require.Equal(t, types.LEASE_STATE_GRACE, f.lease(ids[2]).State)
		e = query().Earnings[0]
		require.Equal(t, dec("752.25"), e.Gross, "t1's 2.75 × 201 s + t2's 1.5 × 133 s")
		require.Equal(t, uint64(3), e.LiveLeases, "a lease in grace is still live")

		before := f.balance(addr("prov-pay"))
		_, err := f.msg.ClaimProvider(f.ctx, &types.MsgClaimProvider{Sender: addr("anyone"), Provider: prov})
		require.NoError(t, err)
		paid := f.balance(addr("prov-pay")) - before
		require.LessOrEqual(t, e.Net.Int64(), paid, "the query never promises more than a claim pays")
		require.Equal(t, int64(708), e.Net.Int64(), "floor((752.25 − 3) × 0.95) − 3 = floor(711.79) − 3")
	})

	t.Run("closed leases leave the list", func(t *testing.T) {
		for i, id := range ids {
			tenant := "t1"
			if i == 2 {
				tenant = "t2"
			}
			_, err := f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: addr(tenant), LeaseId: id, Reason: types.ReasonTenantDone})
			require.NoError(t, err)
		}
		require.Empty(t, query().Earnings)
		f.invariants()
	})
}
