// Package pool is Guild's farming pool server, `guildd pool serve`: Chia's pool protocol v1
// (GET /pool_info, POST/PUT/GET /farmer, POST /partial, GET /login) over Guild's ed25519 keys and
// x/farming's pool contracts. It verifies partials against signage points cached from a chain
// subscription and records them with a group commit, adjusts each farmer's difficulty, follows
// membership, absorbs the members' pool contract rewards and pays them out through a persisted
// planned → broadcast → confirmed state machine. See README.md and docs/adr/0010-pool-server.md.
//
// The server consumes the chain through the small interfaces of chain.go (implemented against a
// node by daemon/pool/chain and by in-memory fakes in tests) and keeps its state in a
// daemon/pool/store.Store. All timing goes through an injected clock.
package pool
