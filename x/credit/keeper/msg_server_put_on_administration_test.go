package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerPutOnAdministration(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	_, err = f.k.Borrow(f.ctx, addr("owner"), id, ugld(1_000_000), f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000)))
	require.NoError(t, err)
	anyone := addr("other")
	put := func(m *types.MsgPutOnAdministration) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.PutOnAdministration(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, put(&types.MsgPutOnAdministration{Signer: "", AgentId: id}))
	f.check.Fails(types.ErrAgentNotFound, put(&types.MsgPutOnAdministration{Signer: anyone, AgentId: 0}))
	// Keeper: a healthy agent and no credential is no evidence.
	f.check.Fails(types.ErrNoEvidence, put(&types.MsgPutOnAdministration{Signer: anyone, AgentId: id}))

	// The ADO values the agent at 1,200,000: 1,000,000 / 1,200,000 = 83% > 80%.
	sc := f.cred(id, types.ActionPutOnAdministration, "", "", 1_200_000)
	f.check.OK(put(&types.MsgPutOnAdministration{Signer: anyone, AgentId: id, Credential: &sc}),
		&types.EventCredentialUsed{}, &types.EventAgentStateChanged{})
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.AGENT_STATE_ADMINISTRATION, a.State)
	f.check.Fails(types.ErrInvalidState, put(&types.MsgPutOnAdministration{Signer: anyone, AgentId: id}))
}
