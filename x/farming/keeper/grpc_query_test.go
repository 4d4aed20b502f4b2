package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/farming/types"
)

func TestQueries(t *testing.T) {
	f := setup(t, testParams())
	_, err := f.q.LatestSignagePoint(f.ctx, &types.QueryLatestSignagePointRequest{})
	require.ErrorIs(t, err, types.ErrSignagePointNotFound)
	f.createContracts()
	f.advance(4)

	latest, err := f.q.LatestSignagePoint(f.ctx, &types.QueryLatestSignagePointRequest{})
	require.NoError(t, err)
	require.Equal(t, f.ctx.BlockHeight()-1, latest.SignagePoint.Height)
	want := types.SignagePointHash(blockHash(latest.SignagePoint.Height))
	require.Equal(t, want[:], latest.SignagePoint.Hash)

	one, err := f.q.SignagePoint(f.ctx, &types.QuerySignagePointRequest{Height: 2})
	require.NoError(t, err)
	require.Equal(t, int64(2), one.SignagePoint.Height)
	_, err = f.q.SignagePoint(f.ctx, &types.QuerySignagePointRequest{Height: 99})
	require.ErrorIs(t, err, types.ErrSignagePointNotFound)

	list, err := f.q.SignagePoints(f.ctx, &types.QuerySignagePointsRequest{Pagination: &query.PageRequest{Limit: 2}})
	require.NoError(t, err)
	require.Len(t, list.SignagePoints, 2)
	require.Equal(t, latest.SignagePoint.Height, list.SignagePoints[0].Height, "newest first")

	pc, err := f.q.PoolContract(f.ctx, &types.QueryPoolContractRequest{Id: 2})
	require.NoError(t, err)
	require.Equal(t, farmerB, pc.PoolContract.Owner)
	_, err = f.q.PoolContract(f.ctx, &types.QueryPoolContractRequest{Id: 3})
	require.ErrorIs(t, err, types.ErrPoolContractNotFound)
	all, err := f.q.PoolContracts(f.ctx, &types.QueryPoolContractsRequest{})
	require.NoError(t, err)
	require.Len(t, all.PoolContracts, 2)

	id, err := f.q.PlotID(f.ctx, &types.QueryPlotIDRequest{PoolContractId: 1, PlotPublicKey: hex.EncodeToString(plots[0].pub)})
	require.NoError(t, err)
	require.Equal(t, plots[0].id.String(), id.PlotId)
	_, err = f.q.PlotID(f.ctx, &types.QueryPlotIDRequest{PoolContractId: 1, PlotPublicKey: "abcd"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))

	st, err := f.q.State(f.ctx, &types.QueryStateRequest{})
	require.NoError(t, err)
	require.Equal(t, testParams().InitialDifficulty, st.State.Difficulty)
	_, err = f.q.PoolContractsByTarget(f.ctx, &types.QueryPoolContractsByTargetRequest{Target: "bad"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
}
