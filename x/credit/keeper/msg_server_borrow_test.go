package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerBorrow(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, agentAddr := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	borrow := func(m *types.MsgBorrow) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.Borrow(ctx, m); return err }
	}
	sc := f.cred(id, types.ActionBorrow, "500000ugld", "", f.chainSeen(id, 500_000))
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidCoins, borrow(&types.MsgBorrow{Signer: owner, AgentId: id, Amount: ugld(0), Credential: sc}))
	f.check.Fails(sdkerrors.ErrInvalidAddress, borrow(&types.MsgBorrow{Signer: "", AgentId: id, Amount: ugld(500_000), Credential: sc}))
	// Keeper: a stranger may not borrow for the agent.
	f.check.Fails(types.ErrNotController, borrow(&types.MsgBorrow{Signer: addr("other"), AgentId: id, Amount: ugld(500_000), Credential: sc}))

	var res *types.MsgBorrowResponse
	f.check.OK(func(ctx sdk.Context) (err error) {
		res, err = f.msg.Borrow(ctx, &types.MsgBorrow{Signer: owner, AgentId: id, Amount: ugld(500_000), Credential: sc})
		return err
	}, &types.EventCredentialUsed{}, &types.EventBorrowed{})
	require.Equal(t, ugld(500_000), res.Debt)
	require.Equal(t, int64(500_000), f.balance(agentAddr, "ugld").Int64())
	// Keeper: the same credential cannot be used twice.
	f.check.Fails(types.ErrCredentialUsed, borrow(&types.MsgBorrow{Signer: owner, AgentId: id, Amount: ugld(500_000), Credential: sc}))
}
