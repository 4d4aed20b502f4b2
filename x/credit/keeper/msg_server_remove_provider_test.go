package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerRemoveProvider(t *testing.T) {
	f := newFixture(t)
	id, _ := f.agentWithProvider(1_000_000)
	owner, prov := addr("owner"), addr("provider")
	remove := func(m *types.MsgRemoveProvider) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.RemoveProvider(ctx, m); return err }
	}
	sc := f.cred(id, types.ActionRemoveProvider, "", prov, 0)
	// ValidateBasic.
	f.check.Fails(types.ErrAgentNotFound, remove(&types.MsgRemoveProvider{Owner: owner, AgentId: 0, Provider: prov, Credential: sc}))
	f.check.Fails(sdkerrors.ErrInvalidAddress, remove(&types.MsgRemoveProvider{Owner: owner, AgentId: id, Provider: "", Credential: sc}))
	// Keeper: only the owner; the credential must name this provider.
	f.check.Fails(types.ErrNotOwner, remove(&types.MsgRemoveProvider{Owner: addr("other"), AgentId: id, Provider: prov, Credential: sc}))
	f.check.Fails(types.ErrCredentialMismatch, remove(&types.MsgRemoveProvider{Owner: owner, AgentId: id, Provider: prov,
		Credential: f.cred(id, types.ActionRemoveProvider, "", addr("other"), 0)}))

	f.check.OK(remove(&types.MsgRemoveProvider{Owner: owner, AgentId: id, Provider: prov, Credential: sc}),
		&types.EventCredentialUsed{}, &types.EventProviderRemoved{})
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	require.Empty(t, a.Providers)
	p, err := f.prov.GetProvider(f.ctx, prov)
	require.NoError(t, err)
	require.Equal(t, owner, p.PendingOwner, "the provider is offered back to the owner")
}
