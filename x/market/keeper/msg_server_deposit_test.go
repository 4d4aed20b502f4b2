package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgDeposit(t *testing.T) {
	f := newFixture(t)
	f.fund("ann", 500)
	deposit := func(who string, c sdk.Coin) func() error {
		return func() error {
			_, err := f.msg.Deposit(f.ctx, &types.MsgDeposit{Tenant: addr(who), Amount: c})
			return err
		}
	}
	f.ok(deposit("ann", sdk.NewInt64Coin("uusdc", 200)), &types.EventDeposit{})
	require.EqualValues(t, 300, f.balance(addr("ann")))
	require.EqualValues(t, 200, f.account("ann").Available.Int64())

	f.fails(types.ErrDenomNotAccepted, deposit("ann", sdk.NewInt64Coin("ugld", 1)))
	f.fails(types.ErrInvalidAmount, deposit("ann", sdk.NewInt64Coin("uusdc", 0)))
	f.fails(types.ErrInvalidAddress, func() error {
		_, err := f.msg.Deposit(f.ctx, &types.MsgDeposit{Tenant: "nope", Amount: sdk.NewInt64Coin("uusdc", 1)})
		return err
	})
	f.fails(types.ErrInsufficientFunds, deposit("ann", sdk.NewInt64Coin("uusdc", 301)))
}
