package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgHarvest(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms()) // fees: operator 10%, dataset 3%, device 2%
	f.deposit(investor(1), v.Id, 5_000_000)
	harvest := func(sender string, id uint64) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Harvest(ctx, &types.MsgHarvest{Sender: sender, VaultId: id, ClaimMarket: true})
			return err
		}
	}
	// ValidateBasic: a malformed sender.
	f.check.Fails(sdkerrors.ErrInvalidAddress, harvest("not-an-address", v.Id))
	// Keeper: an unknown vault.
	f.check.Fails(types.ErrVaultNotFound, harvest(stranger(), v.Id+1))

	// 1_000 uusdc paid directly, 9_000 waiting at the market: the harvest claims and books both.
	f.pay(v, sdk.NewInt64Coin("uusdc", 1_000))
	f.market.pending[v.Provider] = sdk.NewCoins(sdk.NewInt64Coin("uusdc", 9_000))
	opBefore, dsBefore, devBefore := f.balance(owner(), "uusdc"), f.balance(dataset(), "uusdc"), f.balance(device(), "uusdc")
	var res *types.MsgHarvestResponse
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.Harvest(ctx, &types.MsgHarvest{Sender: stranger(), VaultId: v.Id, ClaimMarket: true})
		return err
	}, &types.EventHarvested{})
	require.Equal(t, 1, f.market.calls)
	require.Equal(t, "10000uusdc", sdk.Coins(res.Booked).String())
	require.Equal(t, int64(1_000), f.balance(owner(), "uusdc")-opBefore)
	require.Equal(t, int64(300), f.balance(dataset(), "uusdc")-dsBefore)
	require.Equal(t, int64(200), f.balance(device(), "uusdc")-devBefore)
	require.Equal(t, int64(8_500), f.balance(v.Account, "uusdc")) // the holders' part stays, claimable
}
