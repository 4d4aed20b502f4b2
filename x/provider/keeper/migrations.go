package keeper

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// Migrator runs x/provider's in-place store migrations (registered with the configurator by
// the module; see ADR 0014 for how an upgrade handler reaches them).
type Migrator struct{ k Keeper }

// NewMigrator returns the migrator over k.
func NewMigrator(k Keeper) Migrator { return Migrator{k: k} }

// Migrate1to2 moves x/provider from consensus version 1 to 2: it writes heartbeat_interval,
// which version 1 leaves zero. The value is DefaultHeartbeatInterval, lowered to half the
// chain's heartbeat_timeout when that is shorter, so that a chain whose governance chose a short
// timeout keeps valid parameters. Every other parameter and all other state are left as they
// are. The result is validated before it is written: a chain whose parameters cannot take the
// new field (heartbeat_timeout below 2 s) stops at the upgrade rather than run with invalid
// parameters.
func (m Migrator) Migrate1to2(ctx sdk.Context) error {
	params, err := m.k.params.Get(ctx)
	if err != nil {
		return errorsmod.Wrap(err, "x/provider migration 1 -> 2: read params")
	}
	params.HeartbeatInterval = MigratedHeartbeatInterval(params.HeartbeatInterval, params.HeartbeatTimeout)
	if err := params.Validate(); err != nil {
		return errorsmod.Wrap(err, "x/provider migration 1 -> 2")
	}
	if err := m.k.params.Set(ctx, params); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventParamsUpdated{})
}

// MigratedHeartbeatInterval is the heartbeat_interval the 1 -> 2 migration writes: an interval
// already set is kept; otherwise DefaultHeartbeatInterval, capped at timeout/2 (rounded down).
// Example: timeout 600 → 60; timeout 90 → 45; timeout 1 → 0, which Validate then refuses.
func MigratedHeartbeatInterval(current, timeout int64) int64 {
	if current != 0 {
		return current
	}
	return min(types.DefaultHeartbeatInterval, timeout/2)
}
