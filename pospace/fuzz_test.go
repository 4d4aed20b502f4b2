package pospace

import (
	"errors"
	"testing"
)

// FuzzVerify checks that Verify never panics, and that whatever it accepts is consistent: an
// accepted proof has the right size and k, and verifies again to the same quality.
func FuzzVerify(f *testing.F) {
	for _, v := range append(loadK21(f), loadK32(f)...) {
		f.Add(v.id[:], v.k, v.challenge[:], v.proof)
	}
	f.Add([]byte{}, 0, []byte{}, []byte{})
	f.Add(make([]byte, 32), MaxK, make([]byte, 32), make([]byte, 8*MaxK))
	f.Add(make([]byte, 32), MinK, make([]byte, 32), make([]byte, 8*MinK))
	f.Fuzz(func(t *testing.T, idb []byte, k int, chb []byte, proof []byte) {
		var id PlotID
		var ch [32]byte
		copy(id[:], idb)
		copy(ch[:], chb)
		q, err := Verify(id, k, ch, proof)
		if err != nil {
			var pe *ProofError
			if !errors.Is(err, ErrInvalidK) && !errors.Is(err, ErrProofSize) && !errors.As(err, &pe) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		if k < MinK || k > MaxK || len(proof) != 8*k {
			t.Fatalf("accepted k=%d with %d bytes", k, len(proof))
		}
		q2, err := Verify(id, k, ch, proof)
		if err != nil || q2 != q {
			t.Fatalf("second verification differs: %v", err)
		}
	})
}
