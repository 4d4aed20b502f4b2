package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgCreateVault(t *testing.T) {
	f := setup(t)
	create := func(operator string, terms types.Terms) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.CreateVault(ctx, &types.MsgCreateVault{Operator: operator, Provider: owner(), Terms: terms, Governance: defaultGov()})
			return err
		}
	}
	// ValidateBasic: a malformed operator address.
	f.check.Fails(sdkerrors.ErrInvalidAddress, create("not-an-address", defaultTerms()))
	// Keeper: the signer controls no provider; terms out of bounds.
	f.check.Fails(types.ErrNotController, create(stranger(), defaultTerms()))
	bad := defaultTerms()
	bad.OperatorFeeBps = 5000 // 50% + the dataset's and device's fees
	f.check.Fails(types.ErrInvalidTerms, create(owner(), bad))

	var res *types.MsgCreateVaultResponse
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.CreateVault(ctx, &types.MsgCreateVault{Operator: owner(), Provider: owner(), Terms: defaultTerms(), Governance: defaultGov()})
		return err
	}, &types.EventVaultCreated{})
	require.Equal(t, uint64(1), res.VaultId)
	require.Equal(t, types.VaultAddress(1).String(), res.Account)
	require.Equal(t, types.ClassID(1), res.ClassId)
	require.True(t, f.nft.HasClass(f.ctx, res.ClassId))
	v := f.getVault(res.VaultId)
	require.Equal(t, types.VaultStatus_VAULT_STATUS_OPEN, v.Status)
	require.Equal(t, owner(), v.Operator)
	require.Equal(t, owner(), v.Provider)
	require.Equal(t, res.Account, v.Account)
	require.True(t, v.TotalShares.IsZero())
	// Creating a vault changes nothing at the provider until custody is accepted.
	p, err := f.prov.GetProvider(f.ctx, owner())
	require.NoError(t, err)
	require.Equal(t, owner(), p.Owner)
}
