package types

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/big"

	errorsmod "cosmossdk.io/errors"

	"github.com/guild-network/guild/pospace"
)

// Domain separators of Guild's farming hashes and signatures.
const (
	spDomain           = "guild/sp"
	poolContractDomain = "guild/pool_contract"
	proofSignDomain    = "guild/farming/proof/v1"
	// SPsPerSubSlot is Chia's number of signage points per sub-slot; it only scales
	// sp_interval_iters into the sub-slot iterations pospace's constants are written in.
	SPsPerSubSlot = 64
)

// SignagePointHash is SHA-256("guild/sp" ‖ block hash): the signage point of a block.
func SignagePointHash(blockHash []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(spDomain))
	h.Write(blockHash)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// PoolContractKey is SHA-256("guild/pool_contract" ‖ id as 8 bytes big-endian): the 32 bytes
// that stand for pool contract id in plot ids (Chia's launcher id / pool contract puzzle hash).
func PoolContractKey(id uint64) [32]byte {
	var buf [len(poolContractDomain) + 8]byte
	copy(buf[:], poolContractDomain)
	binary.BigEndian.PutUint64(buf[len(poolContractDomain):], id)
	return sha256.Sum256(buf[:])
}

// PlotID is pospace's plot id for a plot farmed to pool contract id with an ed25519 plot public
// key: SHA-256(PoolContractKey(id) ‖ plot public key).
func PlotID(poolContractID uint64, plotPublicKey []byte) (pospace.PlotID, error) {
	if len(plotPublicKey) != ed25519.PublicKeySize {
		return pospace.PlotID{}, errorsmod.Wrapf(ErrInvalidPubKey, "plot public key: %d bytes, want %d", len(plotPublicKey), ed25519.PublicKeySize)
	}
	return pospace.DerivePlotID(PoolContractKey(poolContractID), [32]byte(plotPublicKey)), nil
}

// FilterHash is SHA-256(plot id ‖ sp hash); its leading bits decide the plot filter.
func FilterHash(plotID pospace.PlotID, spHash [32]byte) [32]byte {
	var buf [64]byte
	copy(buf[:32], plotID[:])
	copy(buf[32:], spHash[:])
	return sha256.Sum256(buf[:])
}

// PassesFilter reports whether the first filterBits bits of FilterHash are zero.
func PassesFilter(plotID pospace.PlotID, spHash [32]byte, filterBits uint32) bool {
	if filterBits > 256 {
		return false
	}
	h := FilterHash(plotID, spHash)
	for i := uint32(0); i < filterBits; i++ {
		if h[i/8]&(0x80>>(i%8)) != 0 {
			return false
		}
	}
	return true
}

// ProofChallenge is SHA-256(FilterHash(plot id, sp hash)): the challenge a plot that passes the
// filter answers (Chia's calculate_pos_challenge).
func ProofChallenge(plotID pospace.PlotID, spHash [32]byte) [32]byte {
	f := FilterHash(plotID, spHash)
	return sha256.Sum256(f[:])
}

// IterationConstants are pospace's constants for the parameters: DCF = 2^dcf_bits and
// sub-slot iterations = sp_interval_iters · 64, so that SPIntervalIters() = sp_interval_iters.
func (p Params) IterationConstants() pospace.IterationConstants {
	return pospace.IterationConstants{
		DifficultyConstantFactor: new(big.Int).Lsh(big.NewInt(1), uint(p.DifficultyConstantFactorBits)),
		SubSlotIters:             p.SpIntervalIters * SPsPerSubSlot,
		NumSPsSubSlot:            SPsPerSubSlot,
	}
}

// RequiredIterations is Chia's formula with the parameters' constants:
//
//	max(1, difficulty · 2^dcf_bits · int(SHA-256(quality ‖ sp_hash)) / (2^256 · (2k+1)·2^(k−1)))
//
// rounded down. A proof wins (or, at a pool's difficulty, counts as a partial) when the result is
// below sp_interval_iters.
func RequiredIterations(p Params, quality [32]byte, k uint32, difficulty uint64, spHash [32]byte) (uint64, error) {
	iters, err := pospace.RequiredIterations(p.IterationConstants(), quality, int(k), difficulty, spHash)
	if err != nil {
		return 0, errorsmod.Wrapf(ErrInvalidK, "k = %d: %v", k, err)
	}
	return iters, nil
}

