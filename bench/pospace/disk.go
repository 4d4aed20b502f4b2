package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/guild-network/guild/internal/benchkit"
)

// diskSampler measures the disk space a plot really takes: every sampleEvery it sums the
// allocated blocks (st_blocks, so punched holes and sparse tails do not count) of every regular
// file this process has open under dir — including the plotter's unlinked temporary files, which
// only /proc/self/fd still reaches — and keeps the peak per progress phase, with the wall and
// CPU time spent in each phase.
type diskSampler struct {
	dir  string
	mu   sync.Mutex
	cur  string // current phase
	rows []*phaseRow
	by   map[string]*phaseRow
	stop chan struct{}
	done chan struct{}
}

type phaseRow struct {
	name       string
	peak       int64 // bytes allocated at the phase's sampled peak
	start, end time.Time
	cpu0, cpu1 time.Duration // process user+system time at the phase's start and end
	samples    int
}

const sampleEvery = 20 * time.Millisecond

func newDiskSampler(dir string) *diskSampler {
	abs, err := filepath.Abs(dir)
	if err == nil {
		dir = abs
	}
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		dir = r
	}
	s := &diskSampler{dir: dir, by: map[string]*phaseRow{}, stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

// phase is the plot's Progress callback.
func (s *diskSampler) phase(_ float64, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name == s.cur {
		return
	}
	now, cpu := time.Now(), benchkit.ProcessCPU()
	if r := s.by[s.cur]; r != nil {
		r.end, r.cpu1 = now, cpu
	}
	s.cur = name
	if s.by[name] == nil {
		r := &phaseRow{name: name, start: now, cpu0: cpu}
		s.by[name] = r
		s.rows = append(s.rows, r)
	}
	s.sampleLocked()
}

func (s *diskSampler) loop() {
	defer close(s.done)
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.mu.Lock()
			s.sampleLocked()
			s.mu.Unlock()
		}
	}
}

func (s *diskSampler) sampleLocked() {
	n := s.usage()
	if r := s.by[s.cur]; r != nil {
		r.samples++
		r.peak = max(r.peak, n)
	}
}

// finish stops sampling and returns the phases in order and the overall peak.
func (s *diskSampler) finish() ([]*phaseRow, int64) {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.by[s.cur]; r != nil && r.end.IsZero() {
		r.end, r.cpu1 = time.Now(), benchkit.ProcessCPU()
	}
	var peak int64
	for _, r := range s.rows {
		peak = max(peak, r.peak)
	}
	return s.rows, peak
}

// usage sums the allocated bytes of the regular files open under dir.
func (s *diskSampler) usage() int64 {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	var total int64
	seen := map[[2]uint64]bool{} // a file open twice counts once
	for _, e := range ents {
		p := "/proc/self/fd/" + e.Name()
		target, err := os.Readlink(p)
		if err != nil || !strings.HasPrefix(target, s.dir+"/") {
			continue
		}
		var st syscall.Stat_t
		if err := syscall.Stat(p, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
			continue
		}
		id := [2]uint64{st.Dev, st.Ino}
		if !seen[id] {
			seen[id] = true
			total += st.Blocks * 512
		}
	}
	return total
}
