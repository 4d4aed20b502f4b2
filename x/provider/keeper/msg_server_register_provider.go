package keeper

import (
	"context"

	"github.com/guild-network/guild/x/provider/types"
)

// RegisterProvider registers the signer as a provider.
func (s msgServer) RegisterProvider(ctx context.Context, msg *types.MsgRegisterProvider) (*types.MsgRegisterProviderResponse, error) {
	if err := msg.ValidateBasic(); err != nil {
		return nil, err
	}
	if err := s.k.RegisterProvider(ctx, msg.Creator, msg.Moniker, msg.HostUri, msg.Attributes); err != nil {
		return nil, err
	}
	return &types.MsgRegisterProviderResponse{}, nil
}
