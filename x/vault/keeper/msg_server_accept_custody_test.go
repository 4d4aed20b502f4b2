package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	providertypes "github.com/guild-network/guild/x/provider/types"
	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgAcceptCustody(t *testing.T) {
	f := setup(t)
	v, err := f.k.CreateVault(f.ctx, owner(), owner(), defaultTerms(), defaultGov())
	require.NoError(t, err)
	accept := func(operator string, id uint64) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.AcceptCustody(ctx, &types.MsgAcceptCustody{Operator: operator, VaultId: id})
			return err
		}
	}
	// ValidateBasic: vault id 0.
	f.check.Fails(types.ErrInvalidAmount, accept(owner(), 0))
	// Keeper: the provider's owner has not proposed the vault account yet; not the operator.
	f.check.Fails(providertypes.ErrNotPendingOwner, accept(owner(), v.Id))
	require.NoError(t, f.prov.ProposeOwner(f.ctx, owner(), owner(), v.Account))
	f.check.Fails(types.ErrNotOperator, accept(stranger(), v.Id))

	f.check.OK(accept(owner(), v.Id), &types.EventCustodyAccepted{})
	require.Equal(t, types.VaultStatus_VAULT_STATUS_CUSTODY, f.getVault(v.Id).Status)
	p, err := f.prov.GetProvider(f.ctx, owner())
	require.NoError(t, err)
	require.Equal(t, v.Account, p.Owner)
	require.Equal(t, v.Account, p.Beneficiary)
	require.Equal(t, owner(), p.Operator)
	require.Empty(t, p.PendingOwner)
	// Only once.
	f.check.Fails(types.ErrInvalidStatus, accept(owner(), v.Id))
}
