package pospace

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
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

// TestPlotDeterministic checks that the plot bytes depend only on the options, not on the
// number of workers or on timing.
func TestPlotDeterministic(t *testing.T) {
	id := PlotID(CheckChallenge(7))
	a := makePlot(t, 15, id, 1)
	b := makePlot(t, 15, id, 2)
	c := makePlot(t, 15, id, 3)
	others := []string{b, c}
	if useAVX512 {
		// The portable hashing and probing must give the same plot as the AVX-512 ones.
		setAVX512(false)
		others = append(others, makePlot(t, 15, id, 2))
		setAVX512(true)
	}
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range others {
		db, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(da, db) {
			t.Fatal("plots differ between worker counts or code paths")
		}
	}
}

// TestPlotSmallK checks the smallest plots and that their proofs verify. It also covers the
// prover's tie path: at k = 13, challenge 287's proof has two table-3 subtrees with the same
// largest x, so its quality must come from the full proof.
func TestPlotSmallK(t *testing.T) {
	for k := MinPlotK; k <= 14; k++ {
		id := PlotID(CheckChallenge(uint32(k)))
		v1 := makePlotOpts(t, PlotOptions{K: k, PlotID: id, Format: 1})
		found := checkPlot(t, v1, 300)
		if found == 0 {
			t.Errorf("k=%d: no proofs for 300 challenges", k)
		}
		for _, c := range []int{0, 3} {
			v2 := makePlotOpts(t, PlotOptions{K: k, PlotID: id, Compression: c})
			if n := checkPlot(t, v2, 300); n != found {
				t.Errorf("k=%d: version 2 level %d finds %d proofs, version 1 %d", k, c, n, found)
			}
		}
	}
}

