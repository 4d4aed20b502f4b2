package keeper_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerSetRequesterKey(t *testing.T) {
	f := newFixture(t)
	owner := addr("owner")
	id, _, err := f.k.CreateAgent(f.ctx, owner, addr("other"), f.req.Public().(ed25519.PublicKey))
	require.NoError(t, err)
	newKey := seedKey("rotated").Public().(ed25519.PublicKey)
	set := func(m *types.MsgSetRequesterKey) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.SetRequesterKey(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, set(&types.MsgSetRequesterKey{Owner: "x", AgentId: id, RequesterKey: newKey}))
	f.check.Fails(types.ErrAgentNotFound, set(&types.MsgSetRequesterKey{Owner: owner, AgentId: 0, RequesterKey: newKey}))
	f.check.Fails(types.ErrInvalidKey, set(&types.MsgSetRequesterKey{Owner: owner, AgentId: id, RequesterKey: newKey[:5]}))
	// Keeper: only the owner (not the operator) may rotate; the agent must exist.
	f.check.Fails(types.ErrNotOwner, set(&types.MsgSetRequesterKey{Owner: addr("other"), AgentId: id, RequesterKey: newKey}))
	f.check.Fails(types.ErrAgentNotFound, set(&types.MsgSetRequesterKey{Owner: owner, AgentId: 99, RequesterKey: newKey}))

	f.check.OK(set(&types.MsgSetRequesterKey{Owner: owner, AgentId: id, RequesterKey: newKey}), &types.EventRequesterKeyChanged{})
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, []byte(newKey), a.RequesterKey)
}
