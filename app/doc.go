// Package app wires Guild's application: the module list and its ordering (modules.go), the
// keepers and their dependencies (keepers.go), the ABCI application itself (app.go), genesis
// export (export.go) and the registry of upgrade handlers (upgrades.go).
//
// Everything here is consensus code: deterministic, no I/O, no goroutines, no wall-clock time.
package app
