package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerRedeem(t *testing.T) {
	f := newFixture(t)
	lender := addr("lender")
	shares, err := f.k.Deposit(f.ctx, lender, ugld(1_000_000))
	require.NoError(t, err)
	redeem := func(m *types.MsgRedeem) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.Redeem(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, redeem(&types.MsgRedeem{Lender: "", Shares: shares}))
	f.check.Fails(sdkerrors.ErrInvalidCoins, redeem(&types.MsgRedeem{Lender: lender, Shares: sdk.NewInt64Coin(shares.Denom, 0)}))
	// Keeper: not a share denom, and more shares than held.
	f.check.Fails(types.ErrInvalidAmount, redeem(&types.MsgRedeem{Lender: lender, Shares: ugld(1)}))
	f.check.Fails(types.ErrInvalidAmount, redeem(&types.MsgRedeem{Lender: lender, Shares: sdk.NewCoin(shares.Denom, shares.Amount.AddRaw(1))}))

	before := f.balance(lender, "ugld")
	half := sdk.NewCoin(shares.Denom, shares.Amount.QuoRaw(2))
	var res *types.MsgRedeemResponse
	f.check.OK(func(ctx sdk.Context) (err error) {
		res, err = f.msg.Redeem(ctx, &types.MsgRedeem{Lender: lender, Shares: half})
		return err
	}, &types.EventRedeemed{})
	require.Equal(t, "ugld", res.Assets.Denom)
	// Half the shares of a 1,000,000 pool, rounded down (the virtual share keeps at most a unit).
	require.True(t, res.Assets.Amount.Int64() >= 499_999 && res.Assets.Amount.Int64() <= 500_000, res.Assets.String())
	require.Equal(t, before.Add(res.Assets.Amount), f.balance(lender, "ugld"))
	require.Equal(t, shares.Amount.Sub(half.Amount), f.balance(lender, shares.Denom))
}
