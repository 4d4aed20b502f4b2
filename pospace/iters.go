package pospace

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
)

// PlotID identifies a plot. It seeds F1, so it determines every table of the plot.
type PlotID [32]byte

// String returns the plot id in lowercase hex.
func (id PlotID) String() string { return hex.EncodeToString(id[:]) }

// ParsePlotID parses a 64-digit hex plot id (an optional 0x prefix is accepted).
func ParsePlotID(s string) (PlotID, error) {
	b, err := ParseHex32(s)
	return PlotID(b), err
}

// ParseHex32 parses 32 bytes written as 64 hex digits, with an optional 0x prefix.
func ParseHex32(s string) ([32]byte, error) {
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		s = s[2:]
	}
	var out [32]byte
	if len(s) != 64 {
		return out, fmt.Errorf("want 64 hex digits, got %d", len(s))
	}
	if _, err := hex.Decode(out[:], []byte(s)); err != nil {
		return out, err
	}
	return out, nil
}

// DerivePlotID returns SHA-256(poolContractID ‖ plotPublicKey), the id of a plot farmed to a
// pool contract with a 32-byte (ed25519) plot public key.
func DerivePlotID(poolContractID, plotPublicKey [32]byte) PlotID {
	h := sha256.New()
	h.Write(poolContractID[:])
	h.Write(plotPublicKey[:])
	return PlotID(h.Sum(nil))
}

// PlotFilterHash returns SHA-256(plotID ‖ challengeHash ‖ spHash), whose leading bits decide the
// plot filter (Chia's passes_plot_filter / calculate_plot_filter_input).
func PlotFilterHash(id PlotID, challengeHash, spHash [32]byte) [32]byte {
	var buf [96]byte
	copy(buf[:32], id[:])
	copy(buf[32:64], challengeHash[:])
	copy(buf[64:], spHash[:])
	return sha256.Sum256(buf[:])
}

// PassesPlotFilter reports whether the first filterBits bits of PlotFilterHash are zero, that is
// whether the plot may answer the signage point. filterBits above 256 never pass.
func PassesPlotFilter(id PlotID, challengeHash, spHash [32]byte, filterBits uint) bool {
	if filterBits > 256 {
		return false
	}
	h := PlotFilterHash(id, challengeHash, spHash)
	for i := uint(0); i < filterBits; i++ {
		if h[i/8]&(0x80>>(i%8)) != 0 {
			return false
		}
	}
	return true
}

// ProofChallenge returns the challenge that a plot passing the filter must answer:
// SHA-256(PlotFilterHash(id, challengeHash, spHash)) (Chia's calculate_pos_challenge).
func ProofChallenge(id PlotID, challengeHash, spHash [32]byte) [32]byte {
	f := PlotFilterHash(id, challengeHash, spHash)
	return sha256.Sum256(f[:])
}

// IterationConstants are the consensus constants of the required-iterations formula.
type IterationConstants struct {
	// DifficultyConstantFactor scales every plot's required iterations. Chia mainnet: 2^67.
	DifficultyConstantFactor *big.Int
	// SubSlotIters is the number of VDF iterations of a sub-slot. Chia's pool protocol fixes
	// POOL_SUB_SLOT_ITERS = 37 600 000 000.
	SubSlotIters uint64
	// NumSPsSubSlot is the number of signage points per sub-slot. Chia: 64.
	NumSPsSubSlot uint64
}

// ChiaIterationConstants returns Chia mainnet's constants: DCF = 2^67, sub-slot iterations
// 37 600 000 000 (the pool protocol's POOL_SUB_SLOT_ITERS) and 64 signage points per sub-slot, so
// that a partial is good enough when its required iterations are below 587 500 000.
func ChiaIterationConstants() IterationConstants {
	return IterationConstants{
		DifficultyConstantFactor: new(big.Int).Lsh(big.NewInt(1), 67),
		SubSlotIters:             37_600_000_000,
		NumSPsSubSlot:            64,
	}
}

// Validate checks that the constants are usable.
func (c IterationConstants) Validate() error {
	if c.DifficultyConstantFactor == nil || c.DifficultyConstantFactor.Sign() <= 0 {
		return errors.New("pospace: difficulty constant factor must be positive")
	}
	if c.NumSPsSubSlot == 0 || c.SubSlotIters < c.NumSPsSubSlot {
		return errors.New("pospace: sub-slot iterations must be at least the number of signage points")
	}
	return nil
}

// SPIntervalIters returns SubSlotIters / NumSPsSubSlot: a proof whose required iterations are
// below it is good enough (for a block at the network difficulty, for a partial at the pool's).
func (c IterationConstants) SPIntervalIters() uint64 {
	return c.SubSlotIters / c.NumSPsSubSlot
}

// ExpectedPlotSize returns (2k+1)·2^(k−1), Chia's expected number of bytes of a plot of size k,
// the divisor that makes the required iterations independent of k on average.
func ExpectedPlotSize(k int) *big.Int {
	v := big.NewInt(int64(2*k + 1))
	return v.Lsh(v, uint(k-1))
}

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// RequiredIterations implements Chia's calculate_iterations_quality:
//
//	max(1, difficulty · DCF · int(SHA-256(quality ‖ spHash)) / (2^256 · ExpectedPlotSize(k)))
//
// with integer (floor) division and the hash read as a big-endian integer. The result saturates
// at math.MaxUint64 (such a proof never wins).
func RequiredIterations(c IterationConstants, quality [32]byte, k int, difficulty uint64, spHash [32]byte) (uint64, error) {
	if err := c.Validate(); err != nil {
		return 0, err
	}
	if k < MinK || k > MaxK {
		return 0, fmt.Errorf("%w: k = %d, want %d…%d", ErrInvalidK, k, MinK, MaxK)
	}
	var buf [64]byte
	copy(buf[:32], quality[:])
	copy(buf[32:], spHash[:])
	h := sha256.Sum256(buf[:])
	num := new(big.Int).SetUint64(difficulty)
	num.Mul(num, c.DifficultyConstantFactor)
	num.Mul(num, new(big.Int).SetBytes(h[:]))
	den := new(big.Int).Mul(two256, ExpectedPlotSize(k))
	num.Quo(num, den)
	if !num.IsUint64() {
		return math.MaxUint64, nil
	}
	return max(1, num.Uint64()), nil
}

// CheckChallenge returns the i-th challenge of a plot check: SHA-256 of i as a 4-byte
// big-endian integer (the challenge sequence of Chia's published vectors and plot checks).
func CheckChallenge(i uint32) [32]byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], i)
	return sha256.Sum256(b[:])
}
