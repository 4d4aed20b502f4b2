package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgClaim(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p := f.deposit(investor(1), v.Id, 5_000_000)
	claim := func(who string, pos uint64) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Claim(ctx, &types.MsgClaim{Owner: who, PositionId: pos})
			return err
		}
	}
	// ValidateBasic: position id 0.
	f.check.Fails(types.ErrInvalidAmount, claim(investor(1), 0))
	// Keeper: nothing booked yet; not the token's owner.
	f.check.Fails(types.ErrNothingToClaim, claim(investor(1), p.Id))
	f.pay(v, sdk.NewInt64Coin("uusdc", 10_000))
	f.harvest(v.Id)
	f.check.Fails(types.ErrNotPositionOwner, claim(stranger(), p.Id))

	before := f.balance(investor(1), "uusdc")
	var res *types.MsgClaimResponse
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.Claim(ctx, &types.MsgClaim{Owner: investor(1), PositionId: p.Id})
		return err
	}, &types.EventClaimed{})
	// The only holder gets all but the 15% of fees.
	require.Equal(t, "8500uusdc", sdk.Coins(res.Paid).String())
	require.Equal(t, int64(8_500), f.balance(investor(1), "uusdc")-before)
	require.Equal(t, int64(0), f.balance(v.Account, "uusdc"))
	f.check.Fails(types.ErrNothingToClaim, claim(investor(1), p.Id))
}
