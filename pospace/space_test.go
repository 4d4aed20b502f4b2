package pospace

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// allocatedUnder sums the allocated bytes (st_blocks) of the regular files this process has open
// under dir, unlinked temporary files included (Linux: /proc/self/fd), each file once.
func allocatedUnder(t testing.TB, dir string) int64 {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	seen := map[[2]uint64]bool{}
	for _, e := range ents {
		p := "/proc/self/fd/" + e.Name()
		target, err := os.Readlink(p)
		if err != nil || !strings.HasPrefix(target, dir+"/") {
			continue
		}
		var st syscall.Stat_t
		if err := syscall.Stat(p, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
			continue
		}
		if id := [2]uint64{uint64(st.Dev), st.Ino}; !seen[id] {
			seen[id] = true
			total += st.Blocks * 512
		}
	}
	return total
}

// TestSpaceBound plots small plots of every format and checks, at every progress report, that
// the disk space the plot's files really take (allocated blocks: punched holes do not count)
// stays within EstimateSpace's bound for the phase, and that the counted temporary bytes stay
// within its temporary-space bound.
func TestSpaceBound(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("measures allocated blocks through /proc/self/fd")
	}
	files := map[string][]byte{} // the plot of each k, format and level: memory must not change it
	for _, c := range []struct {
		k, format, level int
		memory           uint64
	}{{16, 2, 0, 0}, {18, 2, 0, 0}, {18, 2, 6, 0}, {18, 1, 0, 0}, {18, 2, 0, 2 * interSectionBytes(18)}, {16, 2, 3, 0}, {16, 2, 3, 1 << 30}} {
		dir, err := filepath.EvalSymlinks(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		need := estimateSpace(c.k, c.format, 2, c.memory)
		bound := map[string]uint64{}
		for _, p := range need.Phases {
			bound[p.Name] = p.Total
		}
		peaks := map[string]int64{}
		var unknown []string
		progress := func(_ float64, phase string) {
			name := strings.TrimSuffix(phase, " done")
			if strings.HasPrefix(name, "compressing back-propagation") {
				name = "compressing back-propagation"
			}
			if _, ok := bound[name]; !ok {
				if name != "done" && name != "compressing" {
					unknown = append(unknown, phase)
				}
				return
			}
			peaks[name] = max(peaks[name], allocatedUnder(t, dir))
		}
		var stats PlotStats
		path := filepath.Join(dir, PlotFileName(c.k, PlotID(CheckChallenge(uint32(c.k)))))
		if _, err := CreatePlot(context.Background(), path, PlotOptions{
			K: c.k, PlotID: PlotID(CheckChallenge(uint32(c.k))), Format: c.format, Compression: c.level,
			Workers: 2, Progress: progress, Stats: &stats, Memory: c.memory,
		}); err != nil {
			t.Fatal(err)
		}
		if len(unknown) > 0 {
			t.Errorf("k=%d format %d: progress phases without a bound: %q", c.k, c.format, unknown)
		}
		for _, p := range need.Phases {
			got, ok := peaks[p.Name]
			if !ok {
				t.Errorf("k=%d format %d: phase %q never reported", c.k, c.format, p.Name)
				continue
			}
			if uint64(got) > p.Total {
				t.Errorf("k=%d format %d level %d, %s: %d bytes on disk, bound %d", c.k, c.format, c.level, p.Name, got, p.Total)
			}
			t.Logf("k=%d format %d level %d memory %d %-30s measured %9d bound %9d (%.2f)", c.k, c.format, c.level, c.memory, p.Name, got, p.Total, float64(got)/float64(p.Total))
		}
		if uint64(stats.PeakTempBytes) > need.Total {
			t.Errorf("k=%d format %d: %d temporary bytes counted, bound %d", c.k, c.format, stats.PeakTempBytes, need.Total)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if uint64(len(data)) > need.Final {
			t.Errorf("k=%d format %d: plot file %d bytes, bound %d", c.k, c.format, len(data), need.Final)
		}
		key := fmt.Sprintf("%d/%d/%d", c.k, c.format, c.level)
		if prev, ok := files[key]; ok && !bytes.Equal(prev, data) {
			t.Errorf("k=%d format %d level %d: memory %d changed the plot", c.k, c.format, c.level, c.memory)
		}
		files[key] = data
	}
}
