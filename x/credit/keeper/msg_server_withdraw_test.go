package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerWithdraw(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, agentAddr := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	_, err = f.k.Borrow(f.ctx, owner, id, ugld(1_000_000), f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000)))
	require.NoError(t, err)
	withdraw := func(m *types.MsgWithdraw) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.Withdraw(ctx, m); return err }
	}
	w := f.cred(id, types.ActionWithdraw, "600000ugld", owner, f.chainSeen(id, -600_000))
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, withdraw(&types.MsgWithdraw{Owner: owner, AgentId: id, Amount: ugld(600_000), Recipient: "x", Credential: w}))
	f.check.Fails(sdkerrors.ErrInvalidCoins, withdraw(&types.MsgWithdraw{Owner: owner, AgentId: id, Amount: ugld(0), Recipient: owner, Credential: w}))
	// Keeper: more than the agent holds; not the owner.
	f.check.Fails(types.ErrInsufficientFunds, withdraw(&types.MsgWithdraw{Owner: owner, AgentId: id, Amount: ugld(1_000_001), Recipient: owner, Credential: w}))
	f.check.Fails(types.ErrNotOwner, withdraw(&types.MsgWithdraw{Owner: addr("other"), AgentId: id, Amount: ugld(600_000), Recipient: owner, Credential: w}))

	before := f.balance(owner, "ugld")
	f.check.OK(withdraw(&types.MsgWithdraw{Owner: owner, AgentId: id, Amount: ugld(600_000), Recipient: owner, Credential: w}),
		&types.EventCredentialUsed{}, &types.EventWithdrawn{})
	require.Equal(t, before.AddRaw(600_000), f.balance(owner, "ugld"))
	require.Equal(t, int64(400_000), f.balance(agentAddr, "ugld").Int64())
}
