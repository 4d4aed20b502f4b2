// Package process is the agent's process driver: a lease becomes a supervised child process
// that runs the command in the lease's deployment data, with the booked CPU and memory as
// limits, restarted by its policy, with its output kept in the agent's data directory.
//
// Deployment data (JSON; unknown fields are refused):
//
//	{"driver":"process","command":["sh","-c","…"],"restart":"on-failure","env":{"KEY":"value"}}
//
// command is required; restart is "always", "on-failure" (the default) or "never"; env adds to
// a minimal environment (PATH, HOME and GUILD_LEASE_ID). The command runs in its own process
// group, in DIR/work, with stdout and stderr appended to DIR/output.log.
//
// Limits: with a usable cgroup v2 hierarchy (cpu and memory controllers, writable) each
// workload gets a cgroup with cpu.max and memory.max; otherwise the wrapper applies rlimits
// (see LimitsCgroup and LimitsRlimit for exactly what each mode enforces).
//
// Restart safety: every workload is started through a wrapper (ExecMain, `guildd agent exec`)
// that takes an exclusive flock on DIR/lock which the command inherits, writes DIR/pid (pid and
// start time) and then execs the command. The lock is held exactly as long as anything the
// workload started is alive, so after an agent restart the driver adopts a live workload
// instead of starting a second one, and a crash between fork and pid file cannot duplicate a
// workload either. Workloads run in their own process group and survive an agent crash; they
// are stopped only by Pause (SIGSTOP to the group), Teardown, or Close when StopOnClose is set.
package process

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/guild-network/guild/daemon/agent/driver"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Restart policies.
const (
	RestartAlways    = "always"
	RestartOnFailure = "on-failure"
	RestartNever     = "never"
)

// Config configures the process driver.
type Config struct {
	// Root holds one directory per lease.
	Root string
	// Wrapper is the argv prefix that runs ExecMain, e.g. [guildd, agent, exec].
	Wrapper []string
	// Limits is "auto" (cgroup v2 if usable, else rlimit), "cgroup" (fail without it) or "rlimit".
	Limits string
	// CgroupName is the parent cgroup the driver creates for its workloads.
	CgroupName string
	// StartupWindow is how long a new process must stay up for its deployment to count.
	StartupWindow time.Duration
	// RestartBackoff is the first delay before a restart; it doubles up to MaxBackoff, and
	// starts again from RestartBackoff after a run longer than MaxBackoff.
	RestartBackoff time.Duration
	MaxBackoff     time.Duration
	// PollInterval is how often supervision checks on workloads it did not start itself.
	PollInterval time.Duration
	// StopTimeout is how long Teardown waits after SIGTERM before SIGKILL.
	StopTimeout time.Duration
	// LogMaxBytes caps output.log; beyond it the log is moved to output.log.1.
	LogMaxBytes int64
	// Nice and NoFile are the rlimit mode's priority and open-file limit.
	Nice   int
	NoFile uint64
	// StopOnClose stops every workload when the driver is closed (the agent exits); otherwise
	// they keep running and the next agent adopts them.
	StopOnClose bool
	Logger      *slog.Logger
}

// DefaultConfig returns the driver's defaults for a root directory and wrapper.
func DefaultConfig(root string, wrapper []string) Config {
	return Config{
		Root: root, Wrapper: wrapper, Limits: "auto", CgroupName: "guild-agent",
		StartupWindow: 500 * time.Millisecond, RestartBackoff: time.Second, MaxBackoff: 30 * time.Second,
		PollInterval: time.Second, StopTimeout: 5 * time.Second, LogMaxBytes: 10 << 20, Nice: 10, NoFile: 4096,
	}
}

