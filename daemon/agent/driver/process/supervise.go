package process

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"
)

// spawn starts the process through the wrapper. in.mu is held.
func (d *Driver) spawn(in *instance) (<-chan struct{}, error) {
	logPath := filepath.Join(in.dir, logName)
	d.rotate(logPath)
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	args := append([]string{}, d.cfg.Wrapper[1:]...)
	args = append(args, "--dir", in.dir)
	if d.cg != nil {
		p, err := d.cg.create(in.lease, in.res)
		if err != nil {
			return nil, fmt.Errorf("cgroup: %w", err)
		}
		args = append(args, "--cgroup", p)
	} else {
		args = append(args, "--memory", strconv.FormatUint(in.res.MemoryBytes, 10),
			"--nofile", strconv.FormatUint(d.cfg.NoFile, 10), "--nice", strconv.Itoa(d.cfg.Nice))
	}
	args = append(append(args, "--"), in.spec.Command...)
	cmd := exec.Command(d.cfg.Wrapper[0], args...)
	cmd.Dir = filepath.Join(in.dir, workName)
	cmd.Env = d.env(in)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pid := cmd.Process.Pid
	in.pid, in.own, in.alive, in.handled = pid, true, true, false
	in.startedAt = time.Now()
	exited := make(chan struct{})
	in.exitCh = exited
	go func() {
		err := cmd.Wait()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode() // -1 when killed by a signal
		} else if err != nil {
			code = -1
		}
		in.mu.Lock()
		if in.pid == pid {
			in.alive, in.lastCode, in.exitAt = false, code, time.Now()
		}
		in.mu.Unlock()
		close(exited)
		select {
		case in.wake <- struct{}{}:
		default:
		}
	}()
	d.log.Info("started workload", "lease", in.lease, "pid", pid, "limits", d.mode)
	return exited, nil
}

func (d *Driver) env(in *instance) []string {
	env := map[string]string{
		"PATH":           "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME":           filepath.Join(in.dir, workName),
		"GUILD_LEASE_ID": strconv.FormatUint(in.lease, 10),
	}
	for k, v := range in.spec.Env {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// rotate moves a log beyond LogMaxBytes aside (copy and truncate, since a running process
// may hold it open in append mode).
func (d *Driver) rotate(path string) {
	st, err := os.Stat(path)
	if err != nil || d.cfg.LogMaxBytes <= 0 || st.Size() <= d.cfg.LogMaxBytes {
		return
	}
	if bz, err := os.ReadFile(path); err == nil {
		_ = os.WriteFile(path+".1", bz, 0o644)
	}
	_ = os.Truncate(path, 0)
}

// register makes in the lease's supervised instance and starts its supervisor.
func (d *Driver) register(in *instance) {
	d.mu.Lock()
	d.inst[in.lease] = in
	d.mu.Unlock()
	go d.supervise(in)
}

// supervise restarts the workload by its policy until it is stopped.
func (d *Driver) supervise(in *instance) {
	defer close(in.done)
	t := time.NewTicker(d.cfg.PollInterval)
	defer t.Stop()
	for {
		d.check(in)
		select {
		case <-in.stop:
			return
		case <-in.wake:
		case <-t.C:
		}
	}
}

// check looks at one workload and restarts it when its policy says so.
func (d *Driver) check(in *instance) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.stopping || in.paused || in.exited {
		return
	}
	if in.alive {
		if in.own {
			d.rotate(filepath.Join(in.dir, logName))
			return
		}
		if held, err := lockHeld(in.dir); err != nil || held {
			return
		}
		in.alive, in.lastCode, in.exitAt, in.pid = false, -1, time.Now(), 0
	}
	now := time.Now()
	if in.lastCode == exitLocked && !in.handled {
		if held, _ := lockHeld(in.dir); held && d.adopt(in) == nil {
			return
		}
	}
	if !in.handled {
		in.handled = true
		restart := in.spec.Restart == RestartAlways || (in.spec.Restart == RestartOnFailure && in.lastCode != 0)
		if !restart {
			in.exited = true
			_ = os.WriteFile(filepath.Join(in.dir, exitedName), []byte(strconv.Itoa(in.lastCode)), 0o644)
			d.log.Info("workload exited for good", "lease", in.lease, "code", in.lastCode, "restart", in.spec.Restart)
			return
		}
		if !in.startedAt.IsZero() && in.exitAt.Sub(in.startedAt) > d.cfg.MaxBackoff {
			in.backoff = d.cfg.RestartBackoff
		}
		in.nextStart = in.exitAt.Add(in.backoff)
		in.backoff = min(2*in.backoff, d.cfg.MaxBackoff)
		d.log.Info("workload exited, restarting", "lease", in.lease, "code", in.lastCode, "at", in.nextStart)
	}
	if now.Before(in.nextStart) {
		return
	}
	in.restarts++
	if _, err := d.spawn(in); err != nil {
		d.log.Error("restart failed", "lease", in.lease, "err", err)
		in.lastCode, in.exitAt, in.handled = -1, now, false
	}
}
