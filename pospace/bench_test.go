package pospace

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkVerify measures verification of the published k=21 proofs.
func BenchmarkVerify(b *testing.B) {
	vs := loadK21(b)
	b.ResetTimer()
	for i := range b.N {
		v := &vs[i%len(vs)]
		if _, err := Verify(v.id, v.k, v.challenge, v.proof); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyK32 measures verification of real k=32 proofs.
func BenchmarkVerifyK32(b *testing.B) {
	vs := loadK32(b)
	b.ResetTimer()
	for i := range b.N {
		v := &vs[i%len(vs)]
		if _, err := Verify(v.id, v.k, v.challenge, v.proof); err != nil {
			b.Fatal(err)
		}
	}
}

// benchK returns the k for plotting benchmarks: $POSPACE_BENCH_K, default 18.
func benchK(b *testing.B) int {
	if s := os.Getenv("POSPACE_BENCH_K"); s != "" {
		k, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		return k
	}
	return 18
}

// BenchmarkPlot plots one plot of size $POSPACE_BENCH_K (default 18) per iteration.
func BenchmarkPlot(b *testing.B) {
	k := benchK(b)
	id := CheckChallenge(uint32(k))
	dir := b.TempDir()
	for range b.N {
		path := filepath.Join(dir, "bench.plot")
		if _, err := CreatePlot(context.Background(), path, PlotOptions{K: k, PlotID: id}); err != nil {
			b.Fatal(err)
		}
		os.Remove(path)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(uint64(1)<<k), "ns/entry")
}

// BenchmarkFx measures one f_t evaluation (BLAKE3 of up to 294 bits) at k = 22.
func BenchmarkFx(b *testing.B) {
	for t := 2; t <= Tables; t++ {
		b.Run("t"+strconv.Itoa(t), func(b *testing.B) {
			g := newFx(22, t)
			ml := meta{0x0123456789abcdef, 0xfedcba9876543210}
			mr := meta{0x1111222233334444, 0x5555666677778888}
			var y uint64 = 12345
			for range b.N {
				y, ml = g.eval(y&(1<<28-1), &ml, &mr)
			}
		})
	}
}

// proverBench plots a k=18 plot once (format $POSPACE_BENCH_FORMAT, default 2, compression
// $POSPACE_BENCH_LEVEL, default 0) and returns a prover and challenges with proofs.
func proverBench(b *testing.B) (*Prover, [][32]byte) {
	b.Helper()
	id, _ := ParsePlotID(chiaK18PlotID)
	path := filepath.Join(b.TempDir(), "bench.plot")
	format, _ := strconv.Atoi(os.Getenv("POSPACE_BENCH_FORMAT"))
	level, _ := strconv.Atoi(os.Getenv("POSPACE_BENCH_LEVEL"))
	if _, err := CreatePlot(context.Background(), path, PlotOptions{K: 18, PlotID: id, Format: format, Compression: level}); err != nil {
		b.Fatal(err)
	}
	pr, err := OpenProver(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { pr.Close() })
	var withProof [][32]byte
	for i := range uint32(100) {
		ch := CheckChallenge(i)
		if qs, _ := pr.Qualities(ch); len(qs) > 0 {
			withProof = append(withProof, ch)
		}
	}
	return pr, withProof
}

// BenchmarkProverQualities measures a quality lookup (index search and one path down the
// tables) for challenges that have a proof, on a k=18 plot in the page cache.
func BenchmarkProverQualities(b *testing.B) {
	pr, chs := proverBench(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := pr.Qualities(chs[i%len(chs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProverProof measures fetching a full proof (127 lookups) on a k=18 plot.
func BenchmarkProverProof(b *testing.B) {
	pr, chs := proverBench(b)
	b.ResetTimer()
	for i := range b.N {
		if _, err := pr.Proof(chs[i%len(chs)], 0); err != nil {
			b.Fatal(err)
		}
	}
}
