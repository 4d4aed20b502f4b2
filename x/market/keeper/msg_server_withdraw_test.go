package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgWithdraw(t *testing.T) {
	f := newFixture(t)
	f.fund("bea", 1_000)
	require.NoError(t, f.deposit("bea", 1_000))
	_, err := f.book("bea", 1, 1) // 2/s: 200 must stay for the 100 s cover
	require.NoError(t, err)
	withdraw := func(n int64) func() error {
		return func() error {
			_, err := f.msg.Withdraw(f.ctx, &types.MsgWithdraw{Tenant: addr("bea"), Amount: sdk.NewInt64Coin("uusdc", n)})
			return err
		}
	}
	f.fails(types.ErrInsufficientCover, withdraw(801))
	f.fails(types.ErrInsufficientFunds, withdraw(1_001))
	f.fails(types.ErrInvalidAmount, withdraw(0))
	f.ok(withdraw(800), &types.EventWithdraw{})
	require.EqualValues(t, 800, f.balance(addr("bea")))
	require.EqualValues(t, 0, f.account("bea").Withdrawable.Int64())
}
