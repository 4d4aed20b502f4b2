package pospace

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
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
		// Level 4 is plotted directly; it must be the same file as the converted one.
		path := filepath.Join(t.TempDir(), "v2.plot")
		if c == 4 {
			path = makePlotOpts(t, PlotOptions{K: 18, PlotID: id, Compression: c})
		} else if _, err := ConvertPlot(context.Background(), v1, path, ConvertOptions{Compression: c}); err != nil {
			t.Fatal(err)
		}
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
		if c != 4 {
			continue
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

// TestV2HighCompression uses a level so high for its k that many table-2 entries have several
// matching candidates: the prover must resolve them through the rest of the tree and still find
// exactly version 1's proofs and qualities.
func TestV2HighCompression(t *testing.T) {
	id := PlotID(CheckChallenge(41))
	v1 := makePlotOpts(t, PlotOptions{K: 14, PlotID: id, Format: 1})
	want, _ := proofSet(t, v1, 300)
	path := filepath.Join(t.TempDir(), "c12.plot")
	if _, err := ConvertPlot(context.Background(), v1, path, ConvertOptions{Compression: 12}); err != nil {
		t.Fatal(err)
	}
	pr, err := OpenProver(path)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := proofSet(t, path, 300)
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("level 12: %d proofs, version 1: %d", len(got), len(want))
	}
	for p, q := range want {
		if got[p] != q {
			t.Errorf("proof %s missing or with another quality", p[:20])
		}
	}
	// Count the ambiguous table-2 entries on the quality paths: the test must exercise them.
	amb := 0
	for i := range 300 {
		ch := CheckChallenge(uint32(i))
		first, n, err := pr.find(&ch)
		if err != nil {
			t.Fatal(err)
		}
		for j := range n {
			a, err := pr.pathAmbiguous(&ch, first+j)
			if err != nil {
				t.Fatal(err)
			}
			if a {
				amb++
			}
		}
	}
	pr.Close()
	t.Logf("%d proofs, %d with an ambiguous quality path", len(got), amb)
	if amb == 0 {
		t.Error("no ambiguous table-2 entry: the test does not cover the fallback")
	}
}

// TestF7ParkBoundaries looks up, in a version-2 plot, every f7 value whose run of equal values
// crosses a park boundary (chiapos's prover misses the entries before the boundary) and checks
// that the prover returns the whole run, as the version-1 plot does.
func TestF7ParkBoundaries(t *testing.T) {
	id := PlotID(CheckChallenge(77))
	v1 := makePlotOpts(t, PlotOptions{K: 17, PlotID: id, Format: 1})
	path := filepath.Join(t.TempDir(), "v2.plot")
	if _, err := ConvertPlot(context.Background(), v1, path, ConvertOptions{}); err != nil {
		t.Fatal(err)
	}
	p1, err := OpenProver(v1)
	if err != nil {
		t.Fatal(err)
	}
	defer p1.Close()
	p2, err := OpenProver(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	h := p2.Header()
	k := uint(h.K)
	parks := seqParks(h.Counts[6], f7ParkSize)
	crossing := 0
	for j := uint64(1); j < parks; j++ {
		prev, err := p2.readPark(sec2F7i, sec2F7d, j-1, h.Counts[6], f7ParkSize, uint(h.Rice[riceF7]), 0)
		if err != nil {
			t.Fatal(err)
		}
		cur, err := p2.readPark(sec2F7i, sec2F7d, j, h.Counts[6], f7ParkSize, uint(h.Rice[riceF7]), 0)
		if err != nil {
			t.Fatal(err)
		}
		if prev[len(prev)-1] != cur[0] {
			continue
		}
		crossing++
		var ch [32]byte
		binary.BigEndian.PutUint64(ch[:], cur[0]<<(64-k))
		q1, err := p1.Qualities(ch)
		if err != nil {
			t.Fatal(err)
		}
		q2, err := p2.Qualities(ch)
		if err != nil {
			t.Fatal(err)
		}
		if len(q2) < 2 || len(q1) != len(q2) {
			t.Fatalf("park %d: f7 %d: version 2 finds %d entries, version 1 %d", j, cur[0], len(q2), len(q1))
		}
		for i := range q2 {
			proof, err := p2.Proof(ch, i)
			if err != nil {
				t.Fatal(err)
			}
			if vq, err := Verify(h.PlotID, h.K, ch, proof); err != nil || vq != q2[i] {
				t.Fatalf("park %d: proof %d: %v", j, i, err)
			}
		}
	}
	t.Logf("%d of %d park boundaries are crossed by a run of equal f7 values", crossing, parks-1)
	if crossing == 0 {
		t.Fatal("no run crosses a park boundary: the test checks nothing")
	}
}

// TestIntermediateFile checks the plotter's compact intermediate file: provers refuse it, the
// converter reads it, and punching its sections out leaves a correct version-2 plot.
func TestIntermediateFile(t *testing.T) {
	id := PlotID(CheckChallenge(9))
	dir := t.TempDir()
	tmp := filepath.Join(dir, "x.v1.tmp")
	track := new(tempUsage)
	if _, err := createPlot1(context.Background(), tmp, PlotOptions{K: 14, PlotID: id}, track, true, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenProver(tmp); !errors.Is(err, ErrBadPlot) {
		t.Fatalf("prover opened the intermediate file: %v", err)
	}
	out := filepath.Join(dir, "x.plot")
	if _, err := convertPlot(context.Background(), tmp, out, ConvertOptions{consume: true}, track); err != nil {
		t.Fatal(err)
	}
	if cur := track.cur.Load(); punchSupported && (cur > 4096*8 || cur < -8*numSections) { // sections are counted unpadded when written
		t.Errorf("%d temporary bytes still counted after conversion", cur)
	}
	v1 := makePlotOpts(t, PlotOptions{K: 14, PlotID: id, Format: 1})
	want, _ := proofSet(t, v1, 200)
	got, _ := proofSet(t, out, 200)
	if len(got) != len(want) {
		t.Fatalf("%d proofs from the intermediate file, %d from version 1", len(got), len(want))
	}
}
