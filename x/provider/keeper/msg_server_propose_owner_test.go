package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/guild-network/guild/x/provider/types"
)

func propose(f *fixture, signer, to string) func() error {
	return func() error {
		_, err := f.msg.ProposeOwner(f.ctx, &types.MsgProposeOwner{Owner: signer, Provider: owner, NewOwner: to})
		return err
	}
}

func accept(f *fixture, signer string) func() error {
	return func() error {
		_, err := f.msg.AcceptOwner(f.ctx, &types.MsgAcceptOwner{NewOwner: signer, Provider: owner})
		return err
	}
}

func TestProposeOwner(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })

	f.fails(types.ErrNotOwner, propose(f, operator, newOwner))
	f.fails(types.ErrNotOwner, propose(f, stranger, newOwner))
	f.fails(types.ErrInvalidAddress, propose(f, owner, owner))
	f.fails(types.ErrInvalidAddress, propose(f, owner, "guild1nope"))
	f.fails(types.ErrProviderNotFound, func() error {
		_, err := f.msg.ProposeOwner(f.ctx, &types.MsgProposeOwner{Owner: stranger, Provider: stranger, NewOwner: newOwner})
		return err
	})

	events := f.ok(propose(f, owner, newOwner))
	require.Equal(t, []string{"guild.provider.v1.EventOwnerProposed"}, events)
	require.Equal(t, newOwner, f.provider(owner).PendingOwner)
	require.Equal(t, owner, f.provider(owner).Owner, "a proposal alone changes nothing")

	// A second proposal replaces the first; an empty one cancels.
	f.ok(propose(f, owner, stranger))
	require.Equal(t, stranger, f.provider(owner).PendingOwner)
	f.ok(propose(f, owner, ""))
	require.Empty(t, f.provider(owner).PendingOwner)
	f.fails(types.ErrNotPendingOwner, accept(f, stranger))
}

func TestOwnerChangeTwoSteps(t *testing.T) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	f.fails(types.ErrNotPendingOwner, accept(f, newOwner)) // nothing proposed
	f.ok(propose(f, owner, newOwner))
	f.fails(types.ErrNotPendingOwner, accept(f, stranger))
	f.fails(types.ErrNotPendingOwner, accept(f, owner))

	events := f.ok(accept(f, newOwner))
	require.Equal(t, []string{"guild.provider.v1.EventOwnerChanged"}, events)
	p := f.provider(owner)
	require.Equal(t, newOwner, p.Owner)
	require.Empty(t, p.PendingOwner)
	require.Equal(t, owner, p.Beneficiary, "the beneficiary stays until the new owner changes it")
	require.Equal(t, operator, p.Operator)
	require.Equal(t, owner, p.Address, "the provider's address never changes")

	// The old owner has lost every owner right; the new owner has them.
	f.fails(types.ErrNotOwner, propose(f, owner, stranger))
	f.fails(types.ErrNotOwner, func() error { return f.k.SetBeneficiary(f.ctx, owner, owner, owner) })
	f.fails(types.ErrNotController, func() error {
		return f.k.UpdateProvider(f.ctx, owner, owner, "x", "", nil)
	})
	f.ok(func() error { return f.k.SetBeneficiary(f.ctx, owner, newOwner, newOwner) })
	f.fails(types.ErrNotPendingOwner, accept(f, newOwner)) // the proposal was consumed
}

// A module account (a vault, a credit agent) as owner: nobody can sign for it, so only the
// module, calling the keeper with its own address, can act as owner.
func TestModuleAccountOwner(t *testing.T) {
	f := setup(t)
	f.register()
	vault := authtypes.NewModuleAddress("vault").String()
	f.ok(propose(f, owner, vault))
	f.ok(func() error { return f.k.AcceptOwner(f.ctx, owner, vault) })
	f.ok(func() error { return f.k.SetBeneficiary(f.ctx, owner, vault, vault) })
	p := f.provider(owner)
	require.Equal(t, vault, p.Owner)
	require.Equal(t, vault, p.Beneficiary)
	// The registering account can no longer act as owner (it stays operator until changed).
	f.fails(types.ErrNotOwner, propose(f, owner, stranger))
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, vault, operator) })
	ok, err := f.k.IsController(f.ctx, owner, owner)
	require.NoError(t, err)
	require.False(t, ok)
}
