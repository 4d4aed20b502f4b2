package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/runtime"

	"github.com/guild-network/guild/x/market/types"
)

// TestClosedLeasesArePruned: a closed lease stays queryable for closed_lease_retention, then the
// end-blocker removes it (a bounded number per block) with EventLeasePruned; the lease query
// then answers NotFound, and the books still balance.
func TestClosedLeasesArePruned(t *testing.T) {
	f := newFixture(t)
	f.params.ClosedLeaseRetention = 1_000
	f.params.MaxDuePerBlock = 2
	_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.gov, Params: f.params})
	require.NoError(t, err)
	f.fund("max", 10_000)
	require.NoError(t, f.deposit("max", 10_000))
	var ids []uint64
	for i := 0; i < 3; i++ {
		id, err := f.book("max", 1, 1)
		require.NoError(t, err)
		require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_FAILED))
		ids = append(ids, id)
	}
	live, err := f.book("max", 1, 1)
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", live, types.DEPLOYMENT_RESULT_DEPLOYED))
	n, err := f.k.ClosedQueueLen(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 3, n)

	f.advance(999)
	require.Equal(t, types.LEASE_STATE_CLOSED, f.lease(ids[0]).State, "kept for the whole retention")
	f.advance(1)
	events := f.ctx.EventManager().Events()
	pruned := 0
	for _, e := range events {
		if e.Type == "guild.market.v1.EventLeasePruned" {
			pruned++
		}
	}
	require.Equal(t, 2, pruned, "at most max_due_per_block per block")
	f.advance(1)
	for _, id := range ids {
		_, err := f.k.GetLease(f.ctx, id)
		require.ErrorIs(t, err, types.ErrLeaseNotFound)
		_, err = f.q.Lease(f.ctx, &types.QueryLeaseRequest{Id: id})
		require.Equal(t, codes.NotFound, status.Code(err))
	}
	n, err = f.k.ClosedQueueLen(f.ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, types.LEASE_STATE_ACTIVE, f.lease(live).State, "live leases are never pruned")
	res, err := f.q.Leases(f.ctx, &types.QueryLeasesRequest{Tenant: addr("max")})
	require.NoError(t, err)
	require.Len(t, res.Leases, 1, "the tenant index followed the pruning")
}

// TestNotFoundOnlyFromErrNotFound: an unknown lease is ErrLeaseNotFound (gRPC NotFound); a lease
// whose stored bytes cannot be decoded is a store error that keeps its cause and is not
// reported as not found (the agent tears workloads down on not-found).
func TestNotFoundOnlyFromErrNotFound(t *testing.T) {
	f := newFixture(t)
	_, err := f.q.Lease(f.ctx, &types.QueryLeaseRequest{Id: 5})
	require.ErrorIs(t, err, types.ErrLeaseNotFound)
	require.Equal(t, codes.NotFound, status.Code(err))

	store := runtime.NewKVStoreService(f.key).OpenKVStore(f.ctx)
	key, err := collections.EncodeKeyWithPrefix(types.LeasesKey, collections.Uint64Key, 5)
	require.NoError(t, err)
	require.NoError(t, store.Set(key, []byte{0xff, 0xff, 0xff}))
	_, err = f.k.GetLease(f.ctx, 5)
	require.Error(t, err)
	require.False(t, errorsmod.IsOf(err, types.ErrLeaseNotFound), "a decoding error is not a missing lease: %v", err)
	_, err = f.q.Lease(f.ctx, &types.QueryLeaseRequest{Id: 5})
	require.Error(t, err)
	require.NotEqual(t, codes.NotFound, status.Code(err))
	_, err = f.msg.Claim(f.ctx, &types.MsgClaim{Sender: addr("x"), LeaseId: 5})
	require.Error(t, err)
	require.False(t, errorsmod.IsOf(err, types.ErrLeaseNotFound))
}

// TestInvariantsCatchIndexDrift: CheckInvariants compares every index with its objects in both
// directions, so an entry missing for a live lease or a stale entry no lease derives is caught.
func TestInvariantsCatchIndexDrift(t *testing.T) {
	f := newFixture(t)
	f.fund("ned", 1_000)
	require.NoError(t, f.deposit("ned", 1_000))
	id, err := f.book("ned", 1, 1)
	require.NoError(t, err)
	f.invariants()
	store := runtime.NewKVStoreService(f.key).OpenKVStore(f.ctx)
	deployKey := collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)
	entry, err := collections.EncodeKeyWithPrefix(types.DeployQueueKey, deployKey, collections.Join(f.lease(id).DeployDeadline, id))
	require.NoError(t, err)

	require.NoError(t, store.Delete(entry))
	require.ErrorIs(t, f.k.CheckInvariants(f.ctx), types.ErrInvariantBroken, "missing entry")
	require.NoError(t, store.Set(entry, []byte{}))
	require.NoError(t, f.k.CheckInvariants(f.ctx))

	stale, err := collections.EncodeKeyWithPrefix(types.DeployQueueKey, deployKey, collections.Join(int64(5), uint64(77)))
	require.NoError(t, err)
	require.NoError(t, store.Set(stale, []byte{}))
	require.ErrorIs(t, f.k.CheckInvariants(f.ctx), types.ErrInvariantBroken, "stale entry")
}
