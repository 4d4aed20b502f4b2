package keeper_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerAddProvider(t *testing.T) {
	f := newFixture(t)
	owner, prov, other := addr("owner"), addr("provider"), addr("other")
	id, agentAddr, err := f.k.CreateAgent(f.ctx, owner, "", f.req.Public().(ed25519.PublicKey))
	require.NoError(t, err)
	require.NoError(t, f.prov.RegisterProvider(f.ctx, prov, "p", "", nil))
	require.NoError(t, f.prov.RegisterProvider(f.ctx, other, "o", "", nil))
	require.NoError(t, f.prov.ProposeOwner(f.ctx, prov, prov, agentAddr))
	add := func(m *types.MsgAddProvider) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.AddProvider(ctx, m); return err }
	}
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, add(&types.MsgAddProvider{Signer: owner, AgentId: id, Provider: "x"}))
	f.check.Fails(types.ErrAgentNotFound, add(&types.MsgAddProvider{Signer: owner, AgentId: 0, Provider: prov}))
	// Keeper: the provider's owner has not offered it to the agent.
	f.check.Fails(types.ErrProviderNotOffered, add(&types.MsgAddProvider{Signer: owner, AgentId: id, Provider: other}))

	f.check.OK(add(&types.MsgAddProvider{Signer: owner, AgentId: id, Provider: prov}), &types.EventProviderAdded{})
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, []string{prov}, a.Providers)
	p, err := f.prov.GetProvider(f.ctx, prov)
	require.NoError(t, err)
	require.Equal(t, agentAddr, p.Owner, "the agent account now owns the provider")
	// Keeper: the same provider twice.
	f.check.Fails(types.ErrProviderTaken, add(&types.MsgAddProvider{Signer: owner, AgentId: id, Provider: prov}))
}
