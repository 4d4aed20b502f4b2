package cmd

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/guild-network/guild/daemon/pool"
	"github.com/guild-network/guild/internal/devnet"
)

func init() {
	devServices = append(devServices, DevService{Name: "pool", Start: startDevPool})
}

// Files of the devnet's pool server, in <home>/pool.
const (
	devPoolConfig = "pool.toml"
	devPoolLog    = "pool.log"
	devPoolPID    = "pool.pid"
	// DevPoolHold, while it exists, keeps the dev pool server from being (re)started (for crash
	// tests that kill it and restart it themselves).
	DevPoolHold = "pool.hold"
)

// startDevPool runs `guildd pool serve` as the demo pool operator's server, a child process with
// its data in <home>/pool, restarted a second after it exits until the devnet stops. Its
// configuration is written on the first run with a free loopback port, which then stays the
// pool's URL (pool contracts name it).
func startDevPool(ctx context.Context, env DevEnv) (string, <-chan struct{}, error) {
	cfg, cfgPath, err := ensureDevPoolConfig(env)
	if err != nil {
		return "", nil, err
	}
	dir := filepath.Dir(cfgPath)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			for held(filepath.Join(dir, DevPoolHold)) {
				if !sleepCtx(ctx, 200*time.Millisecond) {
					return
				}
			}
			if ctx.Err() != nil {
				return
			}
			err := runDevPoolOnce(ctx, env, dir, cfgPath)
			if ctx.Err() != nil {
				return
			}
			env.Logf("pool server exited (%v); restarting it\n", err)
			if !sleepCtx(ctx, time.Second) {
				return
			}
		}
	}()
	return cfg.Pool.URL, done, nil
}

// ensureDevPoolConfig returns the devnet pool server's configuration and its path
// (<home>/pool/pool.toml), writing it on the first run: the demo farmer's pool contract names the
// pool's URL before the server starts.
func ensureDevPoolConfig(env DevEnv) (pool.Config, string, error) {
	dir := filepath.Join(env.Info.Home, "pool")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return pool.Config{}, "", err
	}
	cfgPath := filepath.Join(dir, devPoolConfig)
	raw, err := os.ReadFile(cfgPath)
	if err == nil {
		cfg, err := pool.LoadConfigBytes(raw, dir)
		return cfg, cfgPath, err
	} else if !errors.Is(err, os.ErrNotExist) {
		return pool.Config{}, "", err
	}
	cfg, err := devPoolConfigFor(env, dir)
	if err != nil {
		return pool.Config{}, "", err
	}
	if raw, err = cfg.Marshal(); err != nil {
		return pool.Config{}, "", err
	}
	return cfg, cfgPath, os.WriteFile(cfgPath, raw, 0o600)
}

// devPoolConfigFor is the demo pool: the pool account pays, a 1 % fee, PPLNS over an hour,
// quick absorbs and payouts, and proof rules read from the chain.
func devPoolConfigFor(env DevEnv, dir string) (pool.Config, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return pool.Config{}, err
	}
	addr := l.Addr().String()
	l.Close()
	cfg := pool.DefaultConfig(dir)
	cfg.Server.Listen = addr
	cfg.Pool.Name = "Guild dev pool"
	cfg.Pool.URL = "http://" + addr
	cfg.Pool.Address = env.Info.Accounts[devnet.Pool]
	cfg.Pool.MinDifficulty, cfg.Pool.DefaultDifficulty = 1, 1
	cfg.Pool.RelativeLock = 10
	cfg.Payout.PPLNSWindow = pool.Duration(time.Hour)
	cfg.Payout.Interval = pool.Duration(30 * time.Second)
	cfg.Payout.AbsorbInterval = pool.Duration(10 * time.Second)
	cfg.Payout.MinPayout = 1_000
	cfg.Chain.RPC = env.Info.RPC
	cfg.Chain.GRPC = env.Info.GRPC
	cfg.Chain.ChainID = env.Info.ChainID
	cfg.Chain.KeyringDir = env.Info.Home
	cfg.Chain.Key = devnet.Pool
	return cfg, nil
}

func runDevPoolOnce(ctx context.Context, env DevEnv, dir, cfgPath string) error {
	logf, err := os.OpenFile(filepath.Join(dir, devPoolLog), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(env.Exe, "pool", "serve", "--config", cfgPath, "--pool-home", dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	_ = os.WriteFile(filepath.Join(dir, devPoolPID), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		return err
	case <-ctx.Done():
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	return nil
}
