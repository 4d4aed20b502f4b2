// Package store is the pool server's persistent state behind one interface, with two backends
// that pass the same conformance suite (storetest): SQLite (pure Go, WAL, one writer connection,
// batched writes) by default and PostgreSQL by URL.
//
// Money moves only through rows: rewards absorbed into the pool's wallet are recorded once each
// (by key); a round turns unassigned rewards into the pool fee, farmers' balances and carried dust
// in one transaction (so points are cleared exactly when they are credited); payouts are planned
// into batches, one transaction each, that move planned → broadcast (tx hash and signed bytes
// recorded before the transaction is sent) → confirmed, or back to planned when their
// transaction can no longer be included. Hence a crash at any point neither pays twice nor loses
// a payout nor clears points that were not credited.
package store

import (
	"context"
	"errors"
)

// Sentinel errors of every backend.
var (
	ErrNotFound      = errors.New("not found")
	ErrFarmerExists  = errors.New("farmer already known")
	ErrDuplicate     = errors.New("duplicate partial: this plot already has a partial for this signage point")
	ErrNothingToPay  = errors.New("no unassigned rewards")
	ErrNoPoints      = errors.New("no points in the round's window")
	ErrInvalidState  = errors.New("payout batch is not in the state this step needs")
	ErrInvalidRecord = errors.New("invalid record")
)

// Key is a 32-byte identifier (launcher id, plot id, signage point hash).
type Key [32]byte

// Farmer is a pool member's record.
type Farmer struct {
	LauncherID    Key    // the pool contract's 32-byte key
	ContractID    uint64 // the pool contract's id on chain
	AuthPublicKey Key    // the farmer's authentication key (ed25519)
	PayoutAddress string // where its payouts go
	Difficulty    uint64 // current difficulty: points per partial
	Points        uint64 // points since the last round
	Balance       uint64 // credited and not yet paid (below the minimum payout, it carries)
	IsMember      bool   // the chain says its pool contract targets this pool
	JoinedAt      int64  // unix seconds
	// PendingDifficulty is a suggested difficulty that applies at PendingDifficultyAt (the
	// cooldown against the difficulty replay attack); 0 = none.
	PendingDifficulty   uint64
	PendingDifficultyAt int64
	UpdatedAt           int64 // last PUT /farmer
}

// FarmerUpdate changes some fields of a farmer; nil fields are left alone.
type FarmerUpdate struct {
	AuthPublicKey       *Key
	PayoutAddress       *string
	Difficulty          *uint64
	PendingDifficulty   *uint64
	PendingDifficultyAt *int64
	UpdatedAt           *int64
	IsMember            *bool
}

// Partial is a verified partial.
type Partial struct {
	LauncherID  Key
	SPHash      Key
	PlotID      Key
	ProofHash   Key
	HarvesterID Key
	Timestamp   int64  // unix seconds it was received
	Difficulty  uint64 // points it earns: the farmer's difficulty at submission
	// NewDifficulty, when nonzero, is the farmer's difficulty after this partial.
	NewDifficulty uint64
}

// Reward is an amount that arrived in the pool's wallet from a member's pool contract.
type Reward struct {
	Key        string // unique: an absorb transaction and contract, so that recording twice is harmless
	ContractID uint64
	Amount     uint64
	Height     int64
}

// Scheme is how a round counts points.
type Scheme string

// Reward schemes.
const (
	PPLNS        Scheme = "pplns"        // partials received in the last window
	Proportional Scheme = "proportional" // points since the last round
)

// RoundPlan says how to plan a round.
type RoundPlan struct {
	Now          int64
	Scheme       Scheme
	WindowStart  int64 // PPLNS: partials received after this count
	FeeBps       uint32
	MinPayout    uint64
	PayoutsPerTx int
}

// Round is one distribution of rewards, with the terms and points it was split by: replaying
// payout.Distribute(Total, FeeBps, Shares' points) gives Fee, the Shares' credits and Dust.
type Round struct {
	ID          uint64
	CreatedAt   int64
	Scheme      Scheme
	WindowStart int64  // PPLNS: partials received after this (unix seconds) counted; 0 for proportional
	FeeBps      uint32 // the pool fee the round charged
	Total       uint64 // rewards assigned plus dust carried in
	Fee         uint64
	Credited    uint64
	Dust        uint64       // carried into the next round
	Shares      []RoundShare // every farmer with points in the round, by launcher id
	Batches     []uint64     // the payout batches the round planned (PlanRound only)
}

// RoundShare is one farmer's points in a round and what the round credited it.
type RoundShare struct {
	LauncherID Key
	Points     uint64
	Credit     uint64 // floor((Total − Fee) · Points / Σ Points); 0 when that rounds to zero
}

// BatchState is where a payout batch stands.
type BatchState int

// Payout batch states.
const (
	Planned   BatchState = 1 // planned, no transaction signed
	Broadcast BatchState = 2 // a transaction (hash recorded) was signed and may have been sent
	Confirmed BatchState = 3 // the transaction is in a block and succeeded
)

