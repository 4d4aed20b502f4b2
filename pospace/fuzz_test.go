package pospace

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
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

// FuzzPlotReader corrupts real plot files of both formats (and a compressed one) in memory and
// looks up proofs: the reader must never panic, and every error must say the plot is bad
// (ErrBadPlot) or that there is no such proof. The fuzzed input is a small edit (which plot, a
// patch at an offset, a truncation, whether to re-seal the header checksum) rather than the
// whole file: the engine then mutates and minimizes a few bytes, not a 10 KB file (with whole
// files as inputs, minimizing each new input took minutes and the run stalled at 0 execs/s),
// and re-sealing lets corrupt header fields get past the checksum to the checks behind it.
func FuzzPlotReader(f *testing.F) {
	dir := f.TempDir()
	id := PlotID(CheckChallenge(5))
	var plots [][]byte
	for _, o := range []PlotOptions{{Format: 1}, {Format: 2}, {Format: 2, Compression: 5}} {
		o.K, o.PlotID = 12, id
		path := filepath.Join(dir, fmt.Sprintf("f%d-c%d.plot", o.Format, o.Compression))
		if _, err := CreatePlot(context.Background(), path, o); err != nil {
			f.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		plots = append(plots, data)
	}
	for which := range uint8(len(plots)) {
		f.Add(which, uint32(0), []byte{}, uint32(0), false)          // the plot as written
		f.Add(which, uint32(10), []byte{30}, uint32(0), true)        // another k, checksum re-sealed
		f.Add(which, uint32(11), []byte{25}, uint32(0), true)        // a compression level too high
		f.Add(which, uint32(600), []byte{0xff, 0}, uint32(0), false) // a corrupt park
		f.Add(which, uint32(0), []byte{}, uint32(100), false)        // truncated
	}
	f.Fuzz(func(t *testing.T, which uint8, off uint32, patch []byte, cut uint32, reseal bool) {
		data := bytes.Clone(plots[int(which)%len(plots)])
		if len(patch) > 0 {
			copy(data[int(off)%len(data):], patch)
		}
		if reseal {
			if binary.BigEndian.Uint16(data[8:]) == plotVersion2 {
				binary.BigEndian.PutUint32(data[508:], crc32.ChecksumIEEE(data[:508]))
			} else {
				binary.BigEndian.PutUint32(data[252:], crc32.ChecksumIEEE(data[:252]))
			}
		}
		data = data[:len(data)-int(cut)%len(data)]
		pr, err := NewProver(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !errors.Is(err, ErrBadPlot) {
				t.Fatalf("open: unexpected error %v", err)
			}
			return
		}
		for i := range uint32(4) {
			ch := CheckChallenge(i)
			qs, err := pr.Qualities(ch)
			if err != nil {
				if !errors.Is(err, ErrBadPlot) {
					t.Fatalf("qualities: unexpected error %v", err)
				}
				continue
			}
			for j := range len(qs) + 1 {
				if _, err := pr.Proof(ch, j); err != nil && !errors.Is(err, ErrBadPlot) && !errors.Is(err, ErrNoProof) {
					t.Fatalf("proof: unexpected error %v", err)
				}
			}
		}
	})
}

// TestCorruptPlots flips random bytes of small plots of each format many times (a fixed seed, so
// the test is repeatable) and checks what FuzzPlotReader checks: no panic, only plot errors.
func TestCorruptPlots(t *testing.T) {
	dir := t.TempDir()
	for _, o := range []PlotOptions{{Format: 1}, {Format: 2}, {Format: 2, Compression: 5}} {
		o.K, o.PlotID = 12, PlotID(CheckChallenge(5))
		path := filepath.Join(dir, fmt.Sprintf("f%d-c%d.plot", o.Format, o.Compression))
		if _, err := CreatePlot(context.Background(), path, o); err != nil {
			t.Fatal(err)
		}
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(uint64(o.Format), uint64(o.Compression)))
		for range 2000 {
			data := append([]byte(nil), orig...)
			for range 1 + r.IntN(4) {
				i := r.IntN(len(data))
				if r.IntN(4) == 0 {
					i = r.IntN(headerSize2) // the header too: the checksum must catch it
				}
				data[i] ^= byte(1 + r.IntN(255))
			}
			if r.IntN(10) == 0 {
				data = data[:r.IntN(len(data))]
			}
			pr, err := NewProver(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				if !errors.Is(err, ErrBadPlot) {
					t.Fatalf("open: %v", err)
				}
				continue
			}
			for i := range uint32(4) {
				ch := CheckChallenge(i + uint32(r.IntN(1000)))
				qs, err := pr.Qualities(ch)
				if err != nil {
					if !errors.Is(err, ErrBadPlot) {
						t.Fatalf("qualities: %v", err)
					}
					continue
				}
				for j := range len(qs) + 1 {
					if _, err := pr.Proof(ch, j); err != nil && !errors.Is(err, ErrBadPlot) && !errors.Is(err, ErrNoProof) {
						t.Fatalf("proof: %v", err)
					}
				}
			}
		}
	}
}
