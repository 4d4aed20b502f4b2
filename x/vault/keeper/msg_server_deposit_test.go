package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgDeposit(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms()) // min deposit 1_000
	deposit := func(amt sdk.Coin) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: investor(1), VaultId: v.Id, Amount: amt})
			return err
		}
	}
	// ValidateBasic: only ugld is principal.
	f.check.Fails(sdkerrors.ErrInvalidCoins, deposit(sdk.NewInt64Coin("uusdc", 5_000_000)))
	// Keeper: below the vault's minimum.
	f.check.Fails(types.ErrBelowMinDeposit, deposit(sdk.NewInt64Coin("ugld", 999)))

	before := f.balance(investor(1), "ugld")
	var res *types.MsgDepositResponse
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: investor(1), VaultId: v.Id, Amount: sdk.NewInt64Coin("ugld", 5_000_000)})
		return err
	}, &types.EventDeposited{})
	require.Equal(t, int64(5_000_000), before-f.balance(investor(1), "ugld"))
	require.Equal(t, int64(5_000_000), f.balance(v.Account, "ugld"))
	p := f.position(res.PositionId)
	require.Equal(t, v.Id, p.VaultId)
	require.True(t, res.Shares.IsPositive())
	require.Equal(t, res.Shares.String(), p.Shares.String())
	got := f.getVault(v.Id)
	require.Equal(t, "5000000", got.Liquid.String())
	require.Equal(t, p.Shares.String(), got.TotalShares.String())
	require.Equal(t, investor(1), f.nft.GetOwner(f.ctx, types.ClassID(v.Id), types.TokenID(p.Id)).String())
}
