//go:build upgradetest

package module

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/guild-network/guild/x/provider/keeper"
	"github.com/guild-network/guild/x/provider/types"
)

// registerMigrations registers x/provider's in-place store migrations: 1 → 2 writes the
// default heartbeat_interval (ADR 0014).
func registerMigrations(cfg module.Configurator, k keeper.Keeper) {
	m := keeper.NewMigrator(k)
	if err := cfg.RegisterMigration(types.ModuleName, 1, m.Migrate1to2); err != nil {
		panic(fmt.Sprintf("x/provider: register migration 1 -> 2: %v", err)) // static wiring
	}
}
