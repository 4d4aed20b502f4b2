package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/vault/types"
)

// VoteWeight tells what a position's vote on a proposal weighs — its shares at the proposal's
// start: the vote's weight if it voted, its snapshot if its shares changed since, else its
// shares now — whether it is eligible, voted, and can vote now, and who would cast the vote.
// A position closed without voting is not found. On an ended proposal a position that did not
// vote weighs zero: its vote can no longer be cast, and its start shares (snapshot) are pruned
// after the end.
func (q queryServer) VoteWeight(ctx context.Context, req *types.QueryVoteWeightRequest) (*types.QueryVoteWeightResponse, error) {
	if req == nil || req.ProposalId == 0 || req.PositionId == 0 {
		return nil, invalidArg("proposal id and position id required")
	}
	p, err := q.k.GetProposal(ctx, req.ProposalId)
	if err != nil {
		return nil, err
	}
	res := &types.QueryVoteWeightResponse{Weight: sdkmath.ZeroInt()}
	pos, perr := q.k.GetPosition(ctx, req.PositionId)
	if perr != nil && !errors.Is(perr, types.ErrPositionNotFound) {
		return nil, perr
	}
	alive := perr == nil
	if alive {
		res.Owner = q.k.PositionOwner(ctx, pos).String()
	}
	key := collections.Join(req.ProposalId, req.PositionId)
	if v, err := q.k.votes.Get(ctx, key); err == nil {
		res.Weight, res.Eligible, res.Voted = v.Weight, true, true
		return res, nil
	} else if !errors.Is(err, collections.ErrNotFound) {
		return nil, err
	}
	if !alive {
		return nil, perr
	}
	res.Eligible = pos.VaultId == p.VaultId && pos.Id <= p.LastPosition
	if !res.Eligible {
		return res, nil
	}
	if p.Status != types.ProposalStatus_PROPOSAL_STATUS_VOTING {
		return res, nil
	}
	res.Weight = pos.Shares
	if s, err := q.k.snapshots.Get(ctx, key); err == nil {
		res.Weight = s.Shares
	} else if !errors.Is(err, collections.ErrNotFound) {
		return nil, err
	}
	res.CanVote = p.Status == types.ProposalStatus_PROPOSAL_STATUS_VOTING && modkit.BlockTime(ctx) < p.End
	return res, nil
}
