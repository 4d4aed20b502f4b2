package devnet

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNodeIndex reports a node index outside the localnet.
var ErrNodeIndex = errors.New("no such localnet node")

// CheckNode returns ErrNodeIndex unless 0 ≤ i < n.Validators.
func (n Net) CheckNode(i int) error {
	if i < 0 || i >= n.Validators {
		return fmt.Errorf("%w: %d (the localnet has nodes 0 to %d)", ErrNodeIndex, i, n.Validators-1)
	}
	return nil
}

func (n Net) pidPath(i int) string { return filepath.Join(n.NodeHome(i), nodePIDFile) }

// NodePID returns the pid recorded for node i and whether that process is alive and is node i's
// `guildd start` (a stale pid file, a zombie or a reused pid count as not running).
func (n Net) NodePID(i int) (int, bool) {
	b, err := os.ReadFile(n.pidPath(i))
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, processIsNode(pid, n.NodeHome(i))
}

// processIsNode reports whether pid is a live (not zombie) process whose command line names home.
func processIsNode(pid int, home string) bool {
	return processMatches(pid, func(arg string) bool { return arg == home })
}

// processMatches reports whether pid is a live (not zombie) process with an argument that match
// accepts.
func processMatches(pid int, match func(arg string) bool) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the parenthesised command name: "pid (comm) S …".
	if k := bytes.LastIndexByte(stat, ')'); k < 0 || k+2 >= len(stat) || stat[k+2] == 'Z' {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	for _, arg := range bytes.Split(cmdline, []byte{0}) {
		if match(string(arg)) {
			return true
		}
	}
	return false
}

// StartNode starts node i as `exe start --home <node home>` in its own session (so that it
// outlives the command that started it and a terminal's Ctrl-C does not reach it), its output
// appended to <node home>/node.log, and records its pid. A node already running is left alone
// (started false). The caller owns the returned process: it should Wait for it (to reap it) or
// Release it.
func (n Net) StartNode(exe string, i int, logLevel string) (cmd *exec.Cmd, started bool, err error) {
	if err := n.CheckNode(i); err != nil {
		return nil, false, err
	}
	if _, running := n.NodePID(i); running {
		return nil, false, nil
	}
	logf, err := os.OpenFile(n.NodeLog(i), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, false, err
	}
	defer logf.Close()
	fmt.Fprintf(logf, "---- guildd localnet: starting node %d at %s\n", i, time.Now().UTC().Format(time.RFC3339))
	cmd = exec.Command(exe, "start", "--home", n.NodeHome(i), "--log_level", logLevel)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return nil, false, fmt.Errorf("start node %d: %w", i, err)
	}
	if err := os.WriteFile(n.pidPath(i), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		_ = cmd.Process.Kill()
		return nil, false, err
	}
	return cmd, true, nil
}

// StopNode stops node i: SIGTERM, then SIGKILL if it has not exited after timeout. It reports
// whether the node was running.
func (n Net) StopNode(i int, timeout time.Duration) (bool, error) {
	if err := n.CheckNode(i); err != nil {
		return false, err
	}
	pid, running := n.NodePID(i)
	if !running {
		return false, nil
	}
	_ = syscall.Kill(pid, syscall.SIGTERM)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if !processIsNode(pid, n.NodeHome(i)) {
			return true, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	for k := 0; k < 50 && processIsNode(pid, n.NodeHome(i)); k++ {
		time.Sleep(100 * time.Millisecond)
	}
	if processIsNode(pid, n.NodeHome(i)) {
		return true, fmt.Errorf("node %d (pid %d) did not exit", i, pid)
	}
	return true, nil
}

// supervisorPIDPath is where a foreground `guildd localnet start` records its pid.
func (n Net) supervisorPIDPath() string { return filepath.Join(n.Home, "localnet.pid") }

// WriteSupervisorPID records the pid of the foreground supervisor (this process).
func (n Net) WriteSupervisorPID() error {
	return os.WriteFile(n.supervisorPIDPath(), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// RemoveSupervisorPID removes the supervisor's pid file if it is this process's.
func (n Net) RemoveSupervisorPID() {
	if pid, ok := n.SupervisorPID(); ok && pid == os.Getpid() {
		_ = os.Remove(n.supervisorPIDPath())
	}
}

// SupervisorPID returns the pid of a running foreground supervisor of this localnet.
func (n Net) SupervisorPID() (int, bool) {
	b, err := os.ReadFile(n.supervisorPIDPath())
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, processMatches(pid, func(arg string) bool { return arg == "localnet" })
}
