package keeper_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerCreateAgent(t *testing.T) {
	f := newFixture(t)
	owner := addr("owner")
	key := f.req.Public().(ed25519.PublicKey)
	create := func(m *types.MsgCreateAgent) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.CreateAgent(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, create(&types.MsgCreateAgent{Owner: "x", RequesterKey: key}))
	f.check.Fails(sdkerrors.ErrInvalidAddress, create(&types.MsgCreateAgent{Owner: owner, Operator: "x", RequesterKey: key}))
	f.check.Fails(types.ErrInvalidKey, create(&types.MsgCreateAgent{Owner: owner, RequesterKey: key[:31]}))
	// The keeper checks the key itself too (it is called by genesis-free paths such as tests and the CLI simulation).
	f.check.Fails(types.ErrInvalidKey, func(ctx sdk.Context) error { _, _, err := f.k.CreateAgent(ctx, owner, "", []byte{1}); return err })

	var res *types.MsgCreateAgentResponse
	f.check.OK(func(ctx sdk.Context) (err error) {
		res, err = f.msg.CreateAgent(ctx, &types.MsgCreateAgent{Owner: owner, RequesterKey: key})
		return err
	}, &types.EventAgentCreated{})
	require.Equal(t, uint64(1), res.AgentId)
	require.Equal(t, types.AgentAddress(1).String(), res.Address)
	a, err := f.k.GetAgent(f.ctx, 1)
	require.NoError(t, err)
	require.Equal(t, owner, a.Owner)
	require.Equal(t, owner, a.Operator, "the operator defaults to the owner")
	require.Equal(t, types.AGENT_STATE_HEALTHY, a.State)
	require.Equal(t, []byte(key), a.RequesterKey)

	f.check.OK(func(ctx sdk.Context) (err error) {
		res, err = f.msg.CreateAgent(ctx, &types.MsgCreateAgent{Owner: owner, Operator: addr("other"), RequesterKey: key})
		return err
	}, &types.EventAgentCreated{})
	require.Equal(t, uint64(2), res.AgentId)
}
