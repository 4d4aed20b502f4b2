package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
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

func checkAddress(field, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return invalidArg("%s %q: %v", field, addr, err)
	}
	return nil
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

// Provider returns a provider and its score.
func (q queryServer) Provider(ctx context.Context, req *types.QueryProviderRequest) (*types.QueryProviderResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	if err := checkAddress("address", req.Address); err != nil {
		return nil, err
	}
	p, err := q.k.GetProvider(ctx, req.Address)
	if err != nil {
		return nil, err
	}
	return &types.QueryProviderResponse{Provider: p, Score: types.Score(p.Reputation)}, nil
}

// Providers lists providers by address.
func (q queryServer) Providers(ctx context.Context, req *types.QueryProvidersRequest) (*types.QueryProvidersResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.providers, req.Pagination,
		func(_ string, p types.Provider) (types.Provider, error) { return p, nil })
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryProvidersResponse{Providers: list, Pagination: page}, nil
}

// Score returns a provider's reputation score and counters.
func (q queryServer) Score(ctx context.Context, req *types.QueryScoreRequest) (*types.QueryScoreResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	if err := checkAddress("address", req.Address); err != nil {
		return nil, err
	}
	score, rep, err := q.k.Score(ctx, req.Address)
	if err != nil {
		return nil, err
	}
	return &types.QueryScoreResponse{Score: score, Reputation: rep}, nil
}

