package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgPledge(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms()) // 20% reserve
	f.deposit(investor(1), v.Id, 5_000_000)
	pledge := func(nodeID uint64, amt int64) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Pledge(ctx, &types.MsgPledge{Operator: owner(), VaultId: v.Id, NodeId: nodeID, Amount: sdk.NewInt64Coin("ugld", amt)})
			return err
		}
	}
	// ValidateBasic: node id 0.
	f.check.Fails(types.ErrInvalidAmount, pledge(0, 1_000_000))
	// Keeper: 5_000_000 principal keeps 1_000_000 in reserve, so at most 4_000_000 is pledged.
	f.check.Fails(types.ErrReserveBreached, pledge(f.nodeID, 4_000_001))

	bond := func() string {
		n, err := f.prov.GetNode(f.ctx, f.nodeID)
		require.NoError(t, err)
		return n.Bond.String()
	}
	require.Equal(t, "1000000ugld", bond())
	f.check.OK(pledge(f.nodeID, 4_000_000), &types.EventPledged{})
	got := f.getVault(v.Id)
	require.Equal(t, "1000000", got.Liquid.String())
	require.Equal(t, "4000000", got.Pledged.String())
	require.Equal(t, "5000000ugld", bond())
	require.Equal(t, int64(1_000_000), f.balance(v.Account, "ugld"))
	res, err := f.q.Pledges(f.ctx, &types.QueryPledgesRequest{VaultId: v.Id})
	require.NoError(t, err)
	require.Len(t, res.Pledges, 1)
	require.Equal(t, f.nodeID, res.Pledges[0].NodeId)
	require.Equal(t, "4000000", res.Pledges[0].Amount.String())
}