func TestPlotProgressAndCancel(t *testing.T) {
	dir := t.TempDir()
	var last float64
	phases := map[string]bool{}
	_, err := CreatePlot(context.Background(), filepath.Join(dir, "a.plot"), PlotOptions{K: 12, Progress: func(f float64, phase string) {
		if f < last || f > 1 {
			t.Errorf("progress went from %v to %v", last, f)
		}
		last = f
		phases[phase] = true
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last != 1 || !phases["table 1/7"] || !phases["table 7/7"] || !phases["writing"] {
		t.Errorf("last progress %v, phases %v", last, phases)
	}

	ctx, cancel := context.WithCancel(context.Background())
	_, err = CreatePlot(ctx, filepath.Join(dir, "b.plot"), PlotOptions{K: 14, Progress: func(f float64, _ string) {
		if f > 0.3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled plot: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("cancelled plot left files: %v", entries)
	}
	if _, err := CreatePlot(context.Background(), filepath.Join(dir, "c.plot"), PlotOptions{K: MaxPlotK + 1}); !errors.Is(err, ErrInvalidK) {
		t.Fatalf("k too large: %v", err)
	}
}

func TestProverErrors(t *testing.T) {
	for _, format := range []int{1, 2} {
		t.Run(strconv.Itoa(format), func(t *testing.T) { testProverErrors(t, format) })
	}
}

func testProverErrors(t *testing.T, format int) {
	id := PlotID(CheckChallenge(1))
	path := makePlotOpts(t, PlotOptions{K: 12, PlotID: id, Format: format})
	pr, err := OpenProver(path)
	if err != nil {
		t.Fatal(err)
	}
	h := pr.Header()
	if h.K != 12 || h.PlotID != id || h.Version != format {
		t.Fatalf("header %+v", h)
	}
	// Find a challenge with a proof, then ask for one index too many.
	for i := range uint32(100) {
		ch := CheckChallenge(i)
		qs, err := pr.Qualities(ch)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) == 0 {
			if _, err := pr.Proof(ch, 0); !errors.Is(err, ErrNoProof) {
				t.Fatalf("proof of nothing: %v", err)
			}
			continue
		}
		if _, err := pr.Proof(ch, len(qs)); !errors.Is(err, ErrNoProof) {
			t.Fatalf("proof index out of range: %v", err)
		}
		if _, err := pr.Proof(ch, -1); !errors.Is(err, ErrNoProof) {
			t.Fatalf("negative proof index: %v", err)
		}
		break
	}
	pr.Close()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	corrupt := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flipped := append([]byte(nil), data...)
	flipped[20] ^= 1 // plot id byte: header checksum fails
	badVersion := append([]byte(nil), data[:headerSize]...)
	badVersion[9] = 3
	cases := map[string]string{
		"truncated": corrupt("truncated.plot", data[:len(data)-100]),
		"short":     corrupt("short.plot", data[:100]),
		"magic":     corrupt("magic.plot", append([]byte("NOTAPLOT"), data[8:]...)),
		"checksum":  corrupt("checksum.plot", flipped),
		"version":   corrupt("version.plot", append(fixChecksum(badVersion), data[headerSize:]...)),
	}
	for name, p := range cases {
		if _, err := OpenProver(p); !errors.Is(err, ErrBadPlot) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := OpenProver(filepath.Join(dir, "missing.plot")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func fixChecksum(h []byte) []byte {
	binary.BigEndian.PutUint32(h[252:], crc32.ChecksumIEEE(h[:252]))
	return h
}

func TestHeaderRoundTrip(t *testing.T) {
	h := Header{Version: plotVersion, K: 20, PlotID: PlotID(CheckChallenge(1)), PoolContractID: CheckChallenge(2), PlotPublicKey: CheckChallenge(3)}
	for i := range h.Counts {
		h.Counts[i] = 1<<20 - uint64(i)*1000
	}
	h.layout()
	got, err := parseHeader(h.marshal(), int64(h.size()))
	if err != nil {
		t.Fatal(err)
	}
	if *got != h {
		t.Fatalf("round trip: %+v != %+v", *got, h)
	}
	if _, err := parseHeader(h.marshal(), int64(h.size())-1); !errors.Is(err, ErrBadPlot) {
		t.Fatalf("short file: %v", err)
	}
}

// TestLargePlot plots k = $POSPACE_LARGE_K (for example 22 or 25; skipped when unset), then
// looks up and verifies proofs for 100 challenges.
func TestLargePlot(t *testing.T) {
	s := os.Getenv("POSPACE_LARGE_K")
	if s == "" {
		t.Skip("set POSPACE_LARGE_K to run")
	}
	k, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	id := PlotID(CheckChallenge(uint32(100 + k)))
	path := makePlot(t, k, id, 0)
	found := checkPlot(t, path, 100)
	t.Logf("k=%d: %d proofs for 100 challenges", k, found)
	if found < 70 {
		t.Fatalf("only %d proofs for 100 challenges", found)
	}
}

// TestScanF7 checks a large version-1 plot made elsewhere (POSPACE_SCAN_PLOT, e.g. one that
// pospacebench -keep left): for each of the 100 check challenges, the prover must return as
// many qualities as a scan of the whole F7 section finds entries equal to the challenge's first
// k bits. It also logs each table's size against 2^k.
func TestScanF7(t *testing.T) {
	path := os.Getenv("POSPACE_SCAN_PLOT")
	if path == "" {
		t.Skip("set POSPACE_SCAN_PLOT to a version-1 plot to run")
	}
	pr, err := OpenProver(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	h := pr.Header()
	if h.Version != plotVersion {
		t.Fatalf("version %d plot: the scan reads version 1's F7 section", h.Version)
	}
	k := uint(h.K)
	for i, n := range h.Counts {
		t.Logf("table %d: %d entries, %.5f·2^k", i+1, n, float64(n)/float64(uint64(1)<<k))
	}
	targets := make([]uint64, 100)
	want := make(map[uint64]int)
	for i := range targets {
		ch := CheckChallenge(uint32(i))
		targets[i] = binary.BigEndian.Uint64(ch[:8]) >> (64 - k)
		want[targets[i]] = 0
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Beside the exact counts: the entries in the 8,192-value block around each target (the
	// density there) and a histogram of the top 10 bits (uniformity), so that a low count can be
	// told from a bias.
	const blockBits, histBits = 13, 10
	near := make(map[uint64]int)
	for _, tg := range targets {
		near[tg>>blockBits] = 0
	}
	var hist [1 << histBits]uint64
	fr := newFixedReader(f, &h, secF7)
	prev := uint64(0)
	for i := range h.Counts[Tables-1] {
		v, err := fr.value()
		if err != nil {
			t.Fatal(err)
		}
		if v < prev {
			t.Fatalf("F7 entry %d: %d after %d: not sorted", i, v, prev)
		}
		prev = v
		hist[v>>(k-histBits)]++
		if _, ok := near[v>>blockBits]; ok {
			near[v>>blockBits]++
			if _, ok := want[v]; ok {
				want[v]++
			}
		}
	}
	mean := float64(h.Counts[Tables-1]) / float64(len(hist))
	chi2 := 0.0
	for _, c := range hist {
		d := float64(c) - mean
		chi2 += d * d / mean
	}
	// 1,023 degrees of freedom: mean 1,023, standard deviation 45.
	if chi2 > 2*float64(len(hist)) {
		t.Errorf("F7 top %d bits: chi-square %.0f, not uniform", histBits, chi2)
	}
	blocks := 0
	for _, n := range near {
		blocks += n
	}
	density := float64(h.Counts[Tables-1]) / float64(uint64(1)<<k)
	t.Logf("F7 top %d bits: chi-square %.0f (1,023 degrees of freedom); %d entries in the %d blocks of %d values around the targets, %.0f expected",
		histBits, chi2, blocks, len(near), 1<<blockBits, density*float64(len(near)<<blockBits))
	total := 0
	for i, tg := range targets {
		qs, err := pr.Qualities(CheckChallenge(uint32(i)))
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) != want[tg] {
			t.Errorf("challenge %d (f7 %d): prover %d qualities, scan %d entries", i, tg, len(qs), want[tg])
		}
		total += len(qs)
	}
	t.Logf("%d proofs for 100 challenges; table 7 predicts %.1f", total, 100*float64(h.Counts[Tables-1])/float64(uint64(1)<<k))
}

// TestChiaVectorsFromOwnPlot plots the plot id of chiapos's published k=21 vectors and checks
// that for challenges 0…99 our prover finds every one of chiapos's 97 proofs, byte for byte, with
// the same quality string (and possibly more: chiapos drops a few).
func TestChiaVectorsFromOwnPlot(t *testing.T) {
	vs := loadK21(t)
	v1 := makePlotOpts(t, PlotOptions{K: 21, PlotID: vs[0].id, Format: 1})
	for _, c := range []int{-1, 0, 12} {
		path := v1
		if c >= 0 {
			path = filepath.Join(t.TempDir(), "v2.plot")
			if _, err := ConvertPlot(context.Background(), v1, path, ConvertOptions{Compression: c}); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(fmt.Sprintf("level%d", c), func(t *testing.T) { checkChiaVectors(t, vs, path) })
	}
}

// checkChiaVectors checks that the plot at path has every one of chiapos's k=21 proofs.
func checkChiaVectors(t *testing.T, vs []vector, path string) {
	pr, err := OpenProver(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	ours := map[[32]byte]map[string][32]byte{} // challenge → proof → quality
	total := 0
	for i := range uint32(100) {
		ch := CheckChallenge(i)
		qs, err := pr.Qualities(ch)
		if err != nil {
			t.Fatal(err)
		}
		ours[ch] = map[string][32]byte{}
		for j, q := range qs {
			proof, err := pr.Proof(ch, j)
			if err != nil {
				t.Fatal(err)
			}
			ours[ch][string(proof)] = q
			total++
		}
	}
	for i, v := range vs {
		q, ok := ours[v.challenge][string(v.proof)]
		if !ok {
			t.Errorf("vector %d: chiapos's proof not found in our plot", i)
			continue
		}
		if q != v.quality {
			t.Errorf("vector %d: quality %x, want %x", i, q, v.quality)
		}
	}
	t.Logf("our plot: %d proofs for challenges 0…99; chiapos: %d", total, len(vs))
}
