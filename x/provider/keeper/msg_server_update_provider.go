package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// UpdateProvider replaces a provider's moniker, host URI and attributes.
func (s msgServer) UpdateProvider(ctx context.Context, msg *types.MsgUpdateProvider) (*types.MsgUpdateProviderResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.UpdateProvider(ctx, msg.Signer, msg.Provider, msg.Moniker, msg.HostUri, msg.Attributes); err != nil {
		return nil, err
	}
	return &types.MsgUpdateProviderResponse{}, nil
}
