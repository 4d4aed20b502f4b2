package pospace

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// Verify checks a proof of space for the plot plotID of size k against challenge and returns the
// proof's quality string.
//
// A proof is 64 x values of k bits each, concatenated MSB-first (8·k bytes), in proof order: for
// each table t = 2…7, consecutive pairs of table t−1 entries (left entry first) match and combine
// into one table t entry, and the final table 7 value, shifted right by 6 bits, equals the first k
// bits of the challenge.
//
// The error is ErrInvalidK or ErrProofSize (wrapped) for malformed input, and a *ProofError
// (wrapping ErrNoMatch or ErrChallengeMismatch) for an invalid proof. Verify never panics.
func Verify(plotID PlotID, k int, challenge [32]byte, proof []byte) ([32]byte, error) {
	if k < MinK || k > MaxK {
		return [32]byte{}, fmt.Errorf("%w: k = %d, want %d…%d", ErrInvalidK, k, MinK, MaxK)
	}
	if len(proof) != 8*k {
		return [32]byte{}, fmt.Errorf("%w: %d bytes, want %d for k = %d", ErrProofSize, len(proof), 8*k, k)
	}
	xs := unpackProof(uint(k), proof)
	if err := verifyTree(plotID, uint(k), &challenge, &xs); err != nil {
		return [32]byte{}, err
	}
	return qualityFromProof(uint(k), &challenge, &xs), nil
}

// unpackProof splits a proof of 8·k bytes into its 64 x values.
func unpackProof(k uint, proof []byte) [ProofXs]uint64 {
	var buf [8*MaxK + 8]byte
	copy(buf[:], proof)
	var xs [ProofXs]uint64
	for i := range xs {
		pos := uint(i) * k
		xs[i] = binary.BigEndian.Uint64(buf[pos/8:]) << (pos % 8) >> (64 - k)
	}
	return xs
}

// packProof is the inverse of unpackProof.
func packProof(k uint, xs *[ProofXs]uint64) []byte {
	var b bitWriter
	b.buf = make([]byte, 0, 8*k)
	for _, x := range xs {
		b.put(x, k)
	}
	return b.flush()
}

// verifyTree runs forward propagation over the 64 x values and checks every match and the
// challenge.
func verifyTree(plotID PlotID, k uint, challenge *[32]byte, xs *[ProofXs]uint64) error {
	id := [32]byte(plotID)
	f := newF1(k, &id)
	var ys [ProofXs]uint64
	var ms [ProofXs]meta
	for i, x := range xs {
		ys[i] = f.eval(x)
		ms[i] = metaFromUint(x, k)
	}
	n := ProofXs
	for t := 2; t <= Tables; t++ {
		g := newFx(k, t)
		n /= 2
		for i := range n {
			if !matches(ys[2*i], ys[2*i+1]) {
				return &ProofError{Err: ErrNoMatch, Table: t, Pair: i}
			}
			ys[i], ms[i] = g.eval(ys[2*i], &ms[2*i], &ms[2*i+1])
		}
	}
	if ys[0]>>ExtraBits != binary.BigEndian.Uint64(challenge[:8])>>(64-k) {
		return &ProofError{Err: ErrChallengeMismatch}
	}
	return nil
}

// qualityFromProof computes the quality string of a proof given in proof order. The x values are
// first put in plot order: in six rounds, with groups of 1, 2, 4, 8, 16 and 32 values, each pair
// of adjacent groups (L, R) becomes L ‖ R if L < R, comparing element-wise from the last element
// backwards, and R ‖ L otherwise. Then a = 2·(challenge[31] mod 32) and
// quality = SHA-256(challenge ‖ x[a] ‖ x[a+1]) with the two x values as k-bit strings, zero-padded
// to whole bytes.
func qualityFromProof(k uint, challenge *[32]byte, proofOrder *[ProofXs]uint64) [32]byte {
	xs := *proofOrder
	for size := 1; size < ProofXs; size *= 2 {
		for j := 0; j < ProofXs; j += 2 * size {
			l, r := xs[j:j+size], xs[j+size:j+2*size]
			if !lessFromEnd(l, r) {
				var tmp [ProofXs / 2]uint64
				copy(tmp[:size], l)
				copy(l, r)
				copy(r, tmp[:size])
			}
		}
	}
	a := 2 * int(challenge[31]&0x1f)
	return qualityOf(k, challenge, xs[a], xs[a+1])
}

// lessFromEnd reports whether l < r, comparing from the last element backwards.
func lessFromEnd(l, r []uint64) bool {
	for i := len(l) - 1; i >= 0; i-- {
		if l[i] != r[i] {
			return l[i] < r[i]
		}
	}
	return false
}

// qualityOf hashes the challenge and two k-bit x values into a quality string.
func qualityOf(k uint, challenge *[32]byte, x1, x2 uint64) [32]byte {
	var b bitWriter
	var scratch [32 + 16]byte
	b.buf = append(scratch[:0], challenge[:]...)
	b.put(x1, k)
	b.put(x2, k)
	return sha256.Sum256(b.flush())
}
