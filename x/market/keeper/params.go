package keeper

import (
	"context"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// UpdateParams replaces the parameters; only the governance authority may. New values apply from
// the next touch of each account or lease (a rate is locked at booking and never repriced).
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
