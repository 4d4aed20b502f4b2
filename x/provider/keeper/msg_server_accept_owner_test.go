package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestAcceptOwner(t *testing.T) {
	f := setup(t)
	f.register()
	f.fails(types.ErrProviderNotFound, func() error {
		_, err := f.msg.AcceptOwner(f.ctx, &types.MsgAcceptOwner{NewOwner: newOwner, Provider: stranger})
		return err
	})
	f.fails(types.ErrInvalidAddress, func() error {
		_, err := f.msg.AcceptOwner(f.ctx, &types.MsgAcceptOwner{NewOwner: "x", Provider: owner})
		return err
	})
	f.fails(types.ErrNotPendingOwner, accept(f, newOwner))
	f.ok(propose(f, owner, newOwner))
	f.ok(accept(f, newOwner))
	require.Equal(t, newOwner, f.provider(owner).Owner)
	// The new owner can hand it back the same way.
	f.ok(func() error { return f.k.ProposeOwner(f.ctx, owner, newOwner, owner) })
	f.ok(accept(f, owner))
	require.Equal(t, owner, f.provider(owner).Owner)
}
