package pool

import (
	"context"
	"errors"

	"github.com/guild-network/guild/daemon/pool/store"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// The pool server consumes the chain through these narrow interfaces; internal/chain adapters
// implement them against a node, tests use in-memory fakes. Implementations must be safe for
// concurrent use.

// SignagePoint is a signage point as the chain announced it.
type SignagePoint struct {
	Height uint64
	Hash   [32]byte // sp_hash = SHA-256("guild/sp" ‖ block hash)
}

// SignagePoints delivers signage points as blocks are made.
type SignagePoints interface {
	// SubscribeSignagePoints calls fn for every new signage point, in height order, until ctx
	// ends or the subscription fails (the caller re-subscribes).
	SubscribeSignagePoints(ctx context.Context, fn func(SignagePoint)) error
}

// ContractState is a pool contract's state on chain.
type ContractState int

// Pool contract states (x/farming).
const (
	SelfPooling   ContractState = 1
	FarmingToPool ContractState = 2
	LeavingPool   ContractState = 3
)

// PoolContract is a pool contract as the chain holds it.
type PoolContract struct {
	LauncherID     store.Key // the 32-byte key hashed into plot ids
	ID             uint64
	Owner          string
	OwnerPublicKey [32]byte
	State          ContractState
	Target         string // where absorbed rewards go
	PoolURL        string
	RelativeLock   uint64
	LeavingUntil   int64  // LEAVING_POOL: the height at which the pool stops receiving
	Balance        uint64 // rewards waiting to be absorbed
}

// ErrContractNotFound is returned by Contracts.Contract for an unknown launcher id.
var ErrContractNotFound = errors.New("pool contract not found")

// Contracts reads pool contracts.
type Contracts interface {
	// Contract returns the pool contract with the launcher id, or ErrContractNotFound.
	Contract(ctx context.Context, launcherID store.Key) (PoolContract, error)
	// ContractsTargeting returns every pool contract whose target is the address.
	ContractsTargeting(ctx context.Context, target string) ([]PoolContract, error)
}

// Rewards absorbs members' pool contract balances and reports what arrived.
type Rewards interface {
	// Absorb moves the balances of the contracts to their target (the pool), in one transaction.
	Absorb(ctx context.Context, contractIDs []uint64) (txHash string, err error)
	// Absorbed returns the absorptions into target from fromHeight on (each with a unique key)
	// and the height to continue from.
	Absorbed(ctx context.Context, target string, fromHeight int64) ([]store.Reward, int64, error)
}

// Output is one recipient of a payout transaction.
type Output struct {
	Address string
	Amount  uint64
}

// TxStatus is what the chain knows of a transaction.
type TxStatus struct {
	Included bool  // in a block
	Success  bool  // included and executed without error
	Height   int64 // block height when included
}

// Payer sends payouts.
type Payer interface {
	// SignPayout signs (without sending) one multi-send of outputs in denom, valid until
	// timeoutHeight, and returns its hash and bytes.
	SignPayout(ctx context.Context, denom string, outputs []Output, timeoutHeight int64) (txHash string, txBytes []byte, err error)
	// Broadcast sends signed transaction bytes; sending the same bytes twice is harmless.
	Broadcast(ctx context.Context, txBytes []byte) error
	// Status returns what the chain knows of a transaction.
	Status(ctx context.Context, txHash string) (TxStatus, error)
	// Height returns the latest block height.
	Height(ctx context.Context) (int64, error)
}

// ParamsSource is implemented by chains that report x/farming's params; the server then uses
// them instead of its [proof] section.
type ParamsSource interface {
	FarmingParams(ctx context.Context) (farmingtypes.Params, error)
}

// Chain is everything the pool server needs from the chain.
type Chain interface {
	SignagePoints
	Contracts
	Rewards
	Payer
}

// member reports whether a contract counts as a member of the pool at the height: it targets
// the pool with the pool's relative lock and is farming to it, or is leaving and its relative
// lock has not run out (its rewards still come to the pool).
func (c PoolContract) member(poolAddress string, relativeLock, height uint64) bool {
	if c.Target != poolAddress || c.RelativeLock != relativeLock {
		return false
	}
	switch c.State {
	case FarmingToPool:
		return true
	case LeavingPool:
		return int64(height) < c.LeavingUntil
	}
	return false
}
