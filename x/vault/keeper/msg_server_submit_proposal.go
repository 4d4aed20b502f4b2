package keeper

import (
	"context"

	"github.com/guild-network/guild/x/vault/types"
)

// SubmitProposal opens a vault proposal.
func (s msgServer) SubmitProposal(ctx context.Context, m *types.MsgSubmitProposal) (*types.MsgSubmitProposalResponse, error) {
	if err := m.ValidateBasic(); err != nil {
		return nil, err
	}
	p, err := s.k.SubmitProposal(ctx, m.Proposer, m.PositionId, m.Content)
	if err != nil {
		return nil, err
	}
	return &types.MsgSubmitProposalResponse{ProposalId: p.Id}, nil
}
