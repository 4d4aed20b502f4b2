package process

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/agent/driver"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// The test binary doubles as the exec wrapper: the driver starts it with this first argument.
const wrapperArg = "__guild_agent_exec__"

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == wrapperArg {
		err := ExecMain(os.Args[2:])
		fmt.Fprintln(os.Stderr, "exec wrapper:", err)
		os.Exit(ExitCode(err))
	}
	os.Exit(m.Run())
}

func testConfig(t *testing.T, root string) Config {
	cfg := DefaultConfig(root, []string{os.Args[0], wrapperArg})
	cfg.Limits = LimitsRlimit
	cfg.StartupWindow = 100 * time.Millisecond
	cfg.RestartBackoff = 10 * time.Millisecond
	cfg.MaxBackoff = 40 * time.Millisecond
	cfg.PollInterval = 20 * time.Millisecond
	cfg.StopTimeout = 2 * time.Second
	return cfg
}

func newDriver(t *testing.T, cfg Config) *Driver {
	t.Helper()
	d, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func workload(id uint64, spec Spec) driver.Workload {
	spec.Driver = driver.Process
	bz, _ := json.Marshal(spec)
	return driver.Workload{
		LeaseID:   id,
		Resources: providertypes.Resources{CpuMilli: 1000, MemoryBytes: 1 << 30},
		Data:      string(bz),
		Hash:      []byte("hash"),
	}
}

// beating writes its pid to started (one line per start) and ticks forever.
var beating = Spec{Command: []string{"sh", "-c", `echo $$ >> started; while true; do date +%s%N > beat; sleep 0.02; done`}, Restart: RestartAlways}

func procState(t *testing.T, pid int) byte {
	st, err := readProcStat(pid)
	if err != nil {
		return 0
	}
	return st.State
}

// groupStopped reports whether the process group led by pid is stopped: every member is in
// state T or a zombie (a child that exited before the stop, not yet reaped), except that a shell
// which vfork()ed a child that the SIGSTOP caught before its exec waits for it in state D (wchan
// kernel_clone, seen under load with dash running `date` and `sleep`) until SIGCONT; such a
// member counts as stopped only beside a stopped one.
func groupStopped(t *testing.T, pid int) bool {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	require.NoError(t, err)
	members, stopped, inStop := 0, 0, 0
	for _, e := range entries {
		bz, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp …; comm may hold spaces, so split after its last ')'.
		i := bytes.LastIndexByte(bz, ')')
		f := strings.Fields(string(bz[i+1:]))
		if len(f) < 3 || f[2] != strconv.Itoa(pid) {
			continue
		}
		members++
		switch f[0] {
		case "T":
			stopped++
			inStop++
		case "Z":
			stopped++
		case "D":
			if wc, err := os.ReadFile(filepath.Join("/proc", e.Name(), "wchan")); err == nil &&
				(strings.Contains(string(wc), "kernel_clone") || strings.Contains(string(wc), "vfork") || strings.Contains(string(wc), "signal_stop")) {
				stopped++
			}
		}
	}
	return members > 0 && members == stopped && inStop > 0
}

// running reports whether a process state is running or sleeping (not stopped, zombie or gone).
func running(s byte) bool { return s == 'R' || s == 'S' || s == 'D' }

func lines(t *testing.T, path string) []string {
	bz, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return strings.Fields(string(bz))
}

func deployedPID(t *testing.T, info string) int {
	var v struct {
		PID    int    `json:"pid"`
		Limits string `json:"limits"`
	}
	require.NoError(t, json.Unmarshal([]byte(info), &v), info)
	require.Positive(t, v.PID)
	require.Equal(t, LimitsRlimit, v.Limits)
	return v.PID
}

func TestDeployPauseResumeTeardown(t *testing.T) {
	d := newDriver(t, testConfig(t, t.TempDir()))
	ctx := context.Background()
	w := workload(1, beating)
	info, err := d.Deploy(ctx, w)
	require.NoError(t, err)
	pid := deployedPID(t, info)
	work := filepath.Join(d.Dir(1), workName)
	require.Eventually(t, func() bool { return len(lines(t, filepath.Join(work, "started"))) == 1 }, 5*time.Second, 10*time.Millisecond)
	require.Equal(t, strconv.Itoa(pid), lines(t, filepath.Join(work, "started"))[0], "the workload's pid is the wrapper's")
	st, err := d.Status(ctx, w)
	require.NoError(t, err)
	require.Equal(t, driver.StateRunning, st.State)

	// Deploy again is a no-op: same process.
	info2, err := d.Deploy(ctx, w)
	require.NoError(t, err)
	require.Equal(t, pid, deployedPID(t, info2))

	require.NoError(t, d.Pause(ctx, w))
	require.Eventually(t, func() bool { return groupStopped(t, pid) }, 5*time.Second, 10*time.Millisecond)
	st, _ = d.Status(ctx, w)
	require.Equal(t, driver.StatePaused, st.State)
	require.NoError(t, d.Pause(ctx, w), "pause is idempotent")

	require.NoError(t, d.Resume(ctx, w))
	require.Eventually(t, func() bool { return running(procState(t, pid)) }, 5*time.Second, 10*time.Millisecond)
	st, _ = d.Status(ctx, w)
	require.Equal(t, driver.StateRunning, st.State)

	require.NoError(t, d.Teardown(ctx, w))
	require.Eventually(t, func() bool { return procState(t, pid) == 0 || procState(t, pid) == 'Z' }, 5*time.Second, 10*time.Millisecond)
	require.NoDirExists(t, d.Dir(1))
	st, _ = d.Status(ctx, w)
	require.Equal(t, driver.StateMissing, st.State)
	require.NoError(t, d.Teardown(ctx, w), "teardown is idempotent")
	require.Len(t, lines(t, filepath.Join(work, "started")), 0)
}

func TestPausedTeardownKillsStoppedGroup(t *testing.T) {
	d := newDriver(t, testConfig(t, t.TempDir()))
	ctx := context.Background()
	w := workload(2, beating)
	info, err := d.Deploy(ctx, w)
	require.NoError(t, err)
	pid := deployedPID(t, info)
	require.NoError(t, d.Pause(ctx, w))
	require.NoError(t, d.Teardown(ctx, w))
	require.Eventually(t, func() bool { s := procState(t, pid); return s == 0 || s == 'Z' }, 5*time.Second, 10*time.Millisecond)
}

func TestRestartByPolicy(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		policy  string
		code    int
		restart bool
	}{
		{RestartOnFailure, 3, true},
		{RestartAlways, 0, true},
		{RestartOnFailure, 0, false},
		{RestartNever, 3, false},
	} {
		t.Run(fmt.Sprintf("%s exit %d", tc.policy, tc.code), func(t *testing.T) {
			d := newDriver(t, testConfig(t, t.TempDir()))
			w := workload(3, Spec{Command: []string{"sh", "-c", fmt.Sprintf("echo run >> runs; sleep 0.15; exit %d", tc.code)}, Restart: tc.policy})
			_, err := d.Deploy(ctx, w)
			require.NoError(t, err)
			runs := filepath.Join(d.Dir(3), workName, "runs")
			if tc.restart {
				require.Eventually(t, func() bool { return len(lines(t, runs)) >= 3 }, 10*time.Second, 10*time.Millisecond)
			} else {
				require.Eventually(t, func() bool {
					st, _ := d.Status(ctx, w)
					return st.State == driver.StateExited
				}, 10*time.Second, 10*time.Millisecond)
				require.Len(t, lines(t, runs), 1)
			}
			require.NoError(t, d.Teardown(ctx, w))
		})
	}
}

