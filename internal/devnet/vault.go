package devnet

import (
	"encoding/json"
	"strconv"
)

// The demo vault of `guildd dev` (cmd/guildd/cmd/dev_vault.go creates it once the chain is
// live): the demo provider's owner creates it and hands the provider over into custody, and the
// investor makes the first deposit.

// Demo vault figures, in base units and seconds.
const (
	DemoVaultDeposit       = 1_000_000_000 // 1,000 GLD from investor
	DemoVaultMinDeposit    = 1_000_000     // 1 GLD
	DemoVaultCap           = 1_000_000_000_000
	DemoVaultLock          = 3600
	DemoVaultVoting        = 60
	DemoVaultOperatorFee   = 1000 // bps
	DemoVaultEarlyExitFee  = 500  // bps
	DemoVaultReserve       = 2000 // bps
	DemoHarvestInterval    = 30
	DemoMinVotingPeriodSec = 5
)

// VaultPatch gives x/vault devnet-friendly periods: the end-blocker harvests each vault every
// 30 s, and a vault may vote in as little as 5 s.
func VaultPatch(state map[string]json.RawMessage) error {
	return editJSON(state, "vault", func(g map[string]any) {
		params, _ := g["params"].(map[string]any)
		if params == nil {
			return
		}
		params["harvest_interval"] = strconv.Itoa(DemoHarvestInterval)
		params["min_voting_period"] = strconv.Itoa(DemoMinVotingPeriodSec)
	})
}
