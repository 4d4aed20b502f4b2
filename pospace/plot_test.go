package pospace

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// chiaK18PlotID is the plot id of chiapos's k=18 proof-count test.
const chiaK18PlotID = "23023404333717545b0a6f0c0dde9710e4d3fe2d5cc6cc0a090a0b818bab0f17"

func makePlot(t testing.TB, k int, id PlotID, workers int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), PlotFileName(k, id))
	start := time.Now()
	if _, err := CreatePlot(context.Background(), path, PlotOptions{K: k, PlotID: id, Workers: workers}); err != nil {
		t.Fatal(err)
	}
	t.Logf("k=%d plotted in %v", k, time.Since(start))
	return path
}

// checkPlot looks up challenges 0…n−1 and verifies every proof; it returns the number found.
func checkPlot(t testing.TB, path string, n int) int {
	t.Helper()
	pr, err := OpenProver(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	h := pr.Header()
	found := 0
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
			found++
		}
	}
	return found
}

// TestChiaProofCountK18 reproduces chiapos's published count: for this plot id at k = 18 and
// challenges 0…99, Chia's plotter finds 95 proofs. We must find at least as many, all valid.
func TestChiaProofCountK18(t *testing.T) {
	id, err := ParsePlotID(chiaK18PlotID)
	if err != nil {
		t.Fatal(err)
	}
	path := makePlot(t, 18, id, 0)
	found := checkPlot(t, path, 100)
	t.Logf("found %d proofs for 100 challenges", found)
	if found < 95 {
		t.Fatalf("found %d proofs, want at least 95", found)
	}
}
