package protocol

// ProtocolVersion is the pool protocol version this package speaks.
const ProtocolVersion = 1

// ProofOfSpace is a proof of space as a partial carries it. Guild farms to pool contracts only,
// so PoolPublicKey is always absent and PoolContractPuzzleHash holds the pool contract's 32-byte
// key (the value hashed with the plot key into the plot id).
type ProofOfSpace struct {
	Challenge              Bytes32  `json:"challenge"`
	PoolPublicKey          *Bytes32 `json:"pool_public_key"`
	PoolContractPuzzleHash Bytes32  `json:"pool_contract_puzzle_hash"`
	PlotPublicKey          Bytes32  `json:"plot_public_key"`
	Size                   uint8    `json:"size"`
	Proof                  HexBytes `json:"proof"`
}

// PostPartialPayload is what a partial's two signatures cover.
type PostPartialPayload struct {
	LauncherID          Bytes32      `json:"launcher_id"`
	AuthenticationToken uint64       `json:"authentication_token"`
	ProofOfSpace        ProofOfSpace `json:"proof_of_space"`
	SPHash              Bytes32      `json:"sp_hash"`
	EndOfSubSlot        bool         `json:"end_of_sub_slot"`
	HarvesterID         Bytes32      `json:"harvester_id"`
}

// PostPartialRequest is the body of POST /partial. AggregateSignature is the plot key's ed25519
// signature followed by the authentication key's (128 bytes): ed25519 has no aggregation, so
// Guild concatenates the two signatures Chia aggregates.
type PostPartialRequest struct {
	Payload            PostPartialPayload `json:"payload"`
	AggregateSignature HexBytes           `json:"aggregate_signature"`
}

// PostPartialResponse answers a partial that was verified and recorded.
type PostPartialResponse struct {
	NewDifficulty uint64 `json:"new_difficulty"`
}

// PostFarmerPayload registers a farmer (its pool contract) with the pool.
type PostFarmerPayload struct {
	LauncherID              Bytes32 `json:"launcher_id"`
	AuthenticationToken     uint64  `json:"authentication_token"`
	AuthenticationPublicKey Bytes32 `json:"authentication_public_key"`
	PayoutInstructions      string  `json:"payout_instructions"`
	SuggestedDifficulty     *uint64 `json:"suggested_difficulty"`
}

// PostFarmerRequest is the body of POST /farmer, signed by the pool contract's owner key.
type PostFarmerRequest struct {
	Payload   PostFarmerPayload `json:"payload"`
	Signature HexBytes          `json:"signature"`
}

// PostFarmerResponse welcomes a new farmer.
type PostFarmerResponse struct {
	WelcomeMessage string `json:"welcome_message"`
}

// PutFarmerPayload changes a farmer's record; absent fields are left alone.
type PutFarmerPayload struct {
	LauncherID              Bytes32  `json:"launcher_id"`
	AuthenticationToken     uint64   `json:"authentication_token"`
	AuthenticationPublicKey *Bytes32 `json:"authentication_public_key"`
	PayoutInstructions      *string  `json:"payout_instructions"`
	SuggestedDifficulty     *uint64  `json:"suggested_difficulty"`
}

// PutFarmerRequest is the body of PUT /farmer, signed by the pool contract's owner key.
type PutFarmerRequest struct {
	Payload   PutFarmerPayload `json:"payload"`
	Signature HexBytes         `json:"signature"`
}

// PutFarmerResponse says, for each field sent, whether it changed (the suggested difficulty is
// "true" when it was accepted; it takes effect after the cooldown).
type PutFarmerResponse struct {
	AuthenticationPublicKey *bool `json:"authentication_public_key,omitempty"`
	PayoutInstructions      *bool `json:"payout_instructions,omitempty"`
	SuggestedDifficulty     *bool `json:"suggested_difficulty,omitempty"`
}

// GetFarmerResponse is a farmer's record as GET /farmer returns it.
type GetFarmerResponse struct {
	AuthenticationPublicKey Bytes32 `json:"authentication_public_key"`
	PayoutInstructions      string  `json:"payout_instructions"`
	CurrentDifficulty       uint64  `json:"current_difficulty"`
	CurrentPoints           uint64  `json:"current_points"`
}

// AuthenticationPayload is what GET /farmer and GET /login signatures cover.
// TargetPuzzleHash is the pool's payout address (pool_info's target_puzzle_hash).
type AuthenticationPayload struct {
	MethodName          string
	LauncherID          Bytes32
	TargetPuzzleHash    string
	AuthenticationToken uint64
}

// PoolInfo is GET /pool_info. Fee is a decimal string ("0.01" is 1 %); TargetPuzzleHash is the
// pool's bech32 payout address.
type PoolInfo struct {
	Name                       string `json:"name"`
	LogoURL                    string `json:"logo_url"`
	MinimumDifficulty          uint64 `json:"minimum_difficulty"`
	RelativeLockHeight         uint64 `json:"relative_lock_height"`
	ProtocolVersion            int    `json:"protocol_version"`
	Fee                        string `json:"fee"`
	Description                string `json:"description"`
	TargetPuzzleHash           string `json:"target_puzzle_hash"`
	AuthenticationTokenTimeout uint8  `json:"authentication_token_timeout"`
}