func TestCommandThatExitsAtOnceFails(t *testing.T) {
	d := newDriver(t, testConfig(t, t.TempDir()))
	ctx := context.Background()
	_, err := d.Deploy(ctx, workload(4, Spec{Command: []string{"sh", "-c", "echo boom >&2; exit 2"}}))
	require.ErrorIs(t, err, driver.ErrStartFailed)
	require.True(t, driver.Permanent(err))
	require.Contains(t, err.Error(), "code 2")
	require.Contains(t, err.Error(), "boom")

	_, err = d.Deploy(ctx, workload(5, Spec{Command: []string{"/no/such/program"}}))
	require.ErrorIs(t, err, driver.ErrStartFailed)
	require.Contains(t, err.Error(), "code 127")

	// A one-shot job that succeeds at once under "never" is deployed.
	_, err = d.Deploy(ctx, workload(6, Spec{Command: []string{"true"}, Restart: RestartNever}))
	require.NoError(t, err)
}

func TestBadDeploymentData(t *testing.T) {
	d := newDriver(t, testConfig(t, t.TempDir()))
	for _, data := range []string{
		`not json`,
		`{"driver":"process"}`,
		`{"command":[]}`,
		`{"command":["sh"],"restart":"sometimes"}`,
		`{"command":["sh"],"unknown":1}`,
		`{"command":["sh"],"env":{"A=B":"c"}}`,
		`{"driver":"volume","command":["sh"]}`,
	} {
		_, err := d.Deploy(context.Background(), driver.Workload{LeaseID: 7, Data: data})
		require.ErrorIs(t, err, driver.ErrInvalidSpec, data)
	}
}

