package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgExit(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms()) // lock 1000 s
	p := f.deposit(investor(1), v.Id, 5_000_000)
	exit := func(who string, shares sdkmath.Int) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Exit(ctx, &types.MsgExit{Owner: who, PositionId: p.Id, Shares: shares})
			return err
		}
	}
	// ValidateBasic: negative shares.
	f.check.Fails(types.ErrInvalidShares, exit(investor(1), sdkmath.NewInt(-1)))
	// Keeper: not the token's owner; more shares than the position holds.
	f.check.Fails(types.ErrNotPositionOwner, exit(stranger(), sdkmath.ZeroInt()))
	f.check.Fails(types.ErrInvalidShares, exit(investor(1), p.Shares.AddRaw(1)))

	// After unlock, all shares (0) for the whole principal, no fee; the token is burnt.
	f.advance(1001)
	before := f.balance(investor(1), "ugld")
	var res *types.MsgExitResponse
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.Exit(ctx, &types.MsgExit{Owner: investor(1), PositionId: p.Id, Shares: sdkmath.ZeroInt()})
		return err
	}, &types.EventExited{})
	require.Equal(t, sdk.NewInt64Coin("ugld", 5_000_000), res.Paid)
	require.True(t, res.Fee.IsZero())
	require.Equal(t, int64(5_000_000), f.balance(investor(1), "ugld")-before)
	require.False(t, f.nft.HasNFT(f.ctx, types.ClassID(v.Id), types.TokenID(p.Id)))
	got := f.getVault(v.Id)
	require.True(t, got.TotalShares.IsZero())
	require.True(t, got.Liquid.IsZero())
	_, err := f.k.GetPosition(f.ctx, p.Id)
	require.ErrorIs(t, err, types.ErrPositionNotFound)
}
