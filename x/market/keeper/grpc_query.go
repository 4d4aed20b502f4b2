package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// queryServer implements types.QueryServer over the keeper. Malformed requests fail with
// codes.InvalidArgument; an unknown lease with ErrLeaseNotFound (gRPC NotFound); every other
// error keeps its cause.
type queryServer struct{ Keeper }

// NewQueryServerImpl returns the x/market query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k} }

var _ types.QueryServer = queryServer{}

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// viewAccount settles a copy of an account to the block time without changing state.
func viewAccount(a types.Account, t int64) types.Account {
	a.Balance, a.SettledAt = types.Drain(a.Balance, a.TotalRate, a.SettledAt, a.FundedUntil, t)
	return a
}

// Account shows every escrow account of a tenant, settled to the block time.
func (q queryServer) Account(ctx context.Context, req *types.QueryAccountRequest) (*types.QueryAccountResponse, error) {
	if req == nil || req.Tenant == "" {
		return nil, status.Error(codes.InvalidArgument, "tenant is required")
	}
	if _, err := sdk.AccAddressFromBech32(req.Tenant); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "tenant: %v", err)
	}
	params, err := q.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	it, err := q.accounts.Iterate(ctx, collections.NewPrefixedPairRange[string, string](req.Tenant))
	if err != nil {
		return nil, err
	}
	accounts, err := it.Values()
	if err != nil {
		return nil, err
	}
	t := modkit.BlockTime(ctx)
	res := &types.QueryAccountResponse{}
	for _, a := range accounts {
		a = viewAccount(a, t)
		res.Accounts = append(res.Accounts, types.AccountView{
			Account:      a,
			Available:    a.Balance.TruncateInt(),
			Withdrawable: types.Withdrawable(a.Balance, a.CommittedRate, params.MinCover),
		})
	}
	return res, nil
}

// Lease shows a lease and what a claim would pay now.
func (q queryServer) Lease(ctx context.Context, req *types.QueryLeaseRequest) (*types.QueryLeaseResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, status.Error(codes.InvalidArgument, "lease id is required")
	}
	l, err := q.GetLease(ctx, req.Id) // ErrLeaseNotFound answers gRPC NotFound
	if err != nil {
		return nil, err
	}
	owed := l.Unclaimed
	if types.IsBilling(l.State) {
		a, err := q.accounts.Get(ctx, accountKey(l.Tenant, l.Denom))
		if err != nil {
			return nil, err // a billed lease's account always exists: any error is real
		}
		a = viewAccount(a, modkit.BlockTime(ctx))
		owed = owed.Add(types.Accrued(l.Rate, l.BilledUntil, a.SettledAt))
	}
	return &types.QueryLeaseResponse{Lease: l, Payable: sdk.NewCoin(l.Denom, owed.TruncateInt())}, nil
}

// Leases lists leases by tenant, provider or node, optionally only those in one state.
func (q queryServer) Leases(ctx context.Context, req *types.QueryLeasesRequest) (*types.QueryLeasesResponse, error) {
	if req == nil {
		req = &types.QueryLeasesRequest{}
	}
	filters := 0
	for _, set := range []bool{req.Tenant != "", req.Provider != "", req.NodeId != 0} {
		if set {
			filters++
		}
	}
	if filters > 1 {
		return nil, status.Error(codes.InvalidArgument, "filter by at most one of tenant, provider, node")
	}
	keep := func(l types.Lease) bool {
		return req.State == types.LEASE_STATE_UNSPECIFIED || l.State == req.State
	}
	var ids []uint64
	var err error
	idx := q.leases.Indexes
	switch {
	case req.Tenant != "":
		ids, err = idx.Tenant.PrimaryKeys(ctx, req.Tenant, 0)
	case req.Provider != "":
		ids, err = idx.Provider.PrimaryKeys(ctx, req.Provider, 0)
	case req.NodeId != 0 && types.IsLive(req.State):
		// A node's agent asks for its live leases every block: read the live index, not the
		// node's whole history.
		ids, err = idx.LiveByNode.PrimaryKeys(ctx, req.NodeId, 0)
	case req.NodeId != 0:
		ids, err = idx.Node.PrimaryKeys(ctx, req.NodeId, 0)
	default:
		leases, page, err := query.CollectionFilteredPaginate(ctx, q.leases, req.Pagination,
			func(_ uint64, l types.Lease) (bool, error) { return keep(l), nil },
			func(_ uint64, l types.Lease) (types.Lease, error) { return l, nil })
		if err != nil {
			return nil, status.Error(codes.InvalidArgument, err.Error())
		}
		return &types.QueryLeasesResponse{Leases: leases, Pagination: page}, nil
	}
	if err != nil {
		return nil, err
	}
	return q.pageOfIDs(ctx, ids, keep, req.Pagination)
}

// pageOfIDs pages through leases by id with an offset and limit (index lookups return every
// matching id; the page is what is decoded and returned).
func (q queryServer) pageOfIDs(ctx context.Context, ids []uint64, keep func(types.Lease) bool, page *query.PageRequest,
) (*types.QueryLeasesResponse, error) {
	offset, limit := uint64(0), uint64(query.DefaultLimit)
	if page != nil {
		offset = page.Offset
		if page.Limit > 0 {
			limit = page.Limit
		}
	}
	res := &types.QueryLeasesResponse{Pagination: &query.PageResponse{}}
	matched := uint64(0)
	for _, id := range ids {
		l, err := q.leases.Get(ctx, id)
		if err != nil {
			return nil, err // an indexed lease always exists: any error is real
		}
		if !keep(l) {
			continue
		}
		if matched >= offset && uint64(len(res.Leases)) < limit {
			res.Leases = append(res.Leases, l)
		}
		matched++
	}
	res.Pagination.Total = matched
	return res, nil
}

// Totals shows the module-wide flows per denom.
func (q queryServer) Totals(ctx context.Context, _ *types.QueryTotalsRequest) (*types.QueryTotalsResponse, error) {
	it, err := q.totals.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	totals, err := it.Values()
	if err != nil {
		return nil, err
	}
	return &types.QueryTotalsResponse{Totals: totals}, nil
}

// ProviderEarnings shows, per payment denom, what claiming every live lease of a provider
// would pay its beneficiary now: Keeper.ProviderEarnings, the figure x/credit counts as
// collateral, for each denom in which the provider has a live lease. An unknown provider fails
// with x/provider's not-found error (gRPC NotFound); a known one without live leases gets an
// empty list.
func (q queryServer) ProviderEarnings(ctx context.Context, req *types.QueryProviderEarningsRequest) (*types.QueryProviderEarningsResponse, error) {
	if req == nil || req.Provider == "" {
		return nil, status.Error(codes.InvalidArgument, "provider is required")
	}
	if _, err := sdk.AccAddressFromBech32(req.Provider); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "provider: %v", err)
	}
	if _, err := q.provider.GetProvider(ctx, req.Provider); err != nil {
		return nil, err
	}
	rows, err := q.earningsRows(ctx, req.Provider)
	if err != nil {
		return nil, err
	}
	res := &types.QueryProviderEarningsResponse{Earnings: make([]types.DenomEarnings, 0, len(rows))}
	for _, row := range rows {
		e, err := q.Keeper.ProviderEarnings(ctx, req.Provider, row.Denom)
		if err != nil {
			return nil, err
		}
		res.LiveLeases, res.ClaimPages = e.LiveLeases, e.ClaimPages
		res.Earnings = append(res.Earnings, types.DenomEarnings{Denom: row.Denom, Gross: e.Gross, Net: e.Net, LiveLeases: row.LiveLeases})
	}
	return res, nil
}
