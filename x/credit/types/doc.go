// Package types holds x/credit's state types (generated from proto/guild/credit/v1), its
// messages and their stateless checks, parameters, genesis validation, registered errors, the
// expected keepers it consumes, and the pure functions the keeper builds on: share math with a
// virtual offset (shares.go), the kinked rate curve and the borrow index (interest.go), the
// payment waterfall (waterfall.go), the borrow limits (limits.go) and the credential's
// domain-separated hash and signature check (credential.go).
package types
