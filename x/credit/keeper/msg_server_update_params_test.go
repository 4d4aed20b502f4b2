package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
)

func TestMsgServerUpdateParams(t *testing.T) {
	f := newFixture(t)
	update := func(m *types.MsgUpdateParams) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.msg.UpdateParams(ctx, m); return err }
	}
	p := types.DefaultParams()
	p.TreasuryBps = 500
	bad := types.DefaultParams()
	bad.MaxDtlBps = 9000 // above administration
	// ValidateBasic.
	f.check.Fails(sdkerrors.ErrInvalidAddress, update(&types.MsgUpdateParams{Authority: "", Params: p}))
	f.check.Fails(types.ErrInvalidParams, update(&types.MsgUpdateParams{Authority: f.gov, Params: bad}))
	// Keeper: only the governance authority.
	f.check.Fails(types.ErrInvalidAuthority, update(&types.MsgUpdateParams{Authority: addr("other"), Params: p}))

	f.check.OK(update(&types.MsgUpdateParams{Authority: f.gov, Params: p}), &types.EventParamsUpdated{})
	res, err := f.q.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, uint32(500), res.Params.TreasuryBps)
}
