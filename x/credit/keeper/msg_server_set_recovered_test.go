package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerSetRecovered(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	_, err = f.k.Borrow(f.ctx, owner, id, ugld(1_000_000), f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000)))
	require.NoError(t, err)
	recov := func(m *types.MsgSetRecovered) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.SetRecovered(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(types.ErrAgentNotFound, recov(&types.MsgSetRecovered{Signer: owner, AgentId: 0, Credential: f.cred(id, types.ActionSetRecovered, "", "", 2_000_000)}))
	f.check.Fails(sdkerrors.ErrInvalidAddress, recov(&types.MsgSetRecovered{Signer: "x", AgentId: id, Credential: f.cred(id, types.ActionSetRecovered, "", "", 2_000_000)}))
	// Keeper: a healthy agent cannot recover.
	f.check.Fails(types.ErrInvalidState, recov(&types.MsgSetRecovered{Signer: owner, AgentId: id, Credential: f.cred(id, types.ActionSetRecovered, "", "", 2_000_000)}))

	adm := f.cred(id, types.ActionPutOnAdministration, "", "", 1_200_000)
	require.NoError(t, f.k.PutOnAdministration(f.ctx, id, &adm))
	// Keeper: still 83% against 1,200,000: above max DTL.
	f.check.Fails(types.ErrDTLExceeded, recov(&types.MsgSetRecovered{Signer: owner, AgentId: id, Credential: f.cred(id, types.ActionSetRecovered, "", "", 1_200_000)}))
	_, err = f.k.Pay(f.ctx, addr("payer"), id, ugld(200_000), false) // 800,000 / 1,200,000 = 67%
	require.NoError(t, err)
	f.check.OK(recov(&types.MsgSetRecovered{Signer: owner, AgentId: id, Credential: f.cred(id, types.ActionSetRecovered, "", "", 1_200_000)}),
		&types.EventCredentialUsed{}, &types.EventAgentStateChanged{})
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.AGENT_STATE_HEALTHY, a.State)
}