// Spec is the process driver's deployment data.
type Spec struct {
	Driver  string            `json:"driver,omitempty"`
	Command []string          `json:"command"`
	Restart string            `json:"restart,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
}

// ParseSpec reads and checks deployment data.
func ParseSpec(data string) (Spec, error) {
	var s Spec
	if err := driver.Decode(data, &s); err != nil {
		return s, err
	}
	if s.Driver != "" && s.Driver != driver.Process {
		return s, fmt.Errorf("%w: driver %q given to the process driver", driver.ErrInvalidSpec, s.Driver)
	}
	if len(s.Command) == 0 || s.Command[0] == "" {
		return s, fmt.Errorf("%w: no command", driver.ErrInvalidSpec)
	}
	for _, a := range s.Command {
		if strings.ContainsRune(a, 0) {
			return s, fmt.Errorf("%w: NUL in command", driver.ErrInvalidSpec)
		}
	}
	switch s.Restart {
	case "":
		s.Restart = RestartOnFailure
	case RestartAlways, RestartOnFailure, RestartNever:
	default:
		return s, fmt.Errorf("%w: restart %q (want always, on-failure or never)", driver.ErrInvalidSpec, s.Restart)
	}
	for k, v := range s.Env {
		if k == "" || strings.ContainsAny(k, "=\x00") || strings.ContainsRune(v, 0) {
			return s, fmt.Errorf("%w: environment variable %q", driver.ErrInvalidSpec, k)
		}
	}
	return s, nil
}

// Driver runs and supervises processes.
type Driver struct {
	cfg  Config
	cg   *cgroups
	mode string
	log  *slog.Logger

	mu   sync.Mutex
	inst map[uint64]*instance
}

var (
	_ driver.Driver = (*Driver)(nil)
	_ driver.Closer = (*Driver)(nil)
)

// instance is one supervised workload.
type instance struct {
	lease uint64
	dir   string
	spec  Spec
	hash  string
	res   providertypes.Resources

	mu        sync.Mutex
	pid       int
	own       bool // started by this driver (so cmd.Wait reports its exit)
	alive     bool
	paused    bool
	exited    bool // ended for good under its restart policy
	stopping  bool
	handled   bool // the last exit has been acted on
	lastCode  int  // exit code of the last run; -1 when killed or unknown
	startedAt time.Time
	exitAt    time.Time
	nextStart time.Time
	backoff   time.Duration
	restarts  int
	exitCh    <-chan struct{} // closed when the own child of the current run exits

	wake chan struct{}
	stop chan struct{}
	done chan struct{}
}

// New returns a process driver. It detects what limits it can enforce (see Mode).
func New(cfg Config) (*Driver, error) {
	if cfg.Root == "" || len(cfg.Wrapper) == 0 {
		return nil, errors.New("process driver: root and wrapper are required")
	}
	if err := os.MkdirAll(cfg.Root, 0o750); err != nil {
		return nil, fmt.Errorf("process driver: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	d := &Driver{cfg: cfg, log: cfg.Logger.With("driver", driver.Process), inst: map[uint64]*instance{}}
	switch cfg.Limits {
	case "", "auto", LimitsCgroup:
		cg, why := detectCgroups(cfg.CgroupName)
		if cg != nil {
			d.cg, d.mode = cg, LimitsCgroup
		} else if cfg.Limits == LimitsCgroup {
			return nil, fmt.Errorf("process driver: cgroup v2 limits asked but unusable: %s", why)
		} else {
			d.mode = LimitsRlimit
			d.log.Info("cgroup v2 unusable, limiting processes with rlimits (cpu not capped)", "reason", why)
		}
	case LimitsRlimit:
		d.mode = LimitsRlimit
	default:
		return nil, fmt.Errorf("process driver: limits %q (want auto, cgroup or rlimit)", cfg.Limits)
	}
	return d, nil
}

// Name implements driver.Driver.
func (d *Driver) Name() string { return driver.Process }

// Mode is LimitsCgroup or LimitsRlimit: what this driver enforces on this machine.
func (d *Driver) Mode() string { return d.mode }

// Dir is the directory of a lease's workload.
func (d *Driver) Dir(lease uint64) string {
	return filepath.Join(d.cfg.Root, strconv.FormatUint(lease, 10))
}

func specHash(w driver.Workload) string {
	h := sha256.New()
	h.Write(w.Hash)
	h.Write([]byte{0})
	h.Write([]byte(w.Data))
	return hex.EncodeToString(h.Sum(nil))
}

type specFile struct {
	Hash string `json:"hash"`
	Spec Spec   `json:"spec"`
}

// Deploy implements driver.Driver.
func (d *Driver) Deploy(ctx context.Context, w driver.Workload) (string, error) {
	spec, err := ParseSpec(w.Data)
	if err != nil {
		return "", err
	}
	hash := specHash(w)
	d.mu.Lock()
	in := d.inst[w.LeaseID]
	d.mu.Unlock()
	if in != nil {
		if in.hash == hash {
			return d.info(in), nil
		}
		// The deployment changed: replace the process.
		if err := d.detach(in, true); err != nil {
			return "", err
		}
	}
	dir := d.Dir(w.LeaseID)
	if err := os.MkdirAll(filepath.Join(dir, workName), 0o750); err != nil {
		return "", err
	}
	prev, _ := readSpecFile(dir)
	held, err := lockHeld(dir)
	if err != nil {
		return "", err
	}
	if held && prev.Hash != hash {
		if err := d.kill(dir); err != nil {
			return "", err
		}
		held = false
	}
	in = d.newInstance(w, spec, hash, dir)
	switch {
	case held:
		if err := d.adopt(in); err != nil {
			return "", err
		}
	case prev.Hash == hash && exists(filepath.Join(dir, exitedName)):
		in.exited = true
	case exists(filepath.Join(dir, pausedName)):
		in.paused = true // starts on Resume
	default:
		if err := d.start(ctx, in); err != nil {
			return "", err
		}
	}
	d.register(in)
	return d.info(in), nil
}

func (d *Driver) newInstance(w driver.Workload, spec Spec, hash, dir string) *instance {
	return &instance{
		lease: w.LeaseID, dir: dir, spec: spec, hash: hash, res: w.Resources,
		backoff: d.cfg.RestartBackoff, lastCode: -1,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// adopt takes over a live workload an earlier agent started.
func (d *Driver) adopt(in *instance) error {
	pf, err := readPIDFile(in.dir)
	if err != nil {
		return fmt.Errorf("lease %d: workload holds its lock but %w", in.lease, err)
	}
	st, ok := pf.verify()
	if !ok {
		d.log.Warn("pid file does not match a live process though the lock is held", "lease", in.lease, "pid", pf.PID)
	}
	in.pid, in.alive, in.own, in.handled = pf.PID, true, false, false
	in.paused = exists(filepath.Join(in.dir, pausedName)) || st.State == 'T'
	d.log.Info("adopted running workload", "lease", in.lease, "pid", pf.PID, "paused", in.paused)
	return nil
}

// start writes the spec, starts the process and waits out the startup window.
func (d *Driver) start(ctx context.Context, in *instance) error {
	bz, _ := json.Marshal(specFile{Hash: in.hash, Spec: in.spec})
	if err := driver.WriteFileAtomic(filepath.Join(in.dir, specName), bz, 0o644); err != nil {
		return err
	}
	_ = os.Remove(filepath.Join(in.dir, exitedName))
	_ = os.Remove(filepath.Join(in.dir, pidName))
	in.mu.Lock()
	exited, err := d.spawn(in)
	pid := in.pid
	in.mu.Unlock()
	if err != nil {
		return fmt.Errorf("%w: %v", driver.ErrStartFailed, err)
	}
	// The startup window counts from the exec of the command, which the wrapper announces by
	// writing the pid file, not from the fork: the wrapper's own start-up takes a while.
	if err := waitPIDFile(ctx, in.dir, pid, exited); err != nil {
		_ = d.stopOwn(in)
		return err
	}
	t := time.NewTimer(d.cfg.StartupWindow)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		_ = d.stopOwn(in)
		return ctx.Err()
	case <-exited:
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.lastCode == exitLocked {
		// A wrapper an earlier agent forked just before it died got the lock first: adopt it.
		if err := d.adopt(in); err != nil {
			return err
		}
		return nil
	}
	if in.lastCode == 0 && in.spec.Restart == RestartNever {
		in.exited, in.handled = true, true
		_ = os.WriteFile(filepath.Join(in.dir, exitedName), []byte("0"), 0o644)
		return nil
	}
	in.exited, in.handled = true, true // no restarts of a deployment that failed
	return fmt.Errorf("%w: command exited at once with code %d: %s", driver.ErrStartFailed, in.lastCode,
		tail(filepath.Join(in.dir, logName), 120))
}

// attached returns the lease's instance, adopting it from disk after an agent restart; nil if
// nothing was ever deployed for the lease.
func (d *Driver) attached(w driver.Workload) (*instance, error) {
	d.mu.Lock()
	in := d.inst[w.LeaseID]
	d.mu.Unlock()
	if in != nil {
		return in, nil
	}
	dir := d.Dir(w.LeaseID)
	prev, err := readSpecFile(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	in = d.newInstance(w, prev.Spec, prev.Hash, dir)
	held, err := lockHeld(dir)
	if err != nil {
		return nil, err
	}
	if held {
		if err := d.adopt(in); err != nil {
			return nil, err
		}
	} else {
		in.exited = exists(filepath.Join(dir, exitedName))
		in.paused = exists(filepath.Join(dir, pausedName))
	}
	d.register(in)
	return in, nil
}

// Pause implements driver.Driver: the process group is stopped with SIGSTOP.
func (d *Driver) Pause(_ context.Context, w driver.Workload) error {
	in, err := d.attached(w)
	if in == nil || err != nil {
		return err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if err := os.WriteFile(filepath.Join(in.dir, pausedName), nil, 0o644); err != nil {
		return err
	}
	in.paused = true
	if in.alive && in.pid > 0 {
		return signalGroup(in.pid, syscall.SIGSTOP)
	}
	return nil
}

// Resume implements driver.Driver: a stopped group continues; one that died meanwhile starts
// again (unless it had exited for good).
func (d *Driver) Resume(_ context.Context, w driver.Workload) error {
	in, err := d.attached(w)
	if in == nil || err != nil {
		return err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.paused = false
	if in.alive && in.pid > 0 {
		if err := signalGroup(in.pid, syscall.SIGCONT); err != nil {
			return err
		}
	} else {
		in.nextStart = time.Time{}
	}
	if err := os.Remove(filepath.Join(in.dir, pausedName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	select {
	case in.wake <- struct{}{}:
	default:
	}
	return nil
}

// Teardown implements driver.Driver: the process group is terminated (SIGTERM, then SIGKILL
// after StopTimeout) and the workload's directory deleted.
func (d *Driver) Teardown(_ context.Context, w driver.Workload) error {
	d.mu.Lock()
	in := d.inst[w.LeaseID]
	d.mu.Unlock()
	if in != nil {
		if err := d.detach(in, true); err != nil {
			return err
		}
	}
	dir := d.Dir(w.LeaseID)
	if err := d.kill(dir); err != nil {
		return err
	}
	if d.cg != nil {
		if err := d.cg.remove(w.LeaseID); err != nil {
			return err
		}
	}
	return os.RemoveAll(dir)
}

// detach stops supervising in and, if kill, stops its processes.
func (d *Driver) detach(in *instance, kill bool) error {
	in.mu.Lock()
	if !in.stopping {
		in.stopping = true
		close(in.stop)
	}
	in.mu.Unlock()
	<-in.done
	d.mu.Lock()
	if d.inst[in.lease] == in {
		delete(d.inst, in.lease)
	}
	d.mu.Unlock()
	if kill {
		if err := d.stopOwn(in); err != nil {
			return err
		}
		return d.kill(in.dir)
	}
	return nil
}

// stopOwn ends the run this driver started itself, even one whose wrapper has not taken the
// workload's lock yet (and so cannot be found through it).
func (d *Driver) stopOwn(in *instance) error {
	in.mu.Lock()
	own, alive, pid, ch := in.own, in.alive, in.pid, in.exitCh
	in.mu.Unlock()
	if !own || !alive || ch == nil {
		return nil
	}
	_ = signalGroup(pid, syscall.SIGTERM)
	_ = signalGroup(pid, syscall.SIGCONT)
	select {
	case <-ch:
		return nil
	case <-time.After(d.cfg.StopTimeout):
	}
	_ = signalGroup(pid, syscall.SIGKILL)
	select {
	case <-ch:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("lease %d: pid %d still alive after SIGKILL", in.lease, pid)
	}
}

// kill ends every process of the workload in dir: SIGTERM (and SIGCONT, so that a paused
// group sees it), then SIGKILL, until nothing holds the workload's lock.
func (d *Driver) kill(dir string) error {
	held, err := lockHeld(dir)
	if err != nil || !held {
		return err
	}
	pf, err := readPIDFile(dir)
	if err != nil {
		return fmt.Errorf("workload in %s is alive but %w", dir, err)
	}
	_ = signalGroup(pf.PID, syscall.SIGTERM)
	_ = signalGroup(pf.PID, syscall.SIGCONT)
	if waitLockFree(dir, d.cfg.StopTimeout) {
		return nil
	}
	_ = signalGroup(pf.PID, syscall.SIGKILL)
	if waitLockFree(dir, 5*time.Second) {
		return nil
	}
	return fmt.Errorf("workload in %s still alive after SIGKILL (a process left its group?)", dir)
}

// Status implements driver.Driver.
func (d *Driver) Status(_ context.Context, w driver.Workload) (driver.Status, error) {
	d.mu.Lock()
	in := d.inst[w.LeaseID]
	d.mu.Unlock()
	if in != nil {
		in.mu.Lock()
		defer in.mu.Unlock()
		detail := fmt.Sprintf("pid %d, %d restarts", in.pid, in.restarts)
		switch {
		case in.exited:
			return driver.Status{State: driver.StateExited, Detail: fmt.Sprintf("exited with code %d", in.lastCode)}, nil
		case in.paused:
			return driver.Status{State: driver.StatePaused, Detail: detail}, nil
		case in.alive:
			return driver.Status{State: driver.StateRunning, Detail: detail}, nil
		default:
			return driver.Status{State: driver.StateRunning, Detail: fmt.Sprintf("restarting, %d restarts", in.restarts)}, nil
		}
	}
	dir := d.Dir(w.LeaseID)
	if !exists(filepath.Join(dir, specName)) {
		return driver.Status{State: driver.StateMissing}, nil
	}
	held, err := lockHeld(dir)
	if err != nil {
		return driver.Status{}, err
	}
	switch {
	case held && exists(filepath.Join(dir, pausedName)):
		return driver.Status{State: driver.StatePaused, Detail: "not supervised"}, nil
	case held:
		return driver.Status{State: driver.StateRunning, Detail: "not supervised"}, nil
	case exists(filepath.Join(dir, exitedName)):
		return driver.Status{State: driver.StateExited}, nil
	default:
		return driver.Status{State: driver.StateMissing, Detail: "not running"}, nil
	}
}

// PID returns the pid of a lease's live workload, 0 if none.
func (d *Driver) PID(lease uint64) int {
	d.mu.Lock()
	in := d.inst[lease]
	d.mu.Unlock()
	if in == nil {
		return 0
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.alive {
		return 0
	}
	return in.pid
}

// Close implements driver.Closer: supervision stops; workloads keep running unless
// StopOnClose is set.
func (d *Driver) Close() error {
	d.mu.Lock()
	all := make([]*instance, 0, len(d.inst))
	for _, in := range d.inst {
		all = append(all, in)
	}
	d.mu.Unlock()
	var errs []error
	for _, in := range all {
		errs = append(errs, d.detach(in, d.cfg.StopOnClose))
	}
	return errors.Join(errs...)
}

func (d *Driver) info(in *instance) string {
	in.mu.Lock()
	defer in.mu.Unlock()
	bz, _ := json.Marshal(struct {
		PID    int    `json:"pid"`
		Dir    string `json:"dir"`
		Limits string `json:"limits"`
	}{in.pid, in.dir, d.mode})
	return string(bz)
}

func readSpecFile(dir string) (specFile, error) {
	var s specFile
	bz, err := os.ReadFile(filepath.Join(dir, specName))
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(bz, &s)
}

// waitPIDFile waits until the wrapper started as pid has written the pid file (it then holds
// the lock and is about to exec the command), or until it exits.
func waitPIDFile(ctx context.Context, dir string, pid int, exited <-chan struct{}) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	deadline := time.After(time.Minute)
	for {
		if pf, err := readPIDFile(dir); err == nil && pf.PID == pid {
			return nil
		}
		select {
		case <-exited:
			return nil // the exit is judged by the caller
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("%w: wrapper pid %d wrote no pid file within a minute", driver.ErrStartFailed, pid)
		case <-t.C:
		}
	}
}
