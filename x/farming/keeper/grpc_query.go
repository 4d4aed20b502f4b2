package keeper

import (
	"context"
	"encoding/hex"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/farming/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// queryServer implements types.QueryServer over the keeper. Malformed requests fail with
// codes.InvalidArgument; unknown objects with the module's registered not-found errors.
type queryServer struct {
	k Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the module's query server.
func NewQueryServerImpl(k Keeper) types.QueryServer {
	return queryServer{k: k}
}

func invalidArg(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}

func paginationErr(err error) error {
	var registered *errorsmod.Error
	if errors.As(err, &registered) {
		return err
	}
	return invalidArg("pagination: %v", err)
}

// Params returns the parameters.
func (q queryServer) Params(ctx context.Context, req *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	p, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// State returns the difficulty, epoch counters, totals and the module account's balance.
func (q queryServer) State(ctx context.Context, req *types.QueryStateRequest) (*types.QueryStateResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	st, err := q.k.GetState(ctx)
	if err != nil {
		return nil, err
	}
	p, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	bal := q.k.bank.GetBalance(ctx, q.k.moduleAddr, p.RewardDenom)
	return &types.QueryStateResponse{State: st, ModuleBalance: bal.String()}, nil
}

// LatestSignagePoint returns the newest signage point.
func (q queryServer) LatestSignagePoint(ctx context.Context, req *types.QueryLatestSignagePointRequest) (*types.QueryLatestSignagePointResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	st, err := q.k.GetState(ctx)
	if err != nil {
		return nil, err
	}
	if st.LastSpHeight == 0 {
		return nil, errorsmod.Wrap(types.ErrSignagePointNotFound, "no signage point recorded yet")
	}
	sp, err := q.k.GetSignagePoint(ctx, st.LastSpHeight)
	if err != nil {
		return nil, err
	}
	return &types.QueryLatestSignagePointResponse{SignagePoint: sp}, nil
}

// SignagePoint returns the signage point at a height.
func (q queryServer) SignagePoint(ctx context.Context, req *types.QuerySignagePointRequest) (*types.QuerySignagePointResponse, error) {
	if req == nil || req.Height <= 0 {
		return nil, invalidArg("height must be positive")
	}
	sp, err := q.k.GetSignagePoint(ctx, req.Height)
	if err != nil {
		return nil, err
	}
	return &types.QuerySignagePointResponse{SignagePoint: sp}, nil
}

// SignagePoints lists the kept signage points, newest first (pagination.reverse gives oldest
// first).
func (q queryServer) SignagePoints(ctx context.Context, req *types.QuerySignagePointsRequest) (*types.QuerySignagePointsResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	page := req.Pagination
	if page == nil {
		page = &query.PageRequest{}
	}
	// Newest first by default: flip the caller's reverse flag.
	flipped := *page
	flipped.Reverse = !page.Reverse
	list, res, err := query.CollectionPaginate(ctx, q.k.sps, &flipped,
		func(_ int64, sp types.SignagePoint) (types.SignagePoint, error) { return sp, nil })
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QuerySignagePointsResponse{SignagePoints: list, Pagination: res}, nil
}

// PoolContract returns a pool contract and its plot-id key.
func (q queryServer) PoolContract(ctx context.Context, req *types.QueryPoolContractRequest) (*types.QueryPoolContractResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, invalidArg("id must be positive")
	}
	c, err := q.k.GetPoolContract(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	key := types.PoolContractKey(c.Id)
	return &types.QueryPoolContractResponse{PoolContract: c, Key: hex.EncodeToString(key[:])}, nil
}

// PoolContracts lists pool contracts by id.
func (q queryServer) PoolContracts(ctx context.Context, req *types.QueryPoolContractsRequest) (*types.QueryPoolContractsResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.pools, req.Pagination,
		func(_ uint64, c types.PoolContract) (types.PoolContract, error) { return c, nil })
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryPoolContractsResponse{PoolContracts: list, Pagination: page}, nil
}

// PoolContractsByOwner lists an owner's pool contracts.
func (q queryServer) PoolContractsByOwner(ctx context.Context, req *types.QueryPoolContractsByOwnerRequest) (*types.QueryPoolContractsByOwnerResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	list, page, err := q.byIndex(ctx, q.k.pools.Indexes.Owner, "owner", req.Owner, req.Pagination)
	if err != nil {
		return nil, err
	}
	return &types.QueryPoolContractsByOwnerResponse{PoolContracts: list, Pagination: page}, nil
}

// PoolContractsByTarget lists the pool contracts whose target is an address: a pool server
// lists its members (FARMING_TO_POOL and LEAVING_POOL) this way.
func (q queryServer) PoolContractsByTarget(ctx context.Context, req *types.QueryPoolContractsByTargetRequest) (*types.QueryPoolContractsByTargetResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	list, page, err := q.byIndex(ctx, q.k.pools.Indexes.Target, "target", req.Target, req.Pagination)
	if err != nil {
		return nil, err
	}
	return &types.QueryPoolContractsByTargetResponse{PoolContracts: list, Pagination: page}, nil
}

func (q queryServer) byIndex(ctx context.Context, multi *modkit.PartialIndex[string, uint64, types.PoolContract], field, addr string, pr *query.PageRequest) ([]types.PoolContract, *query.PageResponse, error) {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return nil, nil, invalidArg("%s %q: %v", field, addr, err)
	}
	list, page, err := query.CollectionPaginate(ctx, multi, pr,
		func(key collections.Pair[string, uint64], _ collections.NoValue) (types.PoolContract, error) {
			return q.k.GetPoolContract(ctx, key.K2())
		}, query.WithCollectionPaginationPairPrefix[string, uint64](addr))
	if err != nil {
		return nil, nil, paginationErr(err)
	}
	return list, page, nil
}

// PlotID derives a plot id from a pool contract id and a plot public key.
func (q queryServer) PlotID(_ context.Context, req *types.QueryPlotIDRequest) (*types.QueryPlotIDResponse, error) {
	if req == nil || req.PoolContractId == 0 {
		return nil, invalidArg("pool_contract_id must be positive")
	}
	pk, err := hex.DecodeString(req.PlotPublicKey)
	if err != nil {
		return nil, invalidArg("plot_public_key: %v", err)
	}
	id, err := types.PlotID(req.PoolContractId, pk)
	if err != nil {
		return nil, invalidArg("%v", err)
	}
	key := types.PoolContractKey(req.PoolContractId)
	return &types.QueryPlotIDResponse{PlotId: id.String(), PoolContractKey: hex.EncodeToString(key[:])}, nil
}
