package benchkit_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/benchkit"
)

func TestQuantile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, c := range []struct {
		q    int
		want time.Duration
	}{{0, 1}, {10, 1}, {50, 5}, {51, 6}, {90, 9}, {99, 10}, {100, 10}} {
		require.Equal(t, c.want, benchkit.Quantile(ds, c.q), "q=%d", c.q)
	}
	require.Equal(t, time.Duration(5), ds[0], "Quantile must not sort its argument")
	require.Zero(t, benchkit.Quantile(nil, 50))
}

// spin uses d of the calling thread's CPU time.
func spin(d time.Duration) {
	end := benchkit.ThreadCPU() + d
	for benchkit.ThreadCPU() < end {
	}
}

func TestOpsRecordsEachOp(t *testing.T) {
	var o benchkit.Ops
	o.Rusage = true
	for range 5 {
		o.Measure(func() { spin(2 * time.Millisecond) })
	}
	s := o.Summarize()
	require.Equal(t, 5, s.N)
	require.Len(t, o.Samples(), 5)
	for _, x := range o.Samples() {
		require.GreaterOrEqual(t, x.Wall, x.Thread-time.Millisecond, "an op cannot use more CPU on one thread than wall time")
		if x.SameTID {
			require.GreaterOrEqual(t, x.Thread, 2*time.Millisecond)
		}
	}
	require.GreaterOrEqual(t, s.WallP50, 2*time.Millisecond)
	require.GreaterOrEqual(t, s.WallMax, s.WallP90)
	require.GreaterOrEqual(t, s.ProcessMean, time.Duration(0))
	require.Zero(t, (&benchkit.Ops{}).Summarize().N)
}

func TestCPUClocksAdvance(t *testing.T) {
	p0, t0 := benchkit.ProcessCPU(), benchkit.ThreadCPU()
	spin(20 * time.Millisecond)
	require.Greater(t, benchkit.ThreadCPU(), t0)
	require.Greater(t, benchkit.ProcessCPU(), p0)
}

// BenchmarkThreadClocks compares the two ways of reading a thread's CPU time for an op shorter
// than a scheduler tick, as the chain benchmarks' ops are: each op uses 200 µs of the thread's
// CPU clock, then 3 ms more are used outside the op (as a block's commit is). thread-p50-ns is
// the CPU clock (CLOCK_THREAD_CPUTIME_ID), rusage-thread-ns/op the mean of
// getrusage(RUSAGE_THREAD) over the same ops.
func BenchmarkThreadClocks(b *testing.B) {
	var o benchkit.Ops
	o.Rusage = true
	for range b.N {
		o.Measure(func() { spin(200 * time.Microsecond) })
		spin(3 * time.Millisecond)
	}
	o.Report(b)
}

// TestCompareInterleaves: every case runs once per round, the first round starting with the
// first case, the next with the second.
func TestCompareInterleaves(t *testing.T) {
	var order []string
	res := testing.Benchmark(func(b *testing.B) {
		order = order[:0]
		mk := func(name string, gas uint64) benchkit.Case {
			return benchkit.Case{Name: name, Block: func(o *benchkit.Ops) uint64 {
				order = append(order, name)
				o.Measure(func() {})
				return gas
			}}
		}
		benchkit.Compare(b, []benchkit.Case{mk("a", 10), mk("b", 11), mk("c", 20)})
	})
	require.GreaterOrEqual(t, len(order), 6)
	require.Equal(t, []string{"a", "b", "c", "b", "c", "a"}, order[:6])
	require.InDelta(t, 1.1, res.Extra["b-gas-ratio"], 1e-9)
	require.InDelta(t, 2.0, res.Extra["c-gas-ratio"], 1e-9)
	require.Contains(t, res.Extra, "c-p50-ratio")
}
