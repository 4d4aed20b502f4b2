package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/x/provider/types"
)

// UpdateParams replaces the parameters; only the governance authority may. Lowering a bound
// (attributes, nodes, offers) does not touch existing state: it limits what can be added.
func (k Keeper) UpdateParams(ctx context.Context, authority string, params types.Params) error {
	if authority != k.authority {
		return errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s, got %s", k.authority, authority)
	}
	if err := params.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, params); err != nil {
		return err
	}
	return emit(ctx, &types.EventParamsUpdated{})
}
