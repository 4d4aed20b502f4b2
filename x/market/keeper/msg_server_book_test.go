package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func TestMsgBook(t *testing.T) {
	f := newFixture(t)
	f.fund("cal", 1_000)
	require.NoError(t, f.deposit("cal", 1_000))
	book := func(offer, units uint64, maxPrice string) func() error {
		return func() error {
			_, err := f.msg.Book(f.ctx, &types.MsgBook{Tenant: addr("cal"), OfferId: offer, Units: units, DeploymentHash: hash, MaxPrice: maxPrice})
			return err
		}
	}
	f.ok(book(1, 2, "2"), &types.EventLeaseCreated{}, &types.EventLeaseStateChanged{})
	l := f.lease(1)
	require.Equal(t, types.LEASE_STATE_PENDING, l.State)
	require.Equal(t, f.ctx.BlockTime().Unix()+f.params.DeployTimeout, l.DeployDeadline)

	f.fails(types.ErrInvalidAmount, book(1, 0, ""))
	f.fails(types.ErrPriceAboveMax, book(1, 1, "1.99"))
	f.fails(types.ErrInsufficientCover, book(1, 4, "")) // (4 + 8)/s × 100 s = 1,200 > 1,000
	f.fails(types.ErrInvalidDeployment, func() error {
		_, err := f.msg.Book(f.ctx, &types.MsgBook{Tenant: addr("cal"), OfferId: 1, Units: 1, DeploymentHash: hash[:31]})
		return err
	})
	// A suspended node is not bookable: x/provider's refusal comes through unchanged.
	f.prov.nodes[1] = suspended(f.prov.nodes[1])
	f.fails(providertypes.ErrNodeSuspended, book(2, 1, ""))
}

func suspended(n providertypes.Node) providertypes.Node {
	n.Suspended, n.SuspendReason = true, "deploy timeout"
	return n
}
