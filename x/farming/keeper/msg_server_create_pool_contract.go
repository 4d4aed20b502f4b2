package keeper

import (
	"context"
	"encoding/hex"

	"github.com/guild-network/guild/x/farming/types"
)

// CreatePoolContract creates a self-pooling pool contract owned by the signer.
func (s msgServer) CreatePoolContract(ctx context.Context, msg *types.MsgCreatePoolContract) (*types.MsgCreatePoolContractResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	id, err := s.k.CreatePoolContract(ctx, msg.Owner, msg.OwnerPublicKey)
	if err != nil {
		return nil, err
	}
	key := types.PoolContractKey(id)
	return &types.MsgCreatePoolContractResponse{Id: id, Key: hex.EncodeToString(key[:])}, nil
}
