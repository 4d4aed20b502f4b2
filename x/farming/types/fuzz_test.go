package types_test

import (
	"testing"

	"github.com/guild-network/guild/x/farming/types"
)

// FuzzEvaluateProof checks that the stateless proof checks (run on every submission, in CheckTx)
// never panic on any input and never accept garbage at a bar no proof can beat.
func FuzzEvaluateProof(f *testing.F) {
	f.Add(uint64(1), make([]byte, 32), uint32(18), make([]byte, 144), make([]byte, 32), uint64(1))
	f.Add(uint64(0), []byte{1}, uint32(50), make([]byte, 400), []byte{}, uint64(0))
	p := types.DevnetParams()
	f.Fuzz(func(t *testing.T, id uint64, pub []byte, k uint32, proof, sp []byte, d uint64) {
		var spHash [32]byte
		copy(spHash[:], sp)
		ev, err := types.EvaluateProof(p, id, pub, k, proof, spHash, d)
		if err == nil && len(proof) != 8*int(k) {
			t.Fatalf("accepted a %d-byte proof for k=%d (%v)", len(proof), k, ev)
		}
		m := types.MsgSubmitProof{PlotPublicKey: pub, K: k, Proof: proof, SpHeight: int64(d)}
		_ = m.ValidateBasic()
	})
}
