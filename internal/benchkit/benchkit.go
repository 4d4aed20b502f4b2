// Package benchkit holds the helpers Guild's Go benchmarks share to measure one operation at a
// time: the process's and the calling thread's CPU time, and Ops, a recorder that times each op
// on its own (a monotonic clock, the thread's CPU clock and the process's CPU time, read just
// around the op) and reports the median, p90, p99, max and mean per op beside the benchmark's
// usual figures.
//
// Why per op, and not b.StartTimer/b.StopTimer around each op: each of those calls
// runtime.ReadMemStats, which stops the world; and a mean over ops is made by its few slowest
// ones (a garbage collection, a goleveldb write stall, the OS scheduling another process), so a
// ratio of means between two fixtures says more about those than about the op. The median of
// per-op times is what one op costs; the tail is reported too, so that nothing is hidden.
//
// Thread CPU is read with clock_gettime(CLOCK_THREAD_CPUTIME_ID), which is exact to the
// nanosecond. getrusage(RUSAGE_THREAD), used before, is only as fresh as the running thread's
// last tick or context switch (an earlier harness read 6–42 µs with it for ops whose thread the
// exact clock shows busy for 200–400 µs); ThreadRusage and BenchmarkThreadClocks keep it only
// to compare the two.
package benchkit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ProcessCPU is the CPU time (user + system) this process has used, all threads together:
// unlike wall time it does not count waiting for a core that another process holds.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ThreadCPU is the CPU time the calling OS thread has used, exact to the nanosecond
// (CLOCK_THREAD_CPUTIME_ID), or zero where that clock is missing. Two readings measure one
// goroutine's work only if it stayed on one thread between them (see Ops).
func ThreadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// ThreadRusage is the calling thread's CPU time as getrusage(RUSAGE_THREAD) reports it: kept
// only to show how far it lags ThreadCPU for short ops (see the package comment). Zero off
// Linux.
func ThreadRusage() time.Duration {
	const rusageThread = 1
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Sample is one op's figures.
type Sample struct {
	Wall    time.Duration // monotonic clock
	Thread  time.Duration // the thread's CPU clock; valid only if SameTID
	Process time.Duration // the whole process's CPU time (other threads included)
	SameTID bool          // the op started and ended on the same OS thread
	Rusage  time.Duration // the thread's getrusage(RUSAGE_THREAD) figure, if Ops.Rusage
	GC      bool          // a garbage collection cycle ended during the op
}

// Ops records ops one at a time: call Start just before the op and Stop just after it, or
// Measure. With BENCHKIT_LABEL set, Measure runs the op under the pprof label op=measured, so
// that a CPU profile can be narrowed to the ops alone (go tool pprof -tagfocus op=measured).
type Ops struct {
	// Rusage also records each op's getrusage(RUSAGE_THREAD) figure (one more system call per
	// op), to compare it with the thread's CPU clock.
	Rusage  bool
	samples []Sample
	t0      time.Time
	c0, p0  time.Duration
	r0      time.Duration
	tid     int
	gc0     uint64
	gcFirst uint64 // cycles ended before the first op
	gcLast  uint64 // cycles ended by the end of the last op
}

// Start begins one op.
func (o *Ops) Start() {
	o.gc0 = GCCycles()
	if len(o.samples) == 0 {
		o.gcFirst = o.gc0
	}
	o.tid = unix.Gettid()
	o.p0 = ProcessCPU()
	if o.Rusage {
		o.r0 = ThreadRusage()
	}
	o.c0 = ThreadCPU()
	o.t0 = time.Now()
}

// Stop ends the op begun by Start and records it.
func (o *Ops) Stop() {
	wall := time.Since(o.t0)
	thr := ThreadCPU() - o.c0
	var ru time.Duration
	if o.Rusage {
		ru = ThreadRusage() - o.r0
	}
	proc := ProcessCPU() - o.p0
	o.gcLast = GCCycles()
	o.samples = append(o.samples, Sample{Wall: wall, Thread: thr, Process: proc, SameTID: unix.Gettid() == o.tid, Rusage: ru, GC: o.gcLast != o.gc0})
}

var gcSample = []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}

// GCCycles is the number of garbage collection cycles the process has completed (runtime/metrics:
// no stop-the-world, unlike runtime.ReadMemStats).
func GCCycles() uint64 {
	metrics.Read(gcSample)
	if gcSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return gcSample[0].Value.Uint64()
}

var label = os.Getenv("BENCHKIT_LABEL") != ""

// Measure records one op: op itself, between Start and Stop.
func (o *Ops) Measure(op func()) {
	if !label {
		o.Start()
		op()
		o.Stop()
		return
	}
	pprof.Do(context.Background(), pprof.Labels("op", "measured"), func(context.Context) {
		o.Start()
		op()
		o.Stop()
	})
}

