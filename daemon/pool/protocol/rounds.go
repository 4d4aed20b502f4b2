package protocol

// Rounds is the answer of GET /payouts (a Guild extension of the protocol): the pool's newest
// payout rounds, newest first, each with the terms and every farmer's points it was split by, so
// that anyone can replay a split: fee = ceil(total · fee_bps / 10 000), then farmer i gets
// floor((total − fee) · pointsᵢ / Σ points), and the remainder is dust carried to the next round.
type Rounds struct {
	Rounds []Round `json:"rounds"`
}

// Round is one payout round.
type Round struct {
	ID          uint64       `json:"round_id"`
	CreatedAt   int64        `json:"created_at"`   // unix seconds
	Scheme      string       `json:"scheme"`       // "pplns" or "proportional"
	WindowStart int64        `json:"window_start"` // PPLNS: partials received after this count; 0 for proportional
	FeeBps      uint32       `json:"fee_bps"`
	Total       uint64       `json:"total"` // rewards assigned plus the dust carried in
	Fee         uint64       `json:"fee"`
	Credited    uint64       `json:"credited"`
	Dust        uint64       `json:"dust"`
	Shares      []RoundShare `json:"shares"`
}

// RoundShare is one farmer's points in a round and its credit.
type RoundShare struct {
	LauncherID Bytes32 `json:"launcher_id"`
	Points     uint64  `json:"points"`
	Credit     uint64  `json:"credit"`
}
