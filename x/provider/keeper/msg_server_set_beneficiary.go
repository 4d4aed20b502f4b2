package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// SetBeneficiary changes who receives the payouts.
func (s msgServer) SetBeneficiary(ctx context.Context, msg *types.MsgSetBeneficiary) (*types.MsgSetBeneficiaryResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.SetBeneficiary(ctx, msg.Provider, msg.Owner, msg.Beneficiary); err != nil {
		return nil, err
	}
	return &types.MsgSetBeneficiaryResponse{}, nil
}
