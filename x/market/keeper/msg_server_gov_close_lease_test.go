package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
)

func TestMsgGovCloseLease(t *testing.T) {
	f := newFixture(t)
	f.fund("jon", 1_000)
	require.NoError(t, f.deposit("jon", 1_000))
	id, err := f.book("jon", 1, 1)
	require.NoError(t, err)
	govClose := func(authority string) func() error {
		return func() error {
			_, err := f.msg.GovCloseLease(f.ctx, &types.MsgGovCloseLease{Authority: authority, LeaseId: id, Note: "abuse"})
			return err
		}
	}
	f.fails(types.ErrNotAuthority, govClose(addr("mallory")))
	f.ok(govClose(f.gov), &types.EventLeaseStateChanged{To: types.LEASE_STATE_CLOSED})
	require.EqualValues(t, types.ReasonGovernance, f.lease(id).CloseReason)
	f.fails(types.ErrInvalidState, govClose(f.gov))
}