// Evaluation is the result of checking a proof for a signage point.
type Evaluation struct {
	PlotID        pospace.PlotID
	Quality       [32]byte
	RequiredIters uint64
}

// EvaluateProof runs every check of a proof against a signage point that needs no state, in
// order: k within the parameters, the plot id from the pool contract and plot key, the plot
// filter, the proof's size and validity, and its required iterations at difficulty. It does not
// compare the result with sp_interval_iters: a pool server calls it at the pool's difficulty,
// the chain at the signage point's. The farmer, the pool server and the chain share it.
func EvaluateProof(p Params, poolContractID uint64, plotPublicKey []byte, k uint32, proof []byte, spHash [32]byte, difficulty uint64) (Evaluation, error) {
	var ev Evaluation
	if k < p.MinK || k > p.MaxK {
		return ev, errorsmod.Wrapf(ErrInvalidK, "k = %d, want %d…%d", k, p.MinK, p.MaxK)
	}
	id, err := PlotID(poolContractID, plotPublicKey)
	if err != nil {
		return ev, err
	}
	ev.PlotID = id
	if !PassesFilter(id, spHash, p.PlotFilterBits) {
		return ev, errorsmod.Wrapf(ErrPlotFilter, "plot %s, %d filter bits", id, p.PlotFilterBits)
	}
	if len(proof) != 8*int(k) {
		return ev, errorsmod.Wrapf(ErrInvalidProofSize, "%d bytes for k = %d, want %d", len(proof), k, 8*k)
	}
	quality, err := pospace.Verify(id, int(k), ProofChallenge(id, spHash), proof)
	if err != nil {
		if errors.Is(err, pospace.ErrInvalidK) {
			return ev, errorsmod.Wrapf(ErrInvalidK, "%v", err)
		}
		return ev, errorsmod.Wrapf(ErrInvalidProof, "plot %s: %v", id, err)
	}
	ev.Quality = quality
	ev.RequiredIters, err = RequiredIterations(p, quality, k, difficulty, spHash)
	return ev, err
}

// ProofSignBytes are the bytes a plot key signs to claim a signage point's reward:
//
//	"guild/farming/proof/v1" ‖ u16 len ‖ chain id ‖ sp height (8 bytes BE) ‖ sp hash ‖ u16 len ‖ reward address
//
// so that a proof seen in the mempool or by a pool cannot be resubmitted for another address.
func ProofSignBytes(chainID string, spHeight int64, spHash [32]byte, rewardAddress string) []byte {
	out := make([]byte, 0, len(proofSignDomain)+2+len(chainID)+8+32+2+len(rewardAddress))
	out = append(out, proofSignDomain...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(chainID)))
	out = append(out, chainID...)
	out = binary.BigEndian.AppendUint64(out, uint64(spHeight))
	out = append(out, spHash[:]...)
	out = binary.BigEndian.AppendUint16(out, uint16(len(rewardAddress)))
	out = append(out, rewardAddress...)
	return out
}

// VerifyProofSignature checks the plot key's signature over ProofSignBytes.
func VerifyProofSignature(plotPublicKey []byte, chainID string, spHeight int64, spHash [32]byte, rewardAddress string, sig []byte) error {
	if len(plotPublicKey) != ed25519.PublicKeySize {
		return errorsmod.Wrapf(ErrInvalidPubKey, "plot public key: %d bytes", len(plotPublicKey))
	}
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(plotPublicKey, ProofSignBytes(chainID, spHeight, spHash, rewardAddress), sig) {
		return errorsmod.Wrapf(ErrInvalidSignature, "signage point %d, reward address %s", spHeight, rewardAddress)
	}
	return nil
}

// Better reports whether a proof with (iters, quality) beats the held one: fewer required
// iterations, ties broken by the smaller quality string (a total, deterministic order).
func Better(iters uint64, quality []byte, held *BestProof) bool {
	if held == nil {
		return true
	}
	if iters != held.RequiredIters {
		return iters < held.RequiredIters
	}
	return string(quality) < string(held.Quality)
}
