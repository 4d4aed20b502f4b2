package types

import sdkmath "cosmossdk.io/math"

// MaxScore is the best reputation score.
const MaxScore = 1000

// Score derives a provider's reputation score, 0…1000, from its counters:
//
//	score = ⌊1000 × (completed + 1) / (completed + 1 + 2·failures + 3·timeouts + 4·reports + 2·early_closes)⌋
//
// A new provider starts at 1000; every bad outcome pulls the score down in proportion to its
// weight (a tenant's misbehaviour report weighs most, then a deploy timeout, then a failed
// deploy or an early close), and completed leases pull it back up. Worked example: 9 completed
// leases, 1 failure and 1 report give 1000 × 10 / (10 + 2 + 4) = 625. The counters are uint64; the
// arithmetic uses arbitrary-size integers, so the result never overflows.
func Score(r Reputation) uint32 {
	completed := sdkmath.NewIntFromUint64(r.LeasesCompleted).AddRaw(1)
	den := completed.
		Add(sdkmath.NewIntFromUint64(r.DeployFailures).MulRaw(2)).
		Add(sdkmath.NewIntFromUint64(r.DeployTimeouts).MulRaw(3)).
		Add(sdkmath.NewIntFromUint64(r.MisbehaviourReports).MulRaw(4)).
		Add(sdkmath.NewIntFromUint64(r.EarlyCloses).MulRaw(2))
	return uint32(completed.MulRaw(MaxScore).Quo(den).Uint64())
}
