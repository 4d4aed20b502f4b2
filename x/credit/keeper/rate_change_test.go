package keeper_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

// TestRateChangeReratesEveryPoolByKey: a parameter change accrues and re-rates every pool,
// found through the sorted list of pool denoms (no store walk) — a delisted denom's pool too,
// whose lenders must still earn and be able to redeem. The list survives a genesis round trip,
// and CheckInvariants refuses a list that misses a pool.
func TestRateChangeReratesEveryPoolByKey(t *testing.T) {
	f := newFixture(t)
	denoms := func() []string {
		d, err := f.k.PoolDenoms(f.ctx)
		require.NoError(t, err)
		return d
	}
	require.Empty(t, denoms())
	// uusdc opens first: the list is sorted, not in opening order.
	f.check.OK(func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, addr("lender"), sdk.NewInt64Coin("uusdc", 5_000_000))
		return err
	}, &types.EventDeposited{})
	require.Equal(t, []string{"uusdc"}, denoms())
	f.check.OK(func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, addr("lender"), ugld(10_000_000))
		return err
	}, &types.EventDeposited{})
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(1)) // a second deposit adds nothing
	require.NoError(t, err)
	require.Equal(t, []string{"ugld", "uusdc"}, denoms())

	id, _ := f.agentWithProvider(2_000_000)
	_, err = f.k.Borrow(f.ctx, addr("owner"), id, ugld(1_000_000), f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000)))
	require.NoError(t, err)
	before, err := f.k.GetPool(f.ctx, "ugld")
	require.NoError(t, err)
	require.True(t, before.Rate.IsPositive())

	// Delist uusdc and raise the base rate, an hour later.
	f.advance(3600, 600)
	p := types.DefaultParams()
	p.TrustedIssuers = [][]byte{f.issuer.Public().(ed25519.PublicKey)}
	p.LendingDenoms = []string{"ugld"}
	p.BaseRate = before.Rate.Add(sdkmath.LegacyNewDecWithPrec(5, 2))
	got := f.check.OK(func(ctx sdk.Context) error { return f.k.UpdateParams(ctx, f.gov, p) },
		&types.EventPoolAccrued{}, &types.EventPoolAccrued{}, &types.EventParamsUpdated{})
	require.Equal(t, 2, countOf(got, "guild.credit.v1.EventPoolAccrued"))
	now := f.ctx.BlockTime().Unix()
	for _, d := range []string{"ugld", "uusdc"} {
		pool, err := f.k.GetPool(f.ctx, d)
		require.NoError(t, err)
		require.Equal(t, now, pool.LastAccrual, "pool %s accrued to the change", d)
		require.Equal(t, types.BorrowRate(p, types.Utilization(pool.Liquid, pool.TotalPrincipal)).String(), pool.Rate.String(), "pool %s re-rated", d)
	}
	after, err := f.k.GetPool(f.ctx, "ugld")
	require.NoError(t, err)
	require.Equal(t, types.AccrueIndex(before.BorrowIndex, before.Rate, 3600).String(), after.BorrowIndex.String(),
		"an hour accrued at the old rate")
	require.True(t, after.Rate.GT(before.Rate))
	require.Equal(t, []string{"ugld", "uusdc"}, denoms(), "a delisted denom keeps its pool")

	// The delisted pool still redeems; it takes no new deposit.
	_, err = f.k.Redeem(f.ctx, addr("lender"), sdk.NewCoin(types.ShareDenom("uusdc"), sdkmath.NewInt(1_000)))
	require.NoError(t, err)
	f.check.Fails(sdkerrors.ErrInvalidCoins, func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, addr("lender"), sdk.NewInt64Coin("uusdc", 1))
		return err
	})

	// Genesis rebuilds the list.
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	gotDenoms, err := g.k.PoolDenoms(g.ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"ugld", "uusdc"}, gotDenoms)

	// A list that misses a pool, or is unsorted, breaks the invariants.
	require.NoError(t, f.k.CheckInvariants(f.ctx))
	require.NoError(t, f.k.SetPoolDenomsForTest(f.ctx, []string{"ugld"}))
	require.ErrorContains(t, f.k.CheckInvariants(f.ctx), "pool denoms list")
	require.NoError(t, f.k.SetPoolDenomsForTest(f.ctx, []string{"uusdc", "ugld"}))
	require.ErrorContains(t, f.k.CheckInvariants(f.ctx), "pool denoms list")
}

func countOf(got []string, name string) int {
	n := 0
	for _, g := range got {
		if g == name {
			n++
		}
	}
	return n
}
