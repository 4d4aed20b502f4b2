package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// Vote casts a position's vote.
func (s msgServer) Vote(ctx context.Context, m *types.MsgVote) (*types.MsgVoteResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.Vote(ctx, m.Voter, m.ProposalId, m.PositionId, m.Yes); err != nil {
		return nil, err
	}
	return &types.MsgVoteResponse{}, nil
}
