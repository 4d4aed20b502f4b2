package keeper

import (
	"context"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// UpdateParams replaces the parameters; only the governance authority may. Lowering a bound
// (attributes, nodes, offers) does not touch existing state: it limits what can be added.
func (k Keeper) UpdateParams(ctx context.Context, authority string, params types.Params) error {
	if err := modkit.CheckAuthority(k.authority, authority, types.ErrNotAuthority); err != nil {
		return err
	}
	if err := params.Validate(); err != nil {
		return err
	}
	if err := k.params.Set(ctx, params); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventParamsUpdated{})
}