// String names the state.
func (s BatchState) String() string {
	switch s {
	case Planned:
		return "planned"
	case Broadcast:
		return "broadcast"
	case Confirmed:
		return "confirmed"
	}
	return "unknown"
}

// Payout is one farmer's payment.
type Payout struct {
	ID         uint64
	BatchID    uint64
	RoundID    uint64
	LauncherID Key
	Address    string
	Amount     uint64
	State      BatchState
	TxHash     string
	CreatedAt  int64
}

// Batch is the payouts of one bank multi-send transaction.
type Batch struct {
	ID              uint64
	State           BatchState
	TxHash          string
	TxBytes         []byte
	TimeoutHeight   int64
	ConfirmedHeight int64
	Attempts        int
	CreatedAt       int64
	Payouts         []Payout
}

// Total returns the sum of the batch's payouts.
func (b *Batch) Total() uint64 {
	var t uint64
	for _, p := range b.Payouts {
		t += p.Amount
	}
	return t
}

// Ledger is the pool's books. Rewards = Unassigned + Fees + Dust + Balances + InFlight + Paid,
// always.
type Ledger struct {
	Rewards    uint64 // every reward recorded
	Unassigned uint64 // rewards not yet in a round
	Fees       uint64 // the pool's fees
	Dust       uint64 // rounding remainder carried into the next round
	Balances   uint64 // farmers' credited, unpaid balances
	InFlight   uint64 // payouts planned or broadcast
	Paid       uint64 // payouts confirmed
}

// Balanced reports whether the books add up.
func (l Ledger) Balanced() bool {
	return l.Rewards == l.Unassigned+l.Fees+l.Dust+l.Balances+l.InFlight+l.Paid
}

// Store is the pool server's state. Implementations are safe for concurrent use; writes are
// serialised (one writer), reads run concurrently.
type Store interface {
	FarmerStore
	PartialStore
	PayoutStore
	Close() error
}

// FarmerStore keeps farmer records.
type FarmerStore interface {
	// AddFarmer stores a new farmer; ErrFarmerExists if its launcher id is known.
	AddFarmer(ctx context.Context, f Farmer) error
	// Farmer returns a farmer; ErrNotFound if unknown.
	Farmer(ctx context.Context, launcherID Key) (Farmer, error)
	// Farmers returns every farmer, by launcher id.
	Farmers(ctx context.Context) ([]Farmer, error)
	// UpdateFarmer changes the fields set in u; ErrNotFound if unknown.
	UpdateFarmer(ctx context.Context, launcherID Key, u FarmerUpdate) error
}

// PartialStore keeps verified partials.
type PartialStore interface {
	// RecordPartials stores partials in one transaction and credits their points. The result
	// has one entry per partial: nil, or ErrDuplicate when the plot already has a partial for the
	// signage point (nothing is credited for it). The error is for the batch as a whole.
	RecordPartials(ctx context.Context, ps []Partial) ([]error, error)
	// RecentPartials returns a farmer's newest partials, newest first.
	RecentPartials(ctx context.Context, launcherID Key, n int) ([]Partial, error)
	// PrunePartials deletes partials received before the time and returns how many.
	PrunePartials(ctx context.Context, before int64) (int64, error)
}

// PayoutStore keeps rewards, rounds and payouts.
type PayoutStore interface {
	// AddReward records a reward; false if its key was already recorded.
	AddReward(ctx context.Context, r Reward) (bool, error)
	// PlanRound distributes the unassigned rewards (and carried dust) and plans payouts for
	// every balance at or above the minimum, in one transaction. ErrNothingToPay without
	// rewards, ErrNoPoints when nobody has points (the rewards stay unassigned).
	PlanRound(ctx context.Context, plan RoundPlan) (Round, error)
	// Rounds returns the newest n rounds, newest first, each with its shares.
	Rounds(ctx context.Context, n int) ([]Round, error)
	// OpenBatches returns the batches not yet confirmed, oldest first, with their payouts.
	OpenBatches(ctx context.Context) ([]Batch, error)
	// MarkBroadcast records the signed transaction of a planned batch (before it is sent).
	MarkBroadcast(ctx context.Context, batchID uint64, txHash string, txBytes []byte, timeoutHeight int64) error
	// MarkConfirmed records that a broadcast batch's transaction is in a block.
	MarkConfirmed(ctx context.Context, batchID uint64, txHash string, height int64) error
	// ResetBatch returns a broadcast batch to planned when its transaction failed or can no
	// longer be included.
	ResetBatch(ctx context.Context, batchID uint64, txHash string) error
	// FarmerPayouts returns a farmer's newest payouts.
	FarmerPayouts(ctx context.Context, launcherID Key, n int) ([]Payout, error)
	// Ledger returns the books.
	Ledger(ctx context.Context) (Ledger, error)
	// State returns a named counter of the server (a chain cursor), 0 if never set.
	State(ctx context.Context, name string) (int64, error)
	// SetState sets a named counter.
	SetState(ctx context.Context, name string, v int64) error
}
