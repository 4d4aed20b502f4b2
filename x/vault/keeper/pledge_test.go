package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	providertypes "github.com/guild-network/guild/x/provider/types"
	"github.com/guild-network/guild/x/vault/types"
)

func TestPledgeReserveAndSlash(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms()) // 20% reserve
	p1 := f.deposit(investor(1), v.Id, 3_000_000)
	p2 := f.deposit(investor(2), v.Id, 1_000_000)
	pledge := func(amt int64) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Pledge(ctx, &types.MsgPledge{Operator: owner(), VaultId: v.Id, NodeId: f.nodeID, Amount: sdk.NewInt64Coin("ugld", amt)})
			return err
		}
	}
	// 4_000_000 principal, 20% reserve: at most 3_200_000 may be pledged.
	f.check.Fails(types.ErrReserveBreached, pledge(3_200_001))
	f.check.Fails(types.ErrNotOperator, func(ctx sdk.Context) error {
		return f.k.Pledge(ctx, investor(1), v.Id, f.nodeID, sdk.NewInt64Coin("ugld", 1))
	})
	f.check.OK(pledge(3_200_000), &types.EventPledged{})
	v = f.getVault(v.Id)
	require.Equal(t, "800000", v.Liquid.String())
	require.Equal(t, "3200000", v.Pledged.String())
	n, err := f.prov.GetNode(f.ctx, f.nodeID)
	require.NoError(t, err)
	require.Equal(t, "4200000", n.Bond.Amount.String()) // the owner's 1_000_000 + the pledge

	// Early exit beyond the reserve: refused with how much is liquid.
	f.check.Fails(types.ErrInsufficientLiquid, func(ctx sdk.Context) error {
		_, _, err := f.k.Exit(ctx, investor(1), p1.Id, sdkmath.ZeroInt())
		return err
	})

	// A slash of half the bond (2_100_000): the owner's bond takes the first 1_000_000, the
	// vault's pledge falls by 1_100_000, and every holder's value with it.
	slashed, err := f.prov.SlashBond(f.ctx, f.nodeID, 5000, "test")
	require.NoError(t, err)
	require.Equal(t, "2100000", slashed.Amount.String())
	require.NoError(t, f.k.CheckInvariants(f.ctx))
	f.check.OK(func(ctx sdk.Context) error { _, err := f.k.Harvest(ctx, v.Id, false); return err }, &types.EventPledgeSlashed{})
	v = f.getVault(v.Id)
	require.Equal(t, "2100000", v.Pledged.String())
	require.Equal(t, "2900000", v.PrincipalAssets().String())
	res, err := f.q.Position(f.ctx, &types.QueryPositionRequest{Id: p2.Id})
	require.NoError(t, err)
	require.Equal(t, types.AssetsForShares(p2.Shares, v.TotalShares, v.PrincipalAssets()).String(), res.Position.Value.String())
	require.Equal(t, "725000", res.Position.Value.String()) // a quarter of 2_900_000

	// After unlock, an exit larger than liquid unpledges from the idle node first.
	f.advance(1001)
	before := f.balance(investor(1), "ugld")
	var paid sdk.Coin
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		paid, _, err = f.k.Exit(ctx, investor(1), p1.Id, sdkmath.ZeroInt())
		return err
	}, &types.EventUnpledged{}, &types.EventExited{})
	require.Equal(t, "2175000", paid.Amount.String()) // three quarters of 2_900_000
	require.Equal(t, int64(2_175_000), f.balance(investor(1), "ugld")-before)
	require.False(t, f.nft.HasNFT(f.ctx, types.ClassID(v.Id), types.TokenID(p1.Id)))

	// Unpledge by the operator; refused above the pledge.
	v = f.getVault(v.Id)
	f.check.Fails(types.ErrInvalidAmount, func(ctx sdk.Context) error {
		return f.k.Unpledge(ctx, owner(), v.Id, f.nodeID, sdk.NewCoin("ugld", v.Pledged.AddRaw(1)))
	})
	f.check.OK(func(ctx sdk.Context) error {
		return f.k.Unpledge(ctx, owner(), v.Id, f.nodeID, sdk.NewCoin("ugld", v.Pledged))
	}, &types.EventUnpledged{})
	require.True(t, f.getVault(v.Id).Pledged.IsZero())
}

func TestPledgeOnAnotherProvidersNodeRefused(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	f.deposit(investor(1), v.Id, 3_000_000)
	require.NoError(t, f.prov.RegisterProvider(f.ctx, stranger(), "other", "https://o.example", nil))
	pub := make([]byte, 32)
	pub[0] = 9
	other, _, err := f.prov.AddNode(f.ctx, stranger(), stranger(), pub, providertypes.Resources{CpuMilli: 1000}, sdk.NewInt64Coin("ugld", 0))
	require.NoError(t, err)
	f.check.Fails(types.ErrWrongProvider, func(ctx sdk.Context) error {
		return f.k.Pledge(ctx, owner(), v.Id, other, sdk.NewInt64Coin("ugld", 1_000))
	})
}

// TestEarlyExitFeeStaysWithHolders: the fee raises the remaining holders' value.
func TestEarlyExitFeeStaysWithHolders(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms()) // 5% early exit fee
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	p2 := f.deposit(investor(2), v.Id, 1_000_000)
	var paid, fee sdk.Coin
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		paid, fee, err = f.k.Exit(ctx, investor(1), p1.Id, sdkmath.ZeroInt())
		return err
	}, &types.EventExited{})
	require.Equal(t, "950000", paid.Amount.String())
	require.Equal(t, "50000", fee.Amount.String())
	res, err := f.q.Position(f.ctx, &types.QueryPositionRequest{Id: p2.Id})
	require.NoError(t, err)
	require.Equal(t, "1049999", res.Position.Value.String()) // 1_050_000 less the virtual offset's rounding
}

// TestRewardsParkedWithoutShares: income with no shares waits for the next holders.
func TestRewardsParkedWithoutShares(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	f.pay(v, sdk.NewInt64Coin("uusdc", 100_000))
	f.harvest(v.Id)
	v = f.getVault(v.Id)
	require.Equal(t, "85000", v.Pool("uusdc").Parked.String())
	p := f.deposit(investor(1), v.Id, 1_000_000)
	f.pay(v, sdk.NewInt64Coin("uusdc", 100_000))
	require.Equal(t, int64(170_000), f.claim(investor(1), p.Id).AmountOf("uusdc").Int64())
}

// TestEndBlockerHarvestsDueVaults: the harvest queue, bounded per block, claims market earnings.
func TestEndBlockerHarvestsDueVaults(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p := f.deposit(investor(1), v.Id, 1_000_000)
	f.market.pending[owner()] = sdk.NewCoins(sdk.NewInt64Coin("uusdc", 10_000))
	require.NoError(t, f.k.EndBlocker(f.ctx))
	require.Equal(t, 0, f.market.calls, "not due yet")
	f.advance(3600)
	f.check.OK(func(ctx sdk.Context) error { return f.k.EndBlocker(ctx) }, &types.EventHarvested{})
	require.Equal(t, 1, f.market.calls)
	require.Equal(t, f.ctx.BlockTime().Unix()+3600, f.getVault(v.Id).NextHarvest)
	require.Equal(t, int64(8_500), f.claim(investor(1), p.Id).AmountOf("uusdc").Int64())
}
