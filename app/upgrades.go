package app

import (
	"context"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"
)

// Upgrade describes one coordinated software upgrade: the plan name governance passes, the
// migration to run and the stores it adds or removes.
type Upgrade struct {
	Name          string
	StoreUpgrades storetypes.StoreUpgrades
	Migrate       func(ctx context.Context, app *App, plan upgradetypes.Plan, vm module.VersionMap) (module.VersionMap, error)
}

// upgrades lists every upgrade the binary knows, oldest first. The chain has had none yet.
var upgrades []Upgrade

// registerUpgrades installs the handlers of every known upgrade and, when the node restarts at
// an upgrade height, the store loader that applies that upgrade's store changes.
func (app *App) registerUpgrades() error {
	for _, u := range upgrades {
		u := u
		app.UpgradeKeeper.SetUpgradeHandler(u.Name,
			func(ctx context.Context, plan upgradetypes.Plan, vm module.VersionMap) (module.VersionMap, error) {
				if u.Migrate != nil {
					return u.Migrate(ctx, app, plan, vm)
				}
				return app.mm.RunMigrations(ctx, app.configurator, vm)
			})
	}
	plan, err := app.UpgradeKeeper.ReadUpgradeInfoFromDisk()
	if err != nil {
		return err
	}
	if plan.Name == "" || app.UpgradeKeeper.IsSkipHeight(plan.Height) {
		return nil
	}
	for _, u := range upgrades {
		if u.Name == plan.Name {
			app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(plan.Height, &u.StoreUpgrades))
		}
	}
	return nil
}
