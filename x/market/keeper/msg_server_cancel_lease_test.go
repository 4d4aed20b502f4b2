package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func TestMsgCancelLease(t *testing.T) {
	f := newFixture(t)
	f.fund("hub", 1_000)
	require.NoError(t, f.deposit("hub", 1_000))
	id, err := f.book("hub", 1, 1)
	require.NoError(t, err)
	cancel := func(who string, reason uint32, report string) func() error {
		return func() error {
			_, err := f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: addr(who), LeaseId: id, Reason: reason, Report: report})
			return err
		}
	}
	f.fails(types.ErrNotTenant, cancel("mallory", types.ReasonTenantDone, ""))
	f.fails(types.ErrInvalidReason, cancel("hub", types.ReasonProviderMisbehaviour, ""))
	f.fails(types.ErrInvalidReason, cancel("hub", types.ReasonOutOfFunds, ""))
	f.fails(types.ErrInvalidRequest, cancel("hub", types.ReasonProviderMisbehaviour, string(make([]byte, f.params.MaxReportText+1))))
	f.ok(cancel("hub", types.ReasonProviderMisbehaviour, "never deployed"), &types.EventLeaseStateChanged{To: types.LEASE_STATE_CLOSED})
	require.EqualValues(t, types.ReasonProviderMisbehaviour, f.lease(id).CloseReason)
	require.Equal(t, []providertypes.LeaseOutcome{providertypes.LEASE_OUTCOME_MISBEHAVIOUR_REPORT}, f.prov.outcomes[addr("prov")])
	f.fails(types.ErrInvalidState, cancel("hub", types.ReasonTenantDone, ""))
}
