package pospace

import (
	"bufio"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

type vector struct {
	id        PlotID
	k         int
	challenge [32]byte
	proof     []byte
	quality   [32]byte
	hasQual   bool
}

func mustHex32(t testing.TB, s string) [32]byte {
	t.Helper()
	b, err := ParseHex32(strings.TrimSpace(s))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// loadK21 reads testdata/test_proofs_k21.txt: plot_id, k, challenge, proof, quality per line.
func loadK21(t testing.TB) []vector {
	t.Helper()
	f, err := os.Open("testdata/test_proofs_k21.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []vector
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		parts := strings.Split(line, ",")
		if len(parts) != 5 {
			t.Fatalf("bad line %q", line)
		}
		k, err := strconv.Atoi(strings.TrimSpace(parts[1]))
		if err != nil {
			t.Fatal(err)
		}
		proof, err := hex.DecodeString(strings.TrimSpace(parts[3]))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, vector{
			id: PlotID(mustHex32(t, parts[0])), k: k, challenge: mustHex32(t, parts[2]),
			proof: proof, quality: mustHex32(t, parts[4]), hasQual: true,
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// loadK32 reads testdata/proofs_k32.txt: four lines per proof (plot_id, k, challenge, proof).
func loadK32(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile("testdata/proofs_k32.txt")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines)%4 != 0 {
		t.Fatalf("%d lines, want a multiple of 4", len(lines))
	}
	var out []vector
	for i := 0; i < len(lines); i += 4 {
		k, err := strconv.Atoi(lines[i+1])
		if err != nil {
			t.Fatal(err)
		}
		proof, err := hex.DecodeString(lines[i+3])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, vector{id: PlotID(mustHex32(t, lines[i])), k: k, challenge: mustHex32(t, lines[i+2]), proof: proof})
	}
	return out
}

func TestVectorsK21(t *testing.T) {
	vs := loadK21(t)
	if len(vs) != 97 {
		t.Fatalf("%d vectors, want 97", len(vs))
	}
	for i, v := range vs {
		q, err := Verify(v.id, v.k, v.challenge, v.proof)
		if err != nil {
			t.Fatalf("vector %d: %v", i, err)
		}
		if q != v.quality {
			t.Fatalf("vector %d: quality %x, want %x", i, q, v.quality)
		}
	}
}

func TestVectorsK32(t *testing.T) {
	vs := loadK32(t)
	if len(vs) != 61 {
		t.Fatalf("%d vectors, want 61", len(vs))
	}
	for i, v := range vs {
		if _, err := Verify(v.id, v.k, v.challenge, v.proof); err != nil {
			t.Fatalf("vector %d: %v", i, err)
		}
	}
}

// TestVectorsTampered changes every byte of every published proof, one at a time, and checks
// that Verify rejects each altered proof with a *ProofError.
func TestVectorsTampered(t *testing.T) {
	vs := append(loadK21(t), loadK32(t)...)
	for i, v := range vs {
		p := append([]byte(nil), v.proof...)
		for pos := range p {
			delta := byte(1 + (pos+i)%255)
			p[pos] ^= delta
			_, err := Verify(v.id, v.k, v.challenge, p)
			p[pos] ^= delta
			if err == nil {
				t.Fatalf("vector %d: proof with byte %d ^ %#x accepted", i, pos, delta)
			}
			var pe *ProofError
			if !errors.As(err, &pe) {
				t.Fatalf("vector %d: error %v is not a *ProofError", i, err)
			}
		}
	}
}