// Samples are the recorded ops, in order.
func (o *Ops) Samples() []Sample { return o.samples }

// Summary is the distribution of the recorded ops.
type Summary struct {
	N                         int
	WallP50, WallP90, WallP99 time.Duration
	WallMax, WallMean         time.Duration
	ThreadP50, ThreadMean     time.Duration // over the ops that stayed on one thread
	ProcessP50, ProcessMean   time.Duration
	Migrated                  int           // ops that ended on another thread than they started on
	RusageMean                time.Duration // with Ops.Rusage, over the ops that stayed on one thread
	GCCycles                  uint64        // cycles ended from the first op's start to the last op's end
	GCOps                     int           // ops during which a cycle ended
	NoGCP50                   time.Duration // median wall of the ops during which no cycle ended
}

// Summarize computes the distribution; the zero Summary for no ops.
func (o *Ops) Summarize() Summary {
	s := Summary{N: len(o.samples)}
	if s.N == 0 {
		return s
	}
	var wall, thr, proc, ru, nogc []time.Duration
	for _, x := range o.samples {
		wall = append(wall, x.Wall)
		if x.GC {
			s.GCOps++
		} else {
			nogc = append(nogc, x.Wall)
		}
		proc = append(proc, x.Process)
		if x.SameTID {
			thr = append(thr, x.Thread)
			ru = append(ru, x.Rusage)
		} else {
			s.Migrated++
		}
	}
	s.WallP50, s.WallP90, s.WallP99, s.WallMax = Quantile(wall, 50), Quantile(wall, 90), Quantile(wall, 99), Quantile(wall, 100)
	s.WallMean = mean(wall)
	s.ThreadP50, s.ThreadMean = Quantile(thr, 50), mean(thr)
	s.ProcessP50, s.ProcessMean = Quantile(proc, 50), mean(proc)
	s.RusageMean = mean(ru)
	s.GCCycles = o.gcLast - o.gcFirst
	s.NoGCP50 = Quantile(nogc, 50)
	return s
}

// Report adds the summary to the benchmark's figures: op-p50-ns (the median op, the figure to
// compare), op-p90-ns, op-p99-ns, op-max-ns, op-mean-ns (wall), thread-p50-ns and
// thread-mean-ns (the op's own thread), cpu-p50-ns and cpu-ns/op (the process's mean).
func (o *Ops) Report(b *testing.B) {
	s := o.Summarize()
	if s.N == 0 {
		return
	}
	b.ReportMetric(float64(s.WallP50), "op-p50-ns")
	b.ReportMetric(float64(s.WallP90), "op-p90-ns")
	b.ReportMetric(float64(s.WallP99), "op-p99-ns")
	b.ReportMetric(float64(s.WallMax), "op-max-ns")
	b.ReportMetric(float64(s.WallMean), "op-mean-ns")
	b.ReportMetric(float64(s.ThreadP50), "thread-p50-ns")
	b.ReportMetric(float64(s.ThreadMean), "thread-mean-ns")
	b.ReportMetric(float64(s.ProcessP50), "cpu-p50-ns")
	b.ReportMetric(float64(s.ProcessMean), "cpu-ns/op")
	if o.Rusage {
		b.ReportMetric(float64(s.RusageMean), "rusage-thread-ns/op")
	}
	b.ReportMetric(float64(s.GCCycles)/float64(s.N), "gc-cycles/op")
	b.ReportMetric(float64(s.GCOps), "gc-ops")
	if s.Migrated > 0 {
		b.ReportMetric(float64(s.Migrated), "migrated-ops")
	}
	if dir := os.Getenv("BENCHKIT_DUMP"); dir != "" {
		if err := o.Dump(filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "_")+".csv")); err != nil {
			b.Fatal(err)
		}
	}
}

// Dump writes every sample to path as CSV (wall_ns,thread_ns,process_ns,same_tid,rusage_thread_ns,gc), appending
// if the file exists (a benchmark body runs more than once): BENCHKIT_DUMP=dir makes Report do
// it, for histograms.
func (o *Ops) Dump(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	for _, x := range o.samples {
		if _, err := fmt.Fprintf(f, "%d,%d,%d,%t,%d,%t\n", x.Wall, x.Thread, x.Process, x.SameTID, x.Rusage, x.GC); err != nil {
			_ = f.Close()
			return err
		}
	}
	return f.Close()
}

// Quantile is the q-th percentile (0..100, nearest rank) of ds, which it does not modify; zero
// for no values.
func Quantile(ds []time.Duration, q int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	c := append([]time.Duration(nil), ds...)
	sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
	i := (q*len(c) + 99) / 100 // nearest rank, 1-based
	if i < 1 {
		i = 1
	}
	return c[i-1]
}

func mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}
