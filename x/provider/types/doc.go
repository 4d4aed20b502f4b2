// Package types holds x/provider's state types (generated from proto/guild/provider/v1), its
// messages and their stateless checks, parameters, genesis validation, registered errors, the
// expected keepers it consumes, and the pure functions the keeper builds on: resource arithmetic
// with overflow checks (resources.go), the required bond of a node (bond.go), the reputation
// score (score.go) and a node's effective status (status.go).
package types
