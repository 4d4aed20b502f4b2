//go:build upgradetest

package types

// ConsensusVersion is the version of x/provider's state layout and rules in this build: the
// test-only "v2" binary of ADR 0014, in which Params.heartbeat_interval is live.
const ConsensusVersion = 2
