package pospace

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func makePlotOpts(t testing.TB, opts PlotOptions) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("f%d-c%d-", opts.Format, opts.Compression)+PlotFileName(opts.K, opts.PlotID))
	if _, err := CreatePlot(context.Background(), path, opts); err != nil {
		t.Fatal(err)
	}
	return path
}

// proofSet returns, per challenge 0…n−1, the proofs (hex) with their qualities, checking that
// each verifies with the prover's quality.
func proofSet(t testing.TB, path string, n int) (map[string][32]byte, Header) {
	t.Helper()
	pr, err := OpenProver(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	h := pr.Header()
	out := map[string][32]byte{}
	for i := range n {
		ch := CheckChallenge(uint32(i))
		qs, err := pr.Qualities(ch)
		if err != nil {
			t.Fatal(err)
		}
		for j, q := range qs {
			proof, err := pr.Proof(ch, j)
			if err != nil {
				t.Fatal(err)
			}
			vq, err := Verify(h.PlotID, h.K, ch, proof)
			if err != nil {
				t.Fatalf("challenge %d proof %d: %v", i, j, err)
			}
			if vq != q {
				t.Fatalf("challenge %d proof %d: prover quality %x, verifier %x", i, j, q, vq)
			}
			out[fmt.Sprintf("%d:%x", i, proof)] = q
		}
	}
	return out, h
}

// TestV2SameProofsAsV1 plots chiapos's k=18 proof-count plot id in version 1 and in version 2 at
// several compression levels: every format finds the same proofs with the same qualities.
func TestV2SameProofsAsV1(t *testing.T) {
	id, _ := ParsePlotID(chiaK18PlotID)
	v1 := makePlotOpts(t, PlotOptions{K: 18, PlotID: id, Format: 1})
	want, _ := proofSet(t, v1, 100)
	if len(want) < 95 {
		t.Fatalf("version 1: %d proofs, want at least 95", len(want))
	}
	st1, _ := os.Stat(v1)
	for _, c := range []int{0, 4, 10} {
		path := makePlotOpts(t, PlotOptions{K: 18, PlotID: id, Compression: c})
		got, h := proofSet(t, path, 100)
		if h.Version != 2 || h.Compression != c {
			t.Fatalf("header %+v", h)
		}
		st, _ := os.Stat(path)
		t.Logf("level %d: %d bytes (version 1: %d), %d proofs", c, st.Size(), st1.Size(), len(got))
		if len(got) != len(want) {
			t.Errorf("level %d: %d proofs, version 1 has %d", c, len(got), len(want))
		}
		for p, q := range want {
			if got[p] != q {
				t.Errorf("level %d: proof %s missing or with another quality", c, p[:20])
			}
		}
		// Converting the version-1 plot gives the same bytes as plotting version 2 directly.
		conv := filepath.Join(t.TempDir(), "conv.plot")
		if _, err := ConvertPlot(context.Background(), v1, conv, ConvertOptions{Compression: c}); err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(path)
		b, _ := os.ReadFile(conv)
		if !bytes.Equal(a, b) {
			t.Errorf("level %d: converted plot differs from the plotted one", c)
		}
	}
}
