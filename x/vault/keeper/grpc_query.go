package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/vault/types"
)

// queryServer implements types.QueryServer. Malformed requests fail with codes.InvalidArgument;
// unknown objects with the module's registered not-found errors. Figures are computed at the
// current block as an operation would see them: pledges reconciled, untracked income booked.
type queryServer struct {
	k Keeper
}

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the module's query server.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k: k} }

func invalidArg(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}

func paginationErr(err error) error { return status.Error(codes.InvalidArgument, err.Error()) }

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

// Vault returns a vault as of now, with its principal assets and balance.
func (q queryServer) Vault(ctx context.Context, req *types.QueryVaultRequest) (*types.QueryVaultResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, invalidArg("vault id required")
	}
	t, err := q.k.touch(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return &types.QueryVaultResponse{Vault: types.VaultView{
		Vault: t.v, ClassId: types.ClassID(t.v.Id), PrincipalAssets: t.v.PrincipalAssets(),
		Balance: q.k.bank.GetAllBalances(ctx, t.account),
	}}, nil
}

// Vaults lists vaults by id, as stored.
func (q queryServer) Vaults(ctx context.Context, req *types.QueryVaultsRequest) (*types.QueryVaultsResponse, error) {
	if req == nil {
		return nil, invalidArg("empty request")
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.vaults, req.Pagination,
		func(_ uint64, v types.Vault) (types.Vault, error) { return v, nil })
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryVaultsResponse{Vaults: list, Pagination: page}, nil
}

// positionView is a position as of now: settled against the touched vault.
func (q queryServer) positionView(ctx context.Context, t *touched, p types.Position) types.PositionView {
	types.SettlePosition(&t.v, &p)
	var claimable sdk.Coins
	for _, cp := range p.Rewards {
		if cp.Unclaimed.IsPositive() {
			claimable = claimable.Add(sdk.NewCoin(cp.Denom, cp.Unclaimed))
		}
	}
	return types.PositionView{
		Position: p, Owner: q.k.PositionOwner(ctx, p).String(), Claimable: claimable,
		Value: types.AssetsForShares(p.Shares, t.v.TotalShares, t.v.PrincipalAssets()),
	}
}

// Position returns a position with its owner (from x/nft), claimable rewards and value.
func (q queryServer) Position(ctx context.Context, req *types.QueryPositionRequest) (*types.QueryPositionResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, invalidArg("position id required")
	}
	p, err := q.k.GetPosition(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	t, err := q.k.touch(ctx, p.VaultId)
	if err != nil {
		return nil, err
	}
	return &types.QueryPositionResponse{Position: q.positionView(ctx, t, p)}, nil
}

// Positions lists a vault's positions by id.
func (q queryServer) Positions(ctx context.Context, req *types.QueryPositionsRequest) (*types.QueryPositionsResponse, error) {
	if req == nil || req.VaultId == 0 {
		return nil, invalidArg("vault id required")
	}
	t, err := q.k.touch(ctx, req.VaultId)
	if err != nil {
		return nil, err
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.positions.Indexes.Vault, req.Pagination,
		func(key collections.Pair[uint64, uint64], _ collections.NoValue) (types.PositionView, error) {
			p, err := q.k.GetPosition(ctx, key.K2())
			if err != nil {
				return types.PositionView{}, err
			}
			return q.positionView(ctx, t, p), nil
		}, query.WithCollectionPaginationPairPrefix[uint64, uint64](req.VaultId))
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryPositionsResponse{Positions: list, Pagination: page}, nil
}

// OwnerPositions lists the positions an address owns in a vault, as x/nft records them.
func (q queryServer) OwnerPositions(ctx context.Context, req *types.QueryOwnerPositionsRequest) (*types.QueryOwnerPositionsResponse, error) {
	if req == nil || req.VaultId == 0 {
		return nil, invalidArg("vault id required")
	}
	owner, err := sdk.AccAddressFromBech32(req.Owner)
	if err != nil {
		return nil, invalidArg("owner %q: %v", req.Owner, err)
	}
	t, err := q.k.touch(ctx, req.VaultId)
	if err != nil {
		return nil, err
	}
	res := &types.QueryOwnerPositionsResponse{}
	for _, token := range q.k.nft.GetNFTsOfClassByOwner(ctx, types.ClassID(req.VaultId), owner) {
		id, err := types.ParseTokenID(token.Id)
		if err != nil {
			continue
		}
		p, err := q.k.GetPosition(ctx, id)
		if err != nil {
			return nil, err
		}
		res.Positions = append(res.Positions, q.positionView(ctx, t, p))
	}
	return res, nil
}

// Pledges lists a vault's pledges by node, as stored (see the vault query for reconciled totals).
func (q queryServer) Pledges(ctx context.Context, req *types.QueryPledgesRequest) (*types.QueryPledgesResponse, error) {
	if req == nil || req.VaultId == 0 {
		return nil, invalidArg("vault id required")
	}
	if _, err := q.k.GetVault(ctx, req.VaultId); err != nil {
		return nil, err
	}
	list, err := q.k.vaultPledges(ctx, req.VaultId)
	if err != nil {
		return nil, err
	}
	return &types.QueryPledgesResponse{Pledges: list}, nil
}

// Proposal returns a proposal.
func (q queryServer) Proposal(ctx context.Context, req *types.QueryProposalRequest) (*types.QueryProposalResponse, error) {
	if req == nil || req.Id == 0 {
		return nil, invalidArg("proposal id required")
	}
	p, err := q.k.GetProposal(ctx, req.Id)
	if err != nil {
		return nil, err
	}
	return &types.QueryProposalResponse{Proposal: p}, nil
}

// Proposals lists a vault's proposals by id.
func (q queryServer) Proposals(ctx context.Context, req *types.QueryProposalsRequest) (*types.QueryProposalsResponse, error) {
	if req == nil || req.VaultId == 0 {
		return nil, invalidArg("vault id required")
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.proposals.Indexes.Vault, req.Pagination,
		func(key collections.Pair[uint64, uint64], _ collections.NoValue) (types.Proposal, error) {
			return q.k.GetProposal(ctx, key.K2())
		}, query.WithCollectionPaginationPairPrefix[uint64, uint64](req.VaultId))
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryProposalsResponse{Proposals: list, Pagination: page}, nil
}

// Votes lists a proposal's votes by position.
func (q queryServer) Votes(ctx context.Context, req *types.QueryVotesRequest) (*types.QueryVotesResponse, error) {
	if req == nil || req.ProposalId == 0 {
		return nil, invalidArg("proposal id required")
	}
	list, page, err := query.CollectionPaginate(ctx, q.k.votes, req.Pagination,
		func(_ collections.Pair[uint64, uint64], v types.Vote) (types.Vote, error) { return v, nil },
		query.WithCollectionPaginationPairPrefix[uint64, uint64](req.ProposalId))
	if err != nil {
		return nil, paginationErr(err)
	}
	return &types.QueryVotesResponse{Votes: list, Pagination: page}, nil
}
