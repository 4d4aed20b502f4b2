package process

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/guild-network/guild/daemon/agent/driver"
)

// Files in a workload's directory.
const (
	lockName   = "lock"      // flock'ed by the workload for its whole life
	pidName    = "pid"       // PIDFile, written by the wrapper before it execs the command
	specName   = "spec.json" // the spec and deployment hash the workload was started with
	pausedName = "paused"    // present while the lease is paused
	exitedName = "exited"    // present once a process exited for good (policy "never")
	logName    = "output.log"
	workName   = "work" // the command's working directory
)

// exitLocked is the wrapper's exit code when another instance of the workload holds its lock.
const exitLocked = 75

// PIDFile identifies a workload process across agent restarts: a pid alone could have been
// reused by an unrelated process, so the process's start time (in clock ticks since boot, from
// /proc/PID/stat) is recorded and compared.
type PIDFile struct {
	PID       int    `json:"pid"`
	StartTime uint64 `json:"start_time"`
}

func readPIDFile(dir string) (PIDFile, error) {
	var p PIDFile
	bz, err := os.ReadFile(filepath.Join(dir, pidName))
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(bz, &p); err != nil {
		return p, fmt.Errorf("pid file %s: %w", dir, err)
	}
	if p.PID <= 1 {
		return p, fmt.Errorf("pid file %s: bad pid %d", dir, p.PID)
	}
	return p, nil
}

func writePIDFile(dir string, p PIDFile) error {
	bz, _ := json.Marshal(p)
	return driver.WriteFileAtomic(filepath.Join(dir, pidName), bz, 0o644)
}

// procStat is what the agent reads of /proc/PID/stat.
type procStat struct {
	State     byte   // R, S, D, T (stopped), Z (zombie)…
	StartTime uint64 // clock ticks since boot
}

// readProcStat parses /proc/PID/stat. The command name (field 2) may contain spaces and
// parentheses, so fields are counted from the last ')'.
func readProcStat(pid int) (procStat, error) {
	bz, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, err
	}
	s := string(bz)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return procStat{}, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	fields := strings.Fields(s[i+2:]) // fields[0] is field 3 (state)
	if len(fields) < 20 {
		return procStat{}, fmt.Errorf("malformed /proc/%d/stat", pid)
	}
	start, err := strconv.ParseUint(fields[19], 10, 64) // field 22
	if err != nil {
		return procStat{}, fmt.Errorf("/proc/%d/stat starttime: %w", pid, err)
	}
	return procStat{State: fields[0][0], StartTime: start}, nil
}

// verify reports whether the process in p is still the one the pid file was written for and
// is not a zombie.
func (p PIDFile) verify() (procStat, bool) {
	st, err := readProcStat(p.PID)
	if err != nil || st.StartTime != p.StartTime || st.State == 'Z' || st.State == 'X' {
		return st, false
	}
	return st, true
}

// lockHeld reports whether some process holds the workload's lock, i.e. whether anything the
// workload started is still alive. It never blocks.
func lockHeld(dir string) (bool, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		return false, err
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return false, nil
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}

// waitLockFree polls until nothing holds the workload's lock or the timeout passes.
func waitLockFree(dir string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		held, err := lockHeld(dir)
		if err == nil && !held {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// signalGroup sends sig to the workload's process group (the wrapper makes itself the leader).
func signalGroup(pid int, sig syscall.Signal) error {
	if pid <= 1 {
		return fmt.Errorf("refusing to signal pid %d", pid)
	}
	err := syscall.Kill(-pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// tail returns the last n bytes of a file, for failure reasons.
func tail(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ""
	}
	off := st.Size() - n
	if off < 0 {
		off = 0
	}
	buf := make([]byte, st.Size()-off)
	_, _ = f.ReadAt(buf, off)
	return strings.TrimSpace(string(buf))
}
