package keeper

import (
	"context"

	"github.com/guild-network/guild/x/farming/types"
)

// SubmitProof submits a proof of space for a signage point.
func (s msgServer) SubmitProof(ctx context.Context, msg *types.MsgSubmitProof) (*types.MsgSubmitProofResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	iters, replaced, err := s.k.SubmitProof(ctx, Submission{
		Submitter: msg.Submitter, SpHeight: msg.SpHeight, PlotPublicKey: msg.PlotPublicKey,
		PoolContractID: msg.PoolContractId, K: msg.K, Proof: msg.Proof,
		RewardAddress: msg.RewardAddress, Signature: msg.Signature,
	})
	if err != nil {
		return nil, err
	}
	return &types.MsgSubmitProofResponse{RequiredIters: iters, Replaced: replaced}, nil
}
