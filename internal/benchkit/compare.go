package benchkit

import (
	"testing"
)

// Case is one fixture of a comparison: Block runs one block on it — whatever the fixture needs
// before the op, the op itself inside ops.Measure, then the block's write and commit — and
// returns the gas the op used.
type Case struct {
	Name  string
	Block func(ops *Ops) (gas uint64)
}

// Compare runs the same op on several fixtures interleaved: round i runs every case's block
// once, starting from case i mod len(cases), so that whatever else the machine does at a moment
// (another process on the other core or hyperthread, a garbage collection, a goleveldb
// compaction) falls on every case alike instead of on whichever ran at that moment. It reports,
// per case, <name>-p50-ns (the median op, wall), <name>-thread-p50-ns (the op's thread CPU),
// <name>-p99-ns, <name>-mean-ns and <name>-gas; and for every case after the first, its ratios
// to the first: <name>-p50-ratio, <name>-thread-ratio, <name>-mean-ratio, <name>-gas-ratio.
// The benchmark's ns/op is one whole round (every case's block).
func Compare(b *testing.B, cases []Case) {
	ops := make([]Ops, len(cases))
	gas := make([]uint64, len(cases))
	b.ResetTimer()
	for i := range b.N {
		for j := range cases {
			k := (i + j) % len(cases)
			gas[k] += cases[k].Block(&ops[k])
		}
	}
	b.StopTimer()
	base := ops[0].Summarize()
	for k, c := range cases {
		s := ops[k].Summarize()
		g := float64(gas[k]) / float64(b.N)
		b.ReportMetric(float64(s.WallP50), c.Name+"-p50-ns")
		b.ReportMetric(float64(s.ThreadP50), c.Name+"-thread-p50-ns")
		b.ReportMetric(float64(s.WallP99), c.Name+"-p99-ns")
		b.ReportMetric(float64(s.WallMean), c.Name+"-mean-ns")
		b.ReportMetric(g, c.Name+"-gas")
		if k == 0 {
			continue
		}
		b.ReportMetric(ratio(s.WallP50, base.WallP50), c.Name+"-p50-ratio")
		b.ReportMetric(ratio(s.ThreadP50, base.ThreadP50), c.Name+"-thread-ratio")
		b.ReportMetric(ratio(s.WallMean, base.WallMean), c.Name+"-mean-ratio")
		if gas[0] > 0 {
			b.ReportMetric(float64(gas[k])/float64(gas[0]), c.Name+"-gas-ratio")
		}
	}
	b.ReportMetric(float64(base.GCCycles)/float64(b.N), "gc-cycles/round")
}

func ratio[T ~int64](a, b T) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
