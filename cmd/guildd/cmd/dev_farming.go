package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/farmer"
	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/daemonkit"
	"github.com/guild-network/guild/internal/devnet"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

func init() {
	devGenesisPatches = append(devGenesisPatches, devnet.FarmingGenesisPatch)
	devAfterLive = append(devAfterLive, setupDemoFarming)
	devServices = append(devServices, DevService{Name: "farmer", Start: startDevFarmer})
}

// Files of the devnet's farmer, in <home>/farmer; plots live in <home>/plots.
const (
	devFarmerConfig = "farmer.toml"
	devFarmerLog    = "farmer.log"
	// DevFarmerHold, while it exists, keeps the dev farmer from being (re)started.
	DevFarmerHold = "farmer.hold"
)

// setupDemoFarming gives the demo `farmer` account its plot keys and, once per devnet, a pool
// contract, which farms to the dev pool server unless it runs --without pool.
func setupDemoFarming(ctx context.Context, env DevEnv) error {
	c, err := chainclient.New(chainclient.Config{RPC: env.Info.RPC, ChainID: env.Info.ChainID, KeyringDir: env.Info.Home})
	if err != nil {
		return err
	}
	pubs, err := devnet.EnsurePlotKeys(c.Keyring)
	if err != nil {
		return err
	}
	owner := env.Info.Accounts[devnet.Farmer]
	id, err := demoPoolContract(ctx, c, owner)
	if err != nil {
		return err
	}
	if id == 0 {
		_, err := c.Submit(ctx, devnet.Farmer, []sdk.Msg{&farmingtypes.MsgCreatePoolContract{Owner: owner, OwnerPublicKey: pubs[0]}})
		if err != nil {
			return fmt.Errorf("demo pool contract: %w", err)
		}
		if id, err = demoPoolContract(ctx, c, owner); err != nil || id == 0 {
			return fmt.Errorf("demo pool contract not found after creating it: %v", err)
		}
	}
	if devPoolEnabled(env) {
		return joinDemoPool(ctx, env, c, id, pubs[0])
	}
	env.Logf("farmer %s farms to its self-pooling pool contract %d\n", owner, id)
	return nil
}

// demoPoolContract is the farmer's first pool contract id, 0 if it has none.
func demoPoolContract(ctx context.Context, c *chainclient.Client, owner string) (uint64, error) {
	res, err := farmingtypes.NewQueryClient(c.Context()).PoolContractsByOwner(ctx, &farmingtypes.QueryPoolContractsByOwnerRequest{Owner: owner})
	if err != nil {
		return 0, err
	}
	if len(res.PoolContracts) == 0 {
		return 0, nil
	}
	return res.PoolContracts[0].Id, nil
}

// startDevFarmer plots the demo plots on the first run (reused afterwards), writes the farmer's
// configuration once (edit <home>/farmer/farmer.toml to tune it) and runs `guildd farmer run`
// as a child process, restarted a second after it exits, until the devnet stops.
func startDevFarmer(ctx context.Context, env DevEnv) (string, <-chan struct{}, error) {
	c, err := chainclient.New(chainclient.Config{RPC: env.Info.RPC, ChainID: env.Info.ChainID, KeyringDir: env.Info.Home})
	if err != nil {
		return "", nil, err
	}
	owner := env.Info.Accounts[devnet.Farmer]
	id, err := demoPoolContract(ctx, c, owner)
	if err != nil || id == 0 {
		return "", nil, fmt.Errorf("no demo pool contract for %s: %v", owner, err)
	}
	pubs, err := devnet.EnsurePlotKeys(c.Keyring)
	if err != nil {
		return "", nil, err
	}
	plots := filepath.Join(env.Info.Home, "plots")
	made, err := devnet.EnsureDemoPlots(ctx, plots, id, pubs, env.LogWriter())
	if err != nil {
		return "", nil, err
	}
	if made == 0 {
		env.Logf("reusing %d plots in %s\n", len(pubs), plots)
	}
	dir := filepath.Join(env.Info.Home, "farmer")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", nil, err
	}
	cfgPath := filepath.Join(dir, devFarmerConfig)
	if _, err := os.Stat(cfgPath); errors.Is(err, os.ErrNotExist) {
		cfg := farmer.DefaultConfig(env.Info.Home)
		cfg.Chain.RPC, cfg.Chain.ChainID, cfg.Chain.KeyringDir = env.Info.RPC, env.Info.ChainID, env.Info.Home
		// A devnet made before farmer-bot existed has no such key: its farmer submits itself.
		cfg.Chain.Submitter = devnet.FarmerBot
		if _, err := c.Keyring.Key(devnet.FarmerBot); err != nil {
			cfg.Chain.Submitter = devnet.Farmer
		}
		cfg.Chain.PlotKeys = devnet.PlotKeys()
		cfg.Farming = farmer.FarmingConfig{PlotDirs: []string{plots}, RewardAddress: owner, PoolContracts: []uint64{id}, DataDir: dir}
		cfg.Server.Listen = "" // a free port is given on each start
		bz, err := daemonkit.EncodeTOML("guildd dev's farmer", cfg)
		if err != nil {
			return "", nil, err
		}
		if err := os.WriteFile(cfgPath, bz, 0o644); err != nil {
			return "", nil, err
		}
	}
	pool, err := demoFarmerPool(ctx, env, c, id)
	if err != nil {
		return "", nil, err
	}
	if err := syncDevFarmerPool(cfgPath, pool); err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			for held(filepath.Join(dir, DevFarmerHold)) {
				if !sleepCtx(ctx, 200*time.Millisecond) {
					return
				}
			}
			err := runDevFarmerOnce(ctx, env, dir, cfgPath, addr)
			if ctx.Err() != nil {
				return
			}
			env.Logf("farmer exited (%v); restarting it\n", err)
			if !sleepCtx(ctx, time.Second) {
				return
			}
		}
	}()
	return "http://" + addr, done, nil
}

func runDevFarmerOnce(ctx context.Context, env DevEnv, dir, cfgPath, addr string) error {
	logf, err := os.OpenFile(filepath.Join(dir, devFarmerLog), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(env.Exe, "farmer", "run", "--config", cfgPath,
		"--rpc", env.Info.RPC, "--chain-id", env.Info.ChainID, "--listen", addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
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
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	return nil
}
