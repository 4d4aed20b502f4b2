// Package main is the plotting benchmark behind bench/pospace.sh: it plots one plot of size
// -k, then prints one table row with the wall-clock and CPU time, the process's peak resident
// memory (its own getrusage max RSS, so run it once per k), the peak memory per table entry, the
// plot size and the proofs found for 100 check challenges.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/guild-network/guild/pospace"
)

func main() {
	k := flag.Int("k", 18, "plot size")
	dir := flag.String("dir", os.TempDir(), "directory for the plot and temporary files")
	header := flag.Bool("header", false, "print the table header and exit")
	flag.Parse()
	if *header {
		fmt.Printf("%3s %10s %9s %9s %9s %10s %11s %10s %14s\n",
			"k", "entries", "wall_s", "user_s", "sys_s", "peak_mib", "bytes/entry", "plot_mib", "proofs/100ch")
		return
	}
	if err := run(*k, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "pospace bench:", err)
		os.Exit(1)
	}
}

func run(k int, dir string) error {
	id := pospace.PlotID(pospace.CheckChallenge(uint32(1000 + k)))
	path := filepath.Join(dir, pospace.PlotFileName(k, id))
	defer os.Remove(path)
	start := time.Now()
	if _, err := pospace.CreatePlot(context.Background(), path, pospace.PlotOptions{K: k, PlotID: id}); err != nil {
		return err
	}
	wall := time.Since(start)
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	proofs, err := check(path, id, k)
	if err != nil {
		return err
	}
	entries := uint64(1) << k
	peak := ru.Maxrss * 1024 // Linux reports kilobytes
	fmt.Printf("%3d %10d %9.2f %9.2f %9.2f %10.1f %11.1f %10.1f %14d\n",
		k, entries, wall.Seconds(), tv(ru.Utime), tv(ru.Stime),
		float64(peak)/(1<<20), float64(peak)/float64(entries), float64(st.Size())/(1<<20), proofs)
	return nil
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

// check counts and verifies the proofs for challenges 0…99.
func check(path string, id pospace.PlotID, k int) (int, error) {
	pr, err := pospace.OpenProver(path)
	if err != nil {
		return 0, err
	}
	defer pr.Close()
	n := 0
	for i := range uint32(100) {
		ch := pospace.CheckChallenge(i)
		qs, err := pr.Qualities(ch)
		if err != nil {
			return 0, err
		}
		for j := range qs {
			proof, err := pr.Proof(ch, j)
			if err != nil {
				return 0, err
			}
			if _, err := pospace.Verify(id, k, ch, proof); err != nil {
				return 0, fmt.Errorf("challenge %d proof %d: %w", i, j, err)
			}
			n++
		}
	}
	return n, nil
}
