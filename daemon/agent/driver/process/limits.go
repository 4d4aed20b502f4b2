package process

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Limit modes: what the driver can enforce on this machine.
const (
	// LimitsCgroup: cgroup v2 with the cpu and memory controllers. cpu.max caps CPU time at the
	// booked cpu_milli (a hard rate limit), memory.max caps resident memory at the booked
	// memory_bytes (the kernel's OOM killer ends the workload beyond it), memory.swap.max is 0,
	// and the whole cgroup is killed on teardown.
	LimitsCgroup = "cgroup"
	// LimitsRlimit: no usable cgroup v2. The wrapper sets RLIMIT_AS to the booked memory_bytes
	// (the process's address space, stricter than resident memory: allocations beyond it fail),
	// RLIMIT_NOFILE and RLIMIT_CORE=0, and lowers the workload's priority (nice). CPU is NOT
	// capped in this mode: rlimits can only cap total CPU seconds, which would kill a
	// long-running service, so the workload competes for CPU at a lower priority instead.
	LimitsRlimit = "rlimit"
)

// cgroups manages the workloads' cgroup v2 directories under one parent.
type cgroups struct {
	parent string
}

// detectCgroups finds a cgroup v2 hierarchy where the driver can create a parent directory
// with the cpu and memory controllers enabled for its children. It returns nil and the reason
// when there is none (cgroup v1 hosts, containers without delegation, no permission).
func detectCgroups(name string) (*cgroups, string) {
	mounts, err := cgroup2Mounts()
	if err != nil {
		return nil, err.Error()
	}
	if len(mounts) == 0 {
		return nil, "no cgroup2 filesystem mounted"
	}
	var reasons []string
	for _, m := range mounts {
		ctrl, err := os.ReadFile(filepath.Join(m, "cgroup.controllers"))
		if err != nil {
			reasons = append(reasons, err.Error())
			continue
		}
		have := strings.Fields(string(ctrl))
		if !contains(have, "cpu") || !contains(have, "memory") {
			reasons = append(reasons, fmt.Sprintf("%s has controllers %q, not cpu and memory", m, have))
			continue
		}
		parent := filepath.Join(m, name)
		if err := os.MkdirAll(parent, 0o755); err != nil {
			reasons = append(reasons, err.Error())
			continue
		}
		if err := enable(m, parent); err != nil {
			reasons = append(reasons, err.Error())
			continue
		}
		return &cgroups{parent: parent}, ""
	}
	return nil, strings.Join(reasons, "; ")
}

// enable turns the cpu and memory controllers on for parent's children (and on the way from
// the mount point down to parent).
func enable(mount, parent string) error {
	rel, err := filepath.Rel(mount, parent)
	if err != nil {
		return err
	}
	dir := mount
	steps := append([]string{""}, strings.Split(rel, string(filepath.Separator))...)
	for _, s := range steps {
		dir = filepath.Join(dir, s)
		if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+cpu +memory"), 0o644); err != nil {
			return fmt.Errorf("enable cpu and memory in %s: %w", dir, err)
		}
	}
	return nil
}

func cgroup2Mounts() ([]string, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPER
		fields := strings.Fields(sc.Text())
		for i, fld := range fields {
			if fld == "-" && i+1 < len(fields) && fields[i+1] == "cgroup2" && len(fields) > 4 {
				out = append(out, fields[4])
			}
		}
	}
	return out, sc.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// path is the cgroup directory of a lease.
func (c *cgroups) path(lease uint64) string {
	return filepath.Join(c.parent, "lease-"+strconv.FormatUint(lease, 10))
}

// create makes (or updates) a lease's cgroup with its booked limits.
func (c *cgroups) create(lease uint64, res providertypes.Resources) (string, error) {
	p := c.path(lease)
	if err := os.MkdirAll(p, 0o755); err != nil {
		return "", err
	}
	if res.CpuMilli > 0 {
		// quota per 100 ms period: cpu_milli/1000 cores × 100000 µs.
		quota := res.CpuMilli * 100
		if err := os.WriteFile(filepath.Join(p, "cpu.max"), []byte(fmt.Sprintf("%d 100000", quota)), 0o644); err != nil {
			return "", fmt.Errorf("cpu.max: %w", err)
		}
	}
	if res.MemoryBytes > 0 {
		if err := os.WriteFile(filepath.Join(p, "memory.max"), []byte(strconv.FormatUint(res.MemoryBytes, 10)), 0o644); err != nil {
			return "", fmt.Errorf("memory.max: %w", err)
		}
		_ = os.WriteFile(filepath.Join(p, "memory.swap.max"), []byte("0"), 0o644)
	}
	return p, nil
}

// remove kills whatever is left in a lease's cgroup and deletes it.
func (c *cgroups) remove(lease uint64) error {
	p := c.path(lease)
	if !exists(p) {
		return nil
	}
	_ = os.WriteFile(filepath.Join(p, "cgroup.kill"), []byte("1"), 0o644)
	var err error
	for i := 0; i < 50; i++ {
		if err = syscall.Rmdir(p); err == nil || errors.Is(err, syscall.ENOENT) {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("remove cgroup %s: %w", p, err)
}