func TestAdoptAfterAgentRestartNeverDuplicates(t *testing.T) {
	root := t.TempDir()
	ctx := context.Background()
	w := workload(8, beating)
	d1, err := New(testConfig(t, root))
	require.NoError(t, err)
	info, err := d1.Deploy(ctx, w)
	require.NoError(t, err)
	pid := deployedPID(t, info)
	require.NoError(t, d1.Close()) // the agent goes away; the workload keeps running
	require.True(t, running(procState(t, pid)))

	d2 := newDriver(t, testConfig(t, root))
	st, err := d2.Status(ctx, w)
	require.NoError(t, err)
	require.Equal(t, driver.StateRunning, st.State, "found before being adopted")
	info, err = d2.Deploy(ctx, w)
	require.NoError(t, err)
	require.Equal(t, pid, deployedPID(t, info), "adopted, not started again")
	started := filepath.Join(d2.Dir(8), workName, "started")
	require.Eventually(t, func() bool { return len(lines(t, started)) == 1 }, 5*time.Second, 10*time.Millisecond)

	// The adopted process dies: supervision notices through the lock and restarts it once.
	require.NoError(t, syscall.Kill(-pid, syscall.SIGKILL))
	require.Eventually(t, func() bool { return len(lines(t, started)) == 2 }, 10*time.Second, 10*time.Millisecond)
	require.Eventually(t, func() bool { return d2.PID(8) != 0 && d2.PID(8) != pid }, 10*time.Second, 10*time.Millisecond)

	// A paused workload stays paused across an agent restart.
	require.NoError(t, d2.Pause(ctx, w))
	pid2 := d2.PID(8)
	require.NoError(t, d2.Close())
	d3 := newDriver(t, testConfig(t, root))
	require.NoError(t, d3.Pause(ctx, w))
	require.Eventually(t, func() bool { return groupStopped(t, pid2) }, 5*time.Second, 10*time.Millisecond)
	_, err = d3.Deploy(ctx, w)
	require.NoError(t, err)
	require.True(t, groupStopped(t, pid2), "deploy does not resume a paused workload")
	require.NoError(t, d3.Resume(ctx, w))
	require.Eventually(t, func() bool { return running(procState(t, pid2)) }, 5*time.Second, 10*time.Millisecond)
	require.Len(t, lines(t, started), 2)
	require.NoError(t, d3.Teardown(ctx, w))
}

func TestStopOnCloseAndRedeploy(t *testing.T) {
	root := t.TempDir()
	ctx := context.Background()
	cfg := testConfig(t, root)
	cfg.StopOnClose = true
	w := workload(9, beating)
	d1, err := New(cfg)
	require.NoError(t, err)
	info, err := d1.Deploy(ctx, w)
	require.NoError(t, err)
	pid := deployedPID(t, info)
	require.NoError(t, d1.Close())
	require.Eventually(t, func() bool { s := procState(t, pid); return s == 0 || s == 'Z' }, 5*time.Second, 10*time.Millisecond)

	d2 := newDriver(t, cfg)
	info, err = d2.Deploy(ctx, w)
	require.NoError(t, err)
	require.NotEqual(t, pid, deployedPID(t, info))
	require.NoError(t, d2.Teardown(ctx, w))
}

func TestUpdatedDeploymentReplacesProcess(t *testing.T) {
	d := newDriver(t, testConfig(t, t.TempDir()))
	ctx := context.Background()
	w := workload(10, beating)
	info, err := d.Deploy(ctx, w)
	require.NoError(t, err)
	pid := deployedPID(t, info)
	w2 := w
	w2.Hash = []byte("hash2")
	info, err = d.Deploy(ctx, w2)
	require.NoError(t, err)
	require.NotEqual(t, pid, deployedPID(t, info))
	require.Eventually(t, func() bool { s := procState(t, pid); return s == 0 || s == 'Z' }, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, d.Teardown(ctx, w2))
}

func TestRlimitsApplied(t *testing.T) {
	d := newDriver(t, testConfig(t, t.TempDir()))
	ctx := context.Background()
	w := workload(11, beating)
	info, err := d.Deploy(ctx, w)
	require.NoError(t, err)
	pid := deployedPID(t, info)
	bz, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/limits")
	require.NoError(t, err)
	var addr, files string
	for _, l := range strings.Split(string(bz), "\n") {
		f := strings.Fields(l)
		switch {
		case strings.HasPrefix(l, "Max address space"):
			addr = f[3]
		case strings.HasPrefix(l, "Max open files"):
			files = f[3]
		}
	}
	require.Equal(t, strconv.Itoa(1<<30), addr, "RLIMIT_AS is the booked memory")
	require.Equal(t, "4096", files)
	require.NoError(t, d.Teardown(ctx, w))
}

func TestWrapperRefusesSecondInstance(t *testing.T) {
	dir := t.TempDir()
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o644)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))
	held, err := lockHeld(dir)
	require.NoError(t, err)
	require.True(t, held)
	err = ExecMain([]string{"--dir", dir, "--", "true"})
	require.Equal(t, exitLocked, ExitCode(err))
}

func TestReadProcStat(t *testing.T) {
	st, err := readProcStat(os.Getpid())
	require.NoError(t, err)
	require.Positive(t, st.StartTime)
	p := PIDFile{PID: os.Getpid(), StartTime: st.StartTime}
	_, ok := p.verify()
	require.True(t, ok)
	p.StartTime++
	_, ok = p.verify()
	require.False(t, ok, "a reused pid does not verify")
}
