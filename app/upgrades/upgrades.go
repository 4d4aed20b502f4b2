// Package upgrades is Guild's registry of named software upgrades: for each plan name a
// governance MsgSoftwareUpgrade may carry, the handler the new binary runs at the plan height
// and the stores it adds, renames or deletes. The app installs every entry with
// UpgradeKeeper.SetUpgradeHandler and, when it restarts at an upgrade height, the matching
// store loader. One file per upgrade; README.md says how to add the next one (ADR 0014).
package upgrades

import (
	"context"
	"fmt"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"
)

// Upgrade is one coordinated software upgrade.
type Upgrade struct {
	// Name is the plan name governance passes; the binary that knows it is the new binary.
	Name string
	// StoreUpgrades lists the stores the upgrade adds, renames or deletes; applied by the store
	// loader when the new binary first opens the database at the upgrade height.
	StoreUpgrades storetypes.StoreUpgrades
	// Handler builds the upgrade handler; nil runs the modules' registered migrations only.
	Handler func(Deps) upgradetypes.UpgradeHandler
}

// Deps is what an upgrade handler may use: the module manager (RunMigrations) and the
// configurator holding every module's registered migrations.
type Deps struct {
	ModuleManager *module.Manager
	Configurator  module.Configurator
}

// RunMigrations is the handler of an upgrade that only runs the modules' in-place migrations
// (each module from its stored consensus version to the binary's).
func RunMigrations(d Deps) upgradetypes.UpgradeHandler {
	return func(ctx context.Context, _ upgradetypes.Plan, vm module.VersionMap) (module.VersionMap, error) {
		return d.ModuleManager.RunMigrations(ctx, d.Configurator, vm)
	}
}

// released lists the upgrades of released binaries, oldest first. Add each new upgrade here
// (see README.md). The chain has had none yet.
var released []Upgrade

// extra holds upgrades that only test builds carry (see v2_upgradetest.go).
var extra []Upgrade

// All returns every upgrade this binary knows, oldest first, and checks that names are unique.
func All() ([]Upgrade, error) {
	all := append(append([]Upgrade{}, released...), extra...)
	seen := map[string]bool{}
	for _, u := range all {
		if u.Name == "" {
			return nil, fmt.Errorf("upgrades: an upgrade has no name")
		}
		if seen[u.Name] {
			return nil, fmt.Errorf("upgrades: %q registered twice", u.Name)
		}
		seen[u.Name] = true
	}
	return all, nil
}

// Find returns the upgrade named name.
func Find(all []Upgrade, name string) (Upgrade, bool) {
	for _, u := range all {
		if u.Name == name {
			return u, true
		}
	}
	return Upgrade{}, false
}
