package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgUpdateParams(t *testing.T) {
	f := newFixture(t)
	update := func(authority string, p types.Params) func() error {
		return func() error {
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority, Params: p})
			return err
		}
	}
	p := f.params
	p.CommunityFeeBps = 250
	f.fails(types.ErrNotAuthority, update(addr("mallory"), p))
	bad := p
	bad.ClosedLeaseRetention = 0
	f.fails(types.ErrInvalidParams, update(f.gov, bad))
	f.ok(update(f.gov, p), &types.EventParamsUpdated{})
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, p, got)
}
