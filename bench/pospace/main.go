// Package main is the plotting benchmark behind bench/pospace.sh: it plots one plot of size -k
// in format -format at compression level -compress, then prints one table row with the
// wall-clock and CPU time, the process's peak resident memory (its own getrusage max RSS, so run
// it once per plot), the peak temporary disk space, the plot size (bytes, bytes per 2^k entries,
// and the ratio to chiapos's plot of the same k where known), the proofs found for 100 check
// challenges, and the mean time of a qualities lookup and of a full-proof lookup on a warm cache.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/guild-network/guild/pospace"
)

// chiaposBytes are chiapos's plot sizes (commit a388902, measured on this machine; issue 14).
var chiaposBytes = map[int]int64{18: 4009407, 20: 16796307, 22: 73816238, 24: 323212718}

func main() {
	k := flag.Int("k", 18, "plot size")
	dir := flag.String("dir", os.TempDir(), "directory for the plot and temporary files")
	format := flag.Int("format", 2, "plot format version (1 or 2)")
	level := flag.Int("compress", 0, "compression level (format 2)")
	rounds := flag.Int("rounds", 3, "lookup timing rounds over the 100 challenges")
	maxProofs := flag.Int("maxproofs", 30, "full proofs timed per round")
	header := flag.Bool("header", false, "print the table header and exit")
	memory := flag.Uint64("memory", 0, "extra memory in bytes for intermediate sections (format 2, PlotOptions.Memory)")
	phases := flag.Bool("phases", false, "also print, per plotting phase, its wall and CPU time and its measured peak disk")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the plotting to this file")
	keep := flag.Bool("keep", false, "keep the plot file (in -dir) for plots check or other tools")
	fits := flag.Bool("fits", false, "print the largest k whose format-2 plot fits -dir's free space and this machine's memory, and exit")
	flag.Parse()
	if *fits {
		if err := printFits(*dir); err != nil {
			fmt.Fprintln(os.Stderr, "pospace bench:", err)
			os.Exit(1)
		}
		return
	}
	if *header {
		fmt.Printf("%3s %3s %3s %8s %8s %9s %9s %9s %9s %13s %7s %7s %6s %9s %9s\n",
			"k", "fmt", "lvl", "wall_s", "user_s", "peak_mib", "temp_mib", "disk_mib", "bound_mib", "file_bytes", "B/entry", "x_chia", "proofs", "qual_us", "proof_us")
		return
	}
	// SIGINT or SIGTERM cancels the plot, which removes its temporary files.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *k, *format, *level, *rounds, *maxProofs, *dir, *phases, *memory, *cpuProfile, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "pospace bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, k, format, level, rounds, maxProofs int, dir string, phases bool, memory uint64, cpuProfile string, keep bool) error {
	id := pospace.PlotID(pospace.CheckChallenge(uint32(1000 + k)))
	path := filepath.Join(dir, fmt.Sprintf("f%d-c%d-%s", format, level, pospace.PlotFileName(k, id)))
	if !keep {
		defer os.Remove(path)
	}
	var stats pospace.PlotStats
	disk := newDiskSampler(dir)
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	start := time.Now()
	_, err := pospace.CreatePlot(ctx, path, pospace.PlotOptions{
		K: k, PlotID: id, Format: format, Compression: level, TempDir: dir, Stats: &stats,
		Progress: disk.phase, Memory: memory,
	})
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		disk.finish()
		return err
	}
	wall := time.Since(start)
	rows, diskPeak := disk.finish()
	need := pospace.EstimateSpaceMemory(k, format, memory)
	bound := need.Total
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	proofs, qual, proof, err := check(path, id, k, rounds, maxProofs)
	if err != nil {
		return err
	}
	entries := uint64(1) << k
	peak := ru.Maxrss * 1024 // Linux reports kilobytes
	ratio := "-"
	if c, ok := chiaposBytes[k]; ok {
		ratio = fmt.Sprintf("%.3f", float64(st.Size())/float64(c))
	}
	fmt.Printf("%3d %3d %3d %8.2f %8.2f %9.1f %9.1f %9.1f %9.1f %13d %7.2f %7s %6d %9.1f %9.1f\n",
		k, format, level, wall.Seconds(), tv(ru.Utime), float64(peak)/(1<<20), float64(stats.PeakTempBytes)/(1<<20),
		float64(diskPeak)/(1<<20), float64(bound)/(1<<20), st.Size(), float64(st.Size())/float64(entries), ratio, proofs,
		float64(qual.Nanoseconds())/1e3, float64(proof.Nanoseconds())/1e3)
	if phases {
		bounds := map[string]uint64{}
		for _, p := range need.Phases {
			bounds[p.Name] = p.Total
		}
		for _, r := range rows {
			b := "-"
			if strings.HasPrefix(r.name, "compressing back-propagation") {
				b = fmt.Sprintf("%.1f", float64(bounds["compressing back-propagation"])/(1<<20))
			} else if v, ok := bounds[r.name]; ok {
				b = fmt.Sprintf("%.1f", float64(v)/(1<<20))
			}
			fmt.Printf("#   %-36s wall %8.2f s  cpu %8.2f s  disk peak %9.1f MiB  bound %9s MiB (%d samples)\n",
				r.name, r.end.Sub(r.start).Seconds(), (r.cpu1 - r.cpu0).Seconds(), float64(r.peak)/(1<<20), b, r.samples)
		}
		fmt.Printf("#   memory bound %.1f MiB\n", float64(need.Memory)/(1<<20))
	}
	return nil
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// check counts and verifies the proofs for challenges 0…99, then times rounds more passes: the
// mean Qualities call (over all 100 challenges) and the mean Proof call (over the first
// maxProofs proofs).
func check(path string, id pospace.PlotID, k, rounds, maxProofs int) (n int, qual, proof time.Duration, err error) {
	pr, err := pospace.OpenProver(path)
	if err != nil {
		return 0, 0, 0, err
	}
	defer pr.Close()
	type found struct {
		ch [32]byte
		i  int
	}
	var all []found
	for i := range uint32(100) {
		ch := pospace.CheckChallenge(i)
		qs, err := pr.Qualities(ch)
		if err != nil {
			return 0, 0, 0, err
		}
		for j, q := range qs {
			p, err := pr.Proof(ch, j)
			if err != nil {
				return 0, 0, 0, err
			}
			vq, err := pospace.Verify(id, k, ch, p)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("challenge %d proof %d: %w", i, j, err)
			}
			if vq != q {
				return 0, 0, 0, fmt.Errorf("challenge %d proof %d: quality differs from the verifier's", i, j)
			}
			all = append(all, found{ch, j})
		}
	}
	var qn, pn int
	var qt, pt time.Duration
	for range rounds {
		start := time.Now()
		for i := range uint32(100) {
			if _, err := pr.Qualities(pospace.CheckChallenge(i)); err != nil {
				return 0, 0, 0, err
			}
			qn++
		}
		qt += time.Since(start)
		start = time.Now()
		for _, f := range all[:min(len(all), maxProofs)] {
			if _, err := pr.Proof(f.ch, f.i); err != nil {
				return 0, 0, 0, err
			}
			pn++
		}
		pt += time.Since(start)
	}
	if qn > 0 {
		qual = qt / time.Duration(qn)
	}
	if pn > 0 {
		proof = pt / time.Duration(pn)
	}
	return len(all), qual, proof, nil
}

// printFits prints the largest k (up to 40) whose version-2 plot EstimateSpace says fits the
// free space of dir and the machine's memory, and what it needs.
func printFits(dir string) error {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return err
	}
	free := fs.Bavail * uint64(fs.Bsize)
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return err
	}
	ram := si.Totalram * uint64(si.Unit)
	best := 0
	for k := 18; k <= 40; k++ {
		if n := pospace.EstimateSpace(k, 2); n.Total <= free && n.Memory <= ram {
			best = k
		}
	}
	if best == 0 {
		return fmt.Errorf("no k from 18 fits %s free in %s", pospace.FormatBytes(free), dir)
	}
	n, next := pospace.EstimateSpace(best, 2), pospace.EstimateSpace(best+1, 2)
	fmt.Printf("# largest k that fits here: %d (format 2 needs %s of disk and %s of memory; %s free in %s, %s of memory; k = %d needs %s of disk, %s of memory)\n",
		best, pospace.FormatBytes(n.Total), pospace.FormatBytes(n.Memory), pospace.FormatBytes(free), dir, pospace.FormatBytes(ram),
		best+1, pospace.FormatBytes(next.Total), pospace.FormatBytes(next.Memory))
	return nil
}
