//go:build !upgradetest

package module

import (
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/guild-network/guild/x/provider/keeper"
)

// registerMigrations registers x/provider's in-place store migrations. The release build is at
// consensus version 1 and has none; the `upgradetest` build registers 1 → 2 (ADR 0014).
func registerMigrations(module.Configurator, keeper.Keeper) {}
