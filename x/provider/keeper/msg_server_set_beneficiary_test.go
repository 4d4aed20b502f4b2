package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestSetBeneficiary(t *testing.T) {
	f := setup(t)
	f.register()
	set := func(signer, provider, beneficiary string) func() error {
		return func() error {
			_, err := f.msg.SetBeneficiary(f.ctx, &types.MsgSetBeneficiary{Owner: signer, Provider: provider, Beneficiary: beneficiary})
			return err
		}
	}
	events := f.ok(set(owner, owner, funder))
	require.Equal(t, []string{"guild.provider.v1.EventBeneficiaryChanged"}, events)
	require.Equal(t, funder, f.provider(owner).Beneficiary)

	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	f.fails(types.ErrNotOwner, set(operator, owner, operator)) // only the owner, not the operator
	f.fails(types.ErrNotOwner, set(stranger, owner, stranger))
	f.fails(types.ErrProviderNotFound, set(stranger, stranger, stranger))
	f.fails(types.ErrInvalidAddress, set(owner, owner, "nope"))
	f.fails(types.ErrInvalidAddress, func() error { return f.k.SetBeneficiary(f.ctx, owner, owner, "") })
}
