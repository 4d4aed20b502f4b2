// Package integration is the in-process app rung of Guild's test ladder: the real app (app.New on
// an in-memory database) started from a genesis with one validator, blocks advanced with
// FinalizeBlock and Commit at chosen header times, and the real x/provider and x/market keepers
// driven together through the app's Msg service router and queried through their query
// servers and exported genesis. Its tests run a cross-module randomized scenario that checks
// the joint invariants after every step, a same-seed app-hash determinism run, an export →
// import → export round trip, and fuzz targets for every x/market message's ValidateBasic. They
// use only exported, stable APIs of the modules: messages, queries and genesis.
package integration
