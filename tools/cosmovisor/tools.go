//go:build tools

// Package tools pins cosmovisor, the Cosmos SDK's upgrade process manager, for Guild's upgrade
// e2e test (tests/e2e/upgrade_test.go builds it from this module into a cache directory). It is
// a module of its own so that cosmovisor's dependencies (it is built against an older SDK) never
// enter Guild's go.mod. v1.5.0 is the newest version the module proxy serves (v1.6.0 to v1.7.1
// are refused); it only watches data/upgrade-info.json and swaps binaries, which works with any
// SDK version, v0.54 included.
package tools

import _ "cosmossdk.io/tools/cosmovisor/cmd/cosmovisor"
