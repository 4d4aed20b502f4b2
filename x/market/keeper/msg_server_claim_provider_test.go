package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func TestMsgClaimProvider(t *testing.T) {
	f := newFixture(t)
	f.fund("gus", 10_000)
	require.NoError(t, f.deposit("gus", 10_000))
	var ids []uint64
	for i := 0; i < 3; i++ {
		id, err := f.book("gus", 1, 1)
		require.NoError(t, err)
		require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
		ids = append(ids, id)
	}
	pending, err := f.book("gus", 1, 1)
	require.NoError(t, err)
	f.advance(10)
	var res *types.MsgClaimProviderResponse
	claim := func(start uint64, limit uint32) func() error {
		return func() error {
			var err error
			res, err = f.msg.ClaimProvider(f.ctx, &types.MsgClaimProvider{Sender: addr("anyone"), Provider: addr("prov"), StartAfter: start, Limit: limit})
			return err
		}
	}
	f.ok(claim(0, 2), &types.EventPayment{}, &types.EventPayment{})
	require.EqualValues(t, 2, res.Leases)
	require.Equal(t, ids[1], res.Next, "a further page follows")
	f.ok(claim(res.Next, 2), &types.EventPayment{})
	require.EqualValues(t, 1, res.Leases, "the pending lease is skipped")
	require.Zero(t, res.Next)
	require.Zero(t, f.lease(pending).Paid.Int64())
	require.EqualValues(t, 3*19, f.balance(addr("prov-pay")), "3 leases × 20 owed, less a fee of 1 each")

	f.fails(providertypes.ErrProviderNotFound, func() error {
		_, err := f.msg.ClaimProvider(f.ctx, &types.MsgClaimProvider{Sender: addr("anyone"), Provider: addr("nobody")})
		return err
	})
}
