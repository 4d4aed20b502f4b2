package protocol

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

type batchCase struct {
	p       PostPartialPayload
	authKey Bytes32
	sig     []byte
	want    string // "" or the half refused: "plot" or "authentication"
}

// batchCases are partials of 8 farmers: valid ones, and ones whose plot or authentication
// signature is forged (signed by another key, or a flipped bit), signed over another message,
// by a key that is not a curve point, or cut short.
func batchCases(n int) []batchCase {
	var notPoint Bytes32
	for i := range notPoint {
		notPoint[i] = 0xff
	}
	notPoint[31] = 0x7f
	var out []batchCase
	for i := 0; i < n; i++ {
		seed := sha256.Sum256([]byte(fmt.Sprint("plot", i%8)))
		plotKey := ed25519.NewKeyFromSeed(seed[:])
		seed = sha256.Sum256([]byte(fmt.Sprint("auth", i%8)))
		authKey := ed25519.NewKeyFromSeed(seed[:])
		seed = sha256.Sum256([]byte(fmt.Sprint("thief", i)))
		thief := ed25519.NewKeyFromSeed(seed[:])
		p := PostPartialPayload{AuthenticationToken: uint64(i)}
		p.ProofOfSpace.PlotPublicKey = PublicKey(plotKey)
		p.SPHash = Bytes32(sha256.Sum256([]byte(fmt.Sprint("sp", i))))
		c := batchCase{p: p, authKey: PublicKey(authKey), sig: SignPartial(&p, plotKey, authKey)}
		switch i % 9 {
		case 1:
			c.sig = SignPartial(&p, thief, authKey)
			c.want = "plot"
		case 2:
			c.sig = SignPartial(&p, plotKey, thief)
			c.want = "authentication"
		case 3:
			c.sig[7] ^= 1
			c.want = "plot"
		case 4:
			c.sig[SignatureSize+40] ^= 0x80
			c.want = "authentication"
		case 5:
			other := p
			other.AuthenticationToken++
			c.sig = SignPartial(&other, plotKey, authKey)
			c.want = "plot"
		case 6:
			c.p.ProofOfSpace.PlotPublicKey = notPoint
			c.want = "plot"
		case 7:
			c.authKey = notPoint
			c.want = "authentication"
		case 8:
			c.sig = c.sig[:2*SignatureSize-1]
			c.want = "aggregate"
		}
		out = append(out, c)
	}
	return out
}

func checkBatchCase(t *testing.T, i int, c batchCase, err error) {
	t.Helper()
	if c.want == "" {
		require.NoError(t, err, "case %d", i)
		require.NoError(t, VerifyPartial(&c.p, c.authKey, c.sig), "case %d: crypto/ed25519 agrees", i)
		return
	}
	require.Error(t, err, "case %d", i)
	require.Equal(t, InvalidSignature, Code(err), "case %d", i)
	require.Contains(t, err.Error(), c.want, "case %d", i)
	require.Error(t, VerifyPartial(&c.p, c.authKey, c.sig), "case %d: crypto/ed25519 agrees", i)
}

// TestPartialVerifierAlone: one partial at a time (a batch of its own), every kind of forgery
// refused, naming the half that failed.
func TestPartialVerifierAlone(t *testing.T) {
	v := NewPartialVerifier(NewKeyCache(16))
	for i, c := range batchCases(27) {
		checkBatchCase(t, i, c, v.VerifyPartial(&c.p, c.authKey, c.sig))
	}
}

// TestPartialVerifierConcurrent: many partials at once, so that batches mix valid and forged
// ones: each still gets its own answer (a forged partial fails alone, and never makes a valid
// one in its batch fail), and every caller returns.
func TestPartialVerifierConcurrent(t *testing.T) {
	v := NewPartialVerifier(NewKeyCache(16))
	v.max = 2
	cases := batchCases(900)
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	for w := 0; w < 48; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(cases); i += 48 {
				c := cases[i]
				errs[i] = v.VerifyPartial(&c.p, c.authKey, c.sig)
			}
		}(w)
	}
	wg.Wait()
	for i, c := range cases {
		checkBatchCase(t, i, c, errs[i])
	}
	require.Empty(t, v.queue)
	require.Zero(t, v.leaders)
}

// BenchmarkPartialVerifier: CPU per partial (two signatures) verified alone and in concurrent
// batches.
func BenchmarkPartialVerifier(b *testing.B) {
	cases := batchCases(64)
	var valid []batchCase
	for _, c := range cases {
		if c.want == "" {
			valid = append(valid, c)
		}
	}
	b.Run("serial-stdlib", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			c := valid[i%len(valid)]
			if VerifyPartial(&c.p, c.authKey, c.sig) != nil {
				b.Fatal("refused")
			}
		}
	})
	b.Run("keycache", func(b *testing.B) {
		k := NewKeyCache(16)
		for i := 0; i < b.N; i++ {
			c := valid[i%len(valid)]
			m := c.p.Hash()
			if !k.Verify(c.p.ProofOfSpace.PlotPublicKey, m, c.sig[:SignatureSize]) || !k.Verify(c.authKey, m, c.sig[SignatureSize:]) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("batched-64-callers", func(b *testing.B) {
		v := NewPartialVerifier(NewKeyCache(16))
		b.SetParallelism(32)
		var n sync.Mutex
		next := 0
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				n.Lock()
				c := valid[next%len(valid)]
				next++
				n.Unlock()
				if v.VerifyPartial(&c.p, c.authKey, c.sig) != nil {
					b.Error("refused")
				}
			}
		})
	})
}
