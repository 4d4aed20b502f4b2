package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgUpdateParams(t *testing.T) {
	f := setup(t)
	update := func(authority string, p types.Params) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: authority, Params: p})
			return err
		}
	}
	// ValidateBasic: no reward denom.
	bad := types.DefaultParams()
	bad.RewardDenoms = nil
	f.check.Fails(types.ErrInvalidParams, update(f.k.Authority(), bad))
	// Keeper: not the chain's authority.
	p := types.DefaultParams()
	p.HarvestInterval = 60
	p.MaxActiveProposals = 3
	f.check.Fails(types.ErrInvalidAuthority, update(stranger(), p))

	f.check.OK(update(f.k.Authority(), p), &types.EventParamsUpdated{})
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, p, got)
}