// Node returns a node and its effective status.
func (q queryServer) Node(ctx context.Context, req *types.QueryNodeRequest) (*types.QueryNodeResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	n, err := q.k.GetNode(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	s, err := q.k.EffectiveStatus(ctx, n)
	if err != nil {
		return nil, err
	}
	return &types.QueryNodeResponse{Node: n, EffectiveStatus: s}, nil
}

// Nodes lists nodes by id, all of them or one provider's.
func (q queryServer) Nodes(ctx context.Context, req *types.QueryNodesRequest) (*types.QueryNodesResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	var (
		list []types.Node
		page *query.PageResponse
		err  error
	)
	if req.Provider == "" {
		list, page, err = query.CollectionPaginate(ctx, q.k.nodes, req.Pagination,
			func(_ uint64, n types.Node) (types.Node, error) { return n, nil })
	} else {
		if err := checkAddress("provider", req.Provider); err != nil {
			return nil, err
		}
		list, page, err = query.CollectionPaginate(ctx, q.k.nodes.Indexes.Provider, req.Pagination,
			func(key collections.Pair[string, uint64], _ collections.NoValue) (types.Node, error) {
				return q.k.GetNode(ctx, key.K2())
			}, query.WithCollectionPaginationPairPrefix[string, uint64](req.Provider))
	}
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryNodesResponse{Nodes: list, Pagination: page}, nil
}

// Offer returns an offer.
func (q queryServer) Offer(ctx context.Context, req *types.QueryOfferRequest) (*types.QueryOfferResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	o, err := q.k.GetOffer(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return &types.QueryOfferResponse{Offer: o}, nil
}

// Offers lists offers by id, all of them or one provider's.
func (q queryServer) Offers(ctx context.Context, req *types.QueryOffersRequest) (*types.QueryOffersResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	var (
		list []types.Offer
		page *query.PageResponse
		err  error
	)
	if req.Provider == "" {
		list, page, err = query.CollectionPaginate(ctx, q.k.offers, req.Pagination,
			func(_ uint64, o types.Offer) (types.Offer, error) { return o, nil })
	} else {
		if err := checkAddress("provider", req.Provider); err != nil {
			return nil, err
		}
		list, page, err = query.CollectionPaginate(ctx, q.k.offers.Indexes.Provider, req.Pagination,
			func(key collections.Pair[string, uint64], _ collections.NoValue) (types.Offer, error) {
				return q.k.GetOffer(ctx, key.K2())
			}, query.WithCollectionPaginationPairPrefix[string, uint64](req.Provider))
	}
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryOffersResponse{Offers: list, Pagination: page}, nil
}

// offerFilter is a parsed QueryAvailableOffersRequest.
type offerFilter struct {
	min      types.Resources
	denom    string
	maxPrice *sdkmath.LegacyDec
	minScore uint32
}

func parseOfferFilter(req *types.QueryAvailableOffersRequest) (offerFilter, error) {
	f := offerFilter{
		min: types.Resources{
			CpuMilli: req.MinCpuMilli, MemoryBytes: req.MinMemoryBytes,
			StorageBytes: req.MinStorageBytes, Gpus: req.MinGpus,
		},
		denom:    req.Denom,
		minScore: req.MinScore,
	}
	if req.Kind != types.OFFER_KIND_UNSPECIFIED && !types.IsValidOfferKind(req.Kind) {
		return f, invalidArg("kind %d", int32(req.Kind))
	}
	if req.Denom != "" {
		if err := sdk.ValidateDenom(req.Denom); err != nil {
			return f, invalidArg("denom: %v", err)
		}
	}
	if req.MaxPrice != "" {
		if req.Denom == "" {
			return f, invalidArg("max_price needs a denom")
		}
		d, err := sdkmath.LegacyNewDecFromStr(req.MaxPrice)
		if err != nil {
			return f, invalidArg("max_price %q: %v", req.MaxPrice, err)
		}
		if d.IsNegative() {
			return f, invalidArg("max_price %q is negative", req.MaxPrice)
		}
		f.maxPrice = &d
	}
	if req.MinScore > types.MaxScore {
		return f, invalidArg("min_score %d above %d", req.MinScore, types.MaxScore)
	}
	return f, nil
}

// AvailableOffers lists, by kind and id, the offers a tenant can book now: active with free
// units (the available index), matching the filters, on a node that is effectively online,
// bonded as required and with free capacity for one unit.
func (q queryServer) AvailableOffers(ctx context.Context, req *types.QueryAvailableOffersRequest) (*types.QueryAvailableOffersResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	f, err := parseOfferFilter(req)
	if err != nil {
		return nil, err
	}
	params, err := q.k.GetParams(ctx)
	if err != nil {
		return nil, err
	}
	now := modkit.BlockTime(ctx)
	var opts []func(*query.CollectionsPaginateOptions[collections.Pair[int32, uint64]])
	if req.Kind != types.OFFER_KIND_UNSPECIFIED {
		opts = append(opts, query.WithCollectionPaginationPairPrefix[int32, uint64](int32(req.Kind)))
	}
	list, page, err := query.CollectionFilteredPaginate(ctx, q.k.offers.Indexes.Available, req.Pagination,
		func(key collections.Pair[int32, uint64], _ collections.NoValue) (bool, error) {
			o, err := q.k.GetOffer(ctx, key.K2())
			if err != nil {
				return false, err
			}
			return q.matches(ctx, o, f, params, now)
		},
		func(key collections.Pair[int32, uint64], _ collections.NoValue) (types.Offer, error) {
			return q.k.GetOffer(ctx, key.K2())
		}, opts...)
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryAvailableOffersResponse{Offers: list, Pagination: page}, nil
}

// matches applies the filters to an available offer, cheapest checks first.
func (q queryServer) matches(ctx context.Context, o types.Offer, f offerFilter, params types.Params, now int64) (bool, error) {
	if !o.Resources.AtLeast(f.min) {
		return false, nil
	}
	if f.denom != "" && o.Price.Denom != f.denom {
		return false, nil
	}
	if f.maxPrice != nil && o.Price.Amount.GT(*f.maxPrice) {
		return false, nil
	}
	n, err := q.k.GetNode(ctx, o.NodeId)
	if err != nil {
		return false, err
	}
	if bookable(n, params, now) != nil {
		return false, nil
	}
	if free, err := n.Capacity.Sub(n.Reserved); err != nil || !o.Resources.FitsIn(free) {
		return false, nil
	}
	if f.minScore > 0 {
		p, err := q.k.GetProvider(ctx, o.Provider)
		if err != nil {
			return false, err
		}
		if types.Score(p.Reputation) < f.minScore {
			return false, nil
		}
	}
	return true, nil
}

// paginationErr reports a bad page request (both key and offset, an undecodable key) as an
// invalid argument and passes the module's registered errors through.
func paginationErr(err error) error {
	var registered *errorsmod.Error
	if errors.As(err, &registered) {
		return err
	}
	return invalidArg("pagination: %v", err)
}
