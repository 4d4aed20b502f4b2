package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgClaim(t *testing.T) {
	f := newFixture(t)
	f.fund("fox", 1_000)
	require.NoError(t, f.deposit("fox", 1_000))
	id, err := f.book("fox", 1, 1) // 2/s
	require.NoError(t, err)
	claim := func(id uint64) func() error {
		return func() error {
			_, err := f.msg.Claim(f.ctx, &types.MsgClaim{Sender: addr("anyone"), LeaseId: id})
			return err
		}
	}
	f.fails(types.ErrInvalidState, claim(id)) // pending: never billed
	f.fails(types.ErrLeaseNotFound, claim(99))
	require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.advance(10)
	f.ok(claim(id), &types.EventPayment{})
	// 20 owed: fee ceil(1) = 1, beneficiary 19.
	require.EqualValues(t, 19, f.balance(addr("prov-pay")))
	require.EqualValues(t, 20, f.lease(id).Paid.Int64())
}
