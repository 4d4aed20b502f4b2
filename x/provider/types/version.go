//go:build !upgradetest

package types

// ConsensusVersion is the version of x/provider's state layout and rules in this build.
//
// The release build is at version 1. The `upgradetest` build (version_upgradetest.go) is the
// test-only "v2" binary of ADR 0014: it is at version 2, where Params.heartbeat_interval is
// live, and its upgrade handler migrates a version-1 store to it.
const ConsensusVersion = 1
