package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestSetOperator(t *testing.T) {
	f := setup(t)
	f.register()
	set := func(signer, provider, op string) func() error {
		return func() error {
			_, err := f.msg.SetOperator(f.ctx, &types.MsgSetOperator{Owner: signer, Provider: provider, Operator: op})
			return err
		}
	}
	events := f.ok(set(owner, owner, operator))
	require.Equal(t, []string{"guild.provider.v1.EventOperatorChanged"}, events)
	require.Equal(t, operator, f.provider(owner).Operator)
	isCtl := func(a string) bool {
		ok, err := f.k.IsController(f.ctx, owner, a)
		require.NoError(t, err)
		return ok
	}
	require.True(t, isCtl(owner))
	require.True(t, isCtl(operator))
	require.False(t, isCtl(stranger))
	require.False(t, isCtl(""))

	// The operator manages nodes but cannot name another operator.
	f.fails(types.ErrNotOwner, set(operator, owner, stranger))
	f.fails(types.ErrNotOwner, set(stranger, owner, stranger))
	f.fails(types.ErrProviderNotFound, set(owner, stranger, operator))
	f.fails(types.ErrInvalidAddress, set(owner, owner, "x"))

	// Replacing the operator takes its rights away.
	f.ok(set(owner, owner, stranger))
	require.False(t, isCtl(operator))
	require.True(t, isCtl(stranger))
	_, err := f.k.IsController(f.ctx, funder, owner)
	require.ErrorIs(t, err, types.ErrProviderNotFound)
}
