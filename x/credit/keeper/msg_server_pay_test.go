package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerPay(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	_, err = f.k.Borrow(f.ctx, addr("owner"), id, ugld(500_000), f.cred(id, types.ActionBorrow, "500000ugld", "", f.chainSeen(id, 500_000)))
	require.NoError(t, err)
	payer := addr("payer")
	pay := func(m *types.MsgPay) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.Pay(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, pay(&types.MsgPay{Payer: "x", AgentId: id, Amount: ugld(1)}))
	f.check.Fails(types.ErrAgentNotFound, pay(&types.MsgPay{Payer: payer, AgentId: 0, Amount: ugld(1)}))
	// Keeper: only the owner or operator may pay from the agent's own account; no debt in uusdc.
	f.check.Fails(types.ErrNotController, pay(&types.MsgPay{Payer: payer, AgentId: id, Amount: ugld(1), FromAgent: true}))
	f.check.Fails(types.ErrNoDebt, pay(&types.MsgPay{Payer: payer, AgentId: id, Amount: sdk.NewInt64Coin("uusdc", 1)}))

	before := f.balance(payer, "ugld")
	var res *types.MsgPayResponse
	f.check.OK(func(ctx sdk.Context) (err error) {
		res, err = f.msg.Pay(ctx, &types.MsgPay{Payer: payer, AgentId: id, Amount: ugld(600_000)})
		return err
	}, &types.EventPaid{})
	// No time has passed: no interest, the whole principal, the overpayment never taken.
	require.True(t, res.Interest.IsZero(), res.Interest.String())
	require.Equal(t, int64(500_000), res.Principal.Int64())
	require.Equal(t, int64(100_000), res.Refunded.Int64())
	require.True(t, res.Debt.IsZero(), res.Debt.String())
	require.Equal(t, before.SubRaw(500_000), f.balance(payer, "ugld"))
	f.check.Fails(types.ErrNoDebt, pay(&types.MsgPay{Payer: payer, AgentId: id, Amount: ugld(1)}))
}
