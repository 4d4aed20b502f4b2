package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerDeposit(t *testing.T) {
	f := newFixture(t)
	lender := addr("lender")
	deposit := func(m *types.MsgDeposit) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.Deposit(ctx, m); return err }
	}
	var res *types.MsgDepositResponse
	f.check.OK(func(ctx sdk.Context) (err error) {
		res, err = f.msg.Deposit(ctx, &types.MsgDeposit{Lender: lender, Amount: ugld(1_000_000)})
		return err
	}, &types.EventDeposited{})
	require.Equal(t, sdk.NewInt64Coin("credit/ugld", 1_000_000_000), res.Shares)
	require.Equal(t, res.Shares.Amount, f.balance(lender, "credit/ugld"))
	require.Equal(t, int64(99_000_000), f.balance(lender, "ugld").Int64())

	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, deposit(&types.MsgDeposit{Lender: "guild1nope", Amount: ugld(1)}))
	f.check.Fails(sdkerrors.ErrInvalidCoins, deposit(&types.MsgDeposit{Lender: lender, Amount: ugld(0)}))
	// Keeper: a denom that is not lent, and more than the lender holds.
	f.check.Fails(sdkerrors.ErrInvalidCoins, deposit(&types.MsgDeposit{Lender: lender, Amount: sdk.NewInt64Coin("uatom", 1)}))
	f.check.Fails(sdkerrors.ErrInsufficientFunds, deposit(&types.MsgDeposit{Lender: lender, Amount: ugld(99_000_001)}))
}
