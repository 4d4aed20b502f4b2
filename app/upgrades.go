package app

import (
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	"github.com/guild-network/guild/app/upgrades"
)

// registerUpgrades installs the handler of every upgrade in app/upgrades and, when the node
// restarts at an upgrade height (upgrade-info.json names a plan this binary knows), the store
// loader that applies that upgrade's store changes (ADR 0014).
func (app *App) registerUpgrades() error {
	all, err := upgrades.All()
	if err != nil {
		return err
	}
	deps := upgrades.Deps{ModuleManager: app.mm, Configurator: app.configurator}
	for _, u := range all {
		handler := upgrades.RunMigrations
		if u.Handler != nil {
			handler = u.Handler
		}
		app.UpgradeKeeper.SetUpgradeHandler(u.Name, handler(deps))
	}
	plan, err := app.UpgradeKeeper.ReadUpgradeInfoFromDisk()
	if err != nil {
		return err
	}
	if plan.Name == "" || app.UpgradeKeeper.IsSkipHeight(plan.Height) {
		return nil
	}
	if u, ok := upgrades.Find(all, plan.Name); ok {
		app.SetStoreLoader(upgradetypes.UpgradeStoreLoader(plan.Height, &u.StoreUpgrades))
	}
	return nil
}
