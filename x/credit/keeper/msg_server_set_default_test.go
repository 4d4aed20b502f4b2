package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerSetDefault(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, agentAddr := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	_, err = f.k.Borrow(f.ctx, owner, id, ugld(1_000_000), f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000)))
	require.NoError(t, err)
	anyone := addr("other")
	def := func(m *types.MsgSetDefault) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.SetDefault(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, def(&types.MsgSetDefault{Signer: "x", AgentId: id}))
	f.check.Fails(types.ErrAgentNotFound, def(&types.MsgSetDefault{Signer: anyone, AgentId: 0}))
	// Keeper: healthy on the chain's own evidence (1,000,000 against 3,000,000).
	f.check.Fails(types.ErrNoEvidence, def(&types.MsgSetDefault{Signer: anyone, AgentId: id}))

	// The ADO values the agent at 1,100,000: 91% > 85% liquidation DTL.
	sc := f.cred(id, types.ActionSetDefault, "", "", 1_100_000)
	var res *types.MsgSetDefaultResponse
	f.check.OK(func(ctx sdk.Context) (err error) {
		res, err = f.msg.SetDefault(ctx, &types.MsgSetDefault{Signer: anyone, AgentId: id, Credential: &sc})
		return err
	}, &types.EventCredentialUsed{}, &types.EventAgentStateChanged{}, &types.EventLiquidated{})
	require.Len(t, res.Liquidations, 1)
	l := res.Liquidations[0]
	// 1,000,000 liquid + 2,000,000 bond recovered: the debt, the fee and the rest to the owner.
	require.Equal(t, int64(3_000_000), l.Recovered.Int64())
	require.Equal(t, l.Recovered, l.InterestPaid.Add(l.PrincipalPaid).Add(l.Fee).Add(l.ReturnedToOwner))
	require.Equal(t, int64(1_000_000), l.PrincipalPaid.Int64())
	require.True(t, l.PrincipalWrittenOff.IsZero())
	require.True(t, f.balance(agentAddr, "ugld").IsZero())
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.AGENT_STATE_DEFAULT, a.State)
	// Keeper: already in default.
	f.check.Fails(types.ErrInvalidState, def(&types.MsgSetDefault{Signer: anyone, AgentId: id}))
}
