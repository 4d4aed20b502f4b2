package process

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"unsafe"
)

// ExecMain is the wrapper the driver starts every workload through (`guildd agent exec`): it
// takes the workload's lock, joins its cgroup or applies resource limits, records its pid and
// start time, and then replaces itself with the command, so that the workload's pid is the
// wrapper's. args are the wrapper's arguments (without the program name):
//
//	--dir DIR [--cgroup PATH] [--memory BYTES] [--nofile N] [--nice N] -- COMMAND [ARGS…]
//
// It returns only on failure; the caller exits with ExitCode(err).
func ExecMain(args []string) error {
	fs := flag.NewFlagSet("exec", flag.ContinueOnError)
	dir := fs.String("dir", "", "workload directory (lock and pid file)")
	cgroup := fs.String("cgroup", "", "cgroup v2 directory to join")
	memory := fs.Uint64("memory", 0, "address-space limit in bytes (RLIMIT_AS); 0 = none")
	nofile := fs.Uint64("nofile", 0, "open-file limit (RLIMIT_NOFILE); 0 = inherit")
	nice := fs.Int("nice", 0, "scheduling niceness to add")
	if err := fs.Parse(args); err != nil {
		return &ExecError{Code: 2, Err: err}
	}
	command := fs.Args()
	if *dir == "" || len(command) == 0 {
		return &ExecError{Code: 2, Err: errors.New("usage: exec --dir DIR [limits] -- COMMAND [ARGS...]")}
	}
	// The lock fd is opened without O_CLOEXEC, so the command inherits it and holds the lock
	// until it and every child that keeps the descriptor have exited.
	fd, err := syscall.Open(filepath.Join(*dir, lockName), syscall.O_RDWR|syscall.O_CREAT, 0o644)
	if err != nil {
		return &ExecError{Code: 1, Err: fmt.Errorf("open lock: %w", err)}
	}
	if err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return &ExecError{Code: exitLocked, Err: fmt.Errorf("workload in %s is already running", *dir)}
	}
	if *cgroup != "" {
		if err := os.WriteFile(filepath.Join(*cgroup, "cgroup.procs"), []byte("0"), 0o644); err != nil {
			return &ExecError{Code: 1, Err: fmt.Errorf("join cgroup %s: %w", *cgroup, err)}
		}
	}
	if *nofile > 0 {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: *nofile, Max: *nofile}); err != nil {
			return &ExecError{Code: 1, Err: fmt.Errorf("limit open files: %w", err)}
		}
	}
	_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
	if *nice != 0 {
		// PRIO_PROCESS of the calling thread; inherited by exec.
		if cur, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0); err == nil {
			_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, 20-cur+*nice)
		}
	}
	st, err := readProcStat(os.Getpid())
	if err != nil {
		return &ExecError{Code: 1, Err: err}
	}
	if err := writePIDFile(*dir, PIDFile{PID: os.Getpid(), StartTime: st.StartTime}); err != nil {
		return &ExecError{Code: 1, Err: fmt.Errorf("write pid file: %w", err)}
	}
	path, err := exec.LookPath(command[0])
	if err != nil {
		return &ExecError{Code: 127, Err: err}
	}
	return execWithMemoryLimit(path, command, os.Environ(), *memory)
}

// execWithMemoryLimit sets RLIMIT_AS (if memory > 0) and execs path. The limit is set with raw
// system calls right before execve, once every argument is converted: the wrapper is a Go
// program whose runtime may already use more address space than the limit, and any allocation
// after the limit could abort it.
func execWithMemoryLimit(path string, argv, envv []string, memory uint64) error {
	argv0p, err := syscall.BytePtrFromString(path)
	if err != nil {
		return &ExecError{Code: 126, Err: err}
	}
	argvp, err := syscall.SlicePtrFromStrings(argv)
	if err != nil {
		return &ExecError{Code: 126, Err: err}
	}
	envvp, err := syscall.SlicePtrFromStrings(envv)
	if err != nil {
		return &ExecError{Code: 126, Err: err}
	}
	if memory > 0 {
		lim := syscall.Rlimit{Cur: memory, Max: memory}
		if _, _, errno := syscall.RawSyscall(syscall.SYS_SETRLIMIT, uintptr(syscall.RLIMIT_AS),
			uintptr(unsafe.Pointer(&lim)), 0); errno != 0 {
			return &ExecError{Code: 1, Err: fmt.Errorf("limit memory: %w", errno)}
		}
	}
	_, _, errno := syscall.RawSyscall(syscall.SYS_EXECVE, uintptr(unsafe.Pointer(argv0p)),
		uintptr(unsafe.Pointer(&argvp[0])), uintptr(unsafe.Pointer(&envvp[0])))
	// Still here: execve failed. Lift the limit again so that reporting the error cannot fail.
	if memory > 0 {
		inf := syscall.Rlimit{Cur: ^uint64(0), Max: ^uint64(0)}
		syscall.RawSyscall(syscall.SYS_SETRLIMIT, uintptr(syscall.RLIMIT_AS), uintptr(unsafe.Pointer(&inf)), 0)
	}
	return &ExecError{Code: 126, Err: fmt.Errorf("exec %s: %w", path, errno)}
}

// ExecError is a wrapper failure with the exit code to use.
type ExecError struct {
	Code int
	Err  error
}

func (e *ExecError) Error() string { return e.Err.Error() }
func (e *ExecError) Unwrap() error { return e.Err }

// ExitCode returns the exit code for an ExecMain error.
func ExitCode(err error) int {
	var ee *ExecError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return 1
}
