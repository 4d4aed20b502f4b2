package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestUpdateParams(t *testing.T) {
	f := setup(t)
	update := func(authority string, p types.Params) func() error {
		return func() error {
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority, Params: p})
			return err
		}
	}
	p := types.DefaultParams()
	p.HeartbeatTimeout = 120
	p.MaxOffersPerNode = 4
	events := f.ok(update(f.authority, p))
	require.Equal(t, []string{"guild.provider.v1.EventParamsUpdated"}, events)
	res, err := f.q.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, p, res.Params)
	require.Equal(t, f.authority, f.k.Authority())

	f.fails(types.ErrInvalidAuthority, update(owner, types.DefaultParams()))
	bad := types.DefaultParams()
	bad.HeartbeatTimeout = 0
	f.fails(types.ErrInvalidParams, update(f.authority, bad))
	f.fails(types.ErrInvalidParams, func() error { return f.k.UpdateParams(f.ctx, f.authority, bad) })
}
