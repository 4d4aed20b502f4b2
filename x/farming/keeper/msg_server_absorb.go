package keeper

import (
	"context"

	"github.com/guild-network/guild/x/farming/types"
)

// Absorb moves a pool contract's balance to its current target (anyone).
func (s msgServer) Absorb(ctx context.Context, msg *types.MsgAbsorb) (*types.MsgAbsorbResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	amount, err := s.k.Absorb(ctx, msg.Signer, msg.PoolContractId, msg.Target)
	if err != nil {
		return nil, err
	}
	return &types.MsgAbsorbResponse{Amount: amount}, nil
}
