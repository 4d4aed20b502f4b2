package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgCloseLease(t *testing.T) {
	f := newFixture(t)
	f.fund("ida", 1_000)
	require.NoError(t, f.deposit("ida", 1_000))
	pending, err := f.book("ida", 1, 1)
	require.NoError(t, err)
	active, err := f.book("ida", 1, 1)
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", active, types.DEPLOYMENT_RESULT_DEPLOYED))
	close := func(who string, id uint64) func() error {
		return func() error {
			_, err := f.msg.CloseLease(f.ctx, &types.MsgCloseLease{Signer: addr(who), LeaseId: id})
			return err
		}
	}
	f.fails(types.ErrNotController, close("mallory", active))
	f.ok(close("prov", pending), &types.EventLeaseStateChanged{To: types.LEASE_STATE_CLOSED})
	require.EqualValues(t, types.ReasonDeployFailed, f.lease(pending).CloseReason)
	f.ok(close("prov", active), &types.EventLeaseStateChanged{To: types.LEASE_STATE_CLOSING})
	require.Equal(t, f.ctx.BlockTime().Unix()+f.params.ProviderNotice, f.lease(active).ClosingAt)
	f.fails(types.ErrInvalidState, close("prov", active))
}
