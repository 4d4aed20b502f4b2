//go:build upgradetest

package upgrades

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/types/module"
	upgradetypes "github.com/cosmos/cosmos-sdk/x/upgrade/types"

	providertypes "github.com/guild-network/guild/x/provider/types"
)

// V2Name is the plan name of the test-only "v2" upgrade (ADR 0014).
const V2Name = "v2"

// V2 is the test-only upgrade that the `upgradetest` build carries: x/provider goes from
// consensus version 1 to 2, whose migration writes Params.heartbeat_interval. No store is added
// or removed. The handler checks that it really ran x/provider's migration, so that a binary
// whose module version was not bumped fails the upgrade instead of passing it silently.
var V2 = Upgrade{
	Name: V2Name,
	Handler: func(d Deps) upgradetypes.UpgradeHandler {
		run := RunMigrations(d)
		return func(ctx context.Context, plan upgradetypes.Plan, vm module.VersionMap) (module.VersionMap, error) {
			if from := vm[providertypes.ModuleName]; from != 1 {
				return nil, fmt.Errorf("upgrade %s: x/provider is at consensus version %d, want 1", plan.Name, from)
			}
			out, err := run(ctx, plan, vm)
			if err != nil {
				return nil, err
			}
			if to := out[providertypes.ModuleName]; to != providertypes.ConsensusVersion {
				return nil, fmt.Errorf("upgrade %s: x/provider ended at version %d, want %d", plan.Name, to, providertypes.ConsensusVersion)
			}
			return out, nil
		}
	},
}

func init() { extra = append(extra, V2) }
