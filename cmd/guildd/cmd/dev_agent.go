package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/guild-network/guild/daemon/agent"
	"github.com/guild-network/guild/internal/devnet"
)

func init() {
	devServices = append(devServices, DevService{Name: "agent", Start: startDevAgent})
	devFlags = append(devFlags, func(fs *pflag.FlagSet) {
		fs.String(flagDevAgentAddr, "", "health and metrics address of the demo node's agent, host:port on loopback (default: a free port)")
	})
}

const flagDevAgentAddr = "agent-addr"

// Files of the devnet's agent, in <home>/agent.
const (
	devAgentConfig = "agent.toml"
	devAgentLog    = "agent.log"
	devAgentPID    = "agent.pid"
	// DevAgentHold, while it exists, keeps the dev agent from being (re)started: for debugging
	// and for crash tests that keep the agent down while the chain moves on.
	DevAgentHold = "agent.hold"
)

// startDevAgent runs `guildd agent run` for the demo node as a child process with its data in
// <home>/agent, and restarts it a second after it exits (as a service manager would) until the
// devnet stops. The configuration is written once (edit <home>/agent/agent.toml to tune it);
// the chain's address and a free health/metrics port are passed as flags on every start.
func startDevAgent(ctx context.Context, env DevEnv) (string, <-chan struct{}, error) {
	dir := filepath.Join(env.Info.Home, "agent")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", nil, err
	}
	cfgPath := filepath.Join(dir, devAgentConfig)
	if _, err := os.Stat(cfgPath); errors.Is(err, os.ErrNotExist) {
		if err := agent.WriteConfig(cfgPath, devAgentConfigFor(env, dir), false); err != nil {
			return "", nil, err
		}
	}
	addr := "127.0.0.1:0"
	if env.Flags != nil {
		if a, _ := env.Flags.GetString(flagDevAgentAddr); a != "" {
			addr = a
		}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("agent address: %w", err)
	}
	addr = l.Addr().String()
	l.Close()
	env.Logf("agent log %s\n", filepath.Join(dir, devAgentLog))
	done := make(chan struct{})
	go func() {
		defer close(done)
		superviseDevAgent(ctx, env, dir, cfgPath, addr)
	}()
	return "http://" + addr, done, nil
}

// devAgentConfigFor is the demo node's agent: found by its key among the demo provider's
// nodes, fees from the provider's grant, quick heartbeats and claims, and workloads stopped
// when the devnet stops (the next run starts them again).
func devAgentConfigFor(env DevEnv, dir string) agent.Config {
	cfg := agent.DefaultConfig(env.Info.Home)
	cfg.Chain.RPC = env.Info.RPC
	cfg.Chain.ChainID = env.Info.ChainID
	cfg.Chain.KeyringDir = env.Info.Home
	cfg.Chain.Key = devnet.Node
	cfg.Chain.FeeGranter = env.Info.Accounts[devnet.Provider]
	cfg.Node.DataDir = dir
	cfg.Loop.PollInterval = agent.Duration(time.Second)
	cfg.Loop.HeartbeatInterval = agent.Duration(time.Minute)
	cfg.Loop.ClaimInterval = agent.Duration(5 * time.Minute)
	cfg.Drivers.Process.StopOnExit = true
	cfg.Server.Listen = "" // a free port is given on each start
	return cfg
}

func superviseDevAgent(ctx context.Context, env DevEnv, dir, cfgPath, addr string) {
	for {
		for held(filepath.Join(dir, DevAgentHold)) {
			if !sleepCtx(ctx, 200*time.Millisecond) {
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
		err := runDevAgentOnce(ctx, env, dir, cfgPath, addr)
		if ctx.Err() != nil {
			return
		}
		env.Logf("agent exited (%v); restarting it\n", err)
		if !sleepCtx(ctx, time.Second) {
			return
		}
	}
}

func runDevAgentOnce(ctx context.Context, env DevEnv, dir, cfgPath, addr string) error {
	logf, err := os.OpenFile(filepath.Join(dir, devAgentLog), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(env.Exe, "agent", "run", "--config", cfgPath,
		"--rpc", env.Info.RPC, "--chain-id", env.Info.ChainID, "--listen", addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	pid := cmd.Process.Pid
	_ = os.WriteFile(filepath.Join(dir, devAgentPID), []byte(strconv.Itoa(pid)), 0o644)
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

func held(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
