package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/farmer"
	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/daemonkit"
	"github.com/guild-network/guild/internal/devnet"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// devPoolJoined, in <home>/farmer, records that the demo contract joined the dev pool once: a
// contract that left the pool since is not joined again on restart.
const devPoolJoined = "pool-joined"

// devPoolEnabled reports whether this devnet runs its pool server: not --without pool, and not
// a detached localnet (which runs no services).
func devPoolEnabled(env DevEnv) bool {
	if env.Flags == nil {
		return true
	}
	if detach, err := env.Flags.GetBool(flagDetach); err == nil && detach {
		return false
	}
	without, err := env.Flags.GetStringSlice(flagWithout)
	return err != nil || !slices.Contains(without, "pool")
}

// joinDemoPool points the demo farmer's pool contract (id) at the devnet's pool server, once per
// devnet (idempotent on restart), and gives the farmer a second, self-pooling contract for the
// self-pooling demo. Without the pool server (--without pool), the demo contract self-pools.
func joinDemoPool(ctx context.Context, env DevEnv, c *chainclient.Client, id uint64, ownerPub []byte) error {
	if !devPoolEnabled(env) {
		return nil
	}
	cfg, _, err := ensureDevPoolConfig(env)
	if err != nil {
		return err
	}
	owner := env.Info.Accounts[devnet.Farmer]
	marker := filepath.Join(env.Info.Home, "farmer", devPoolJoined)
	pc, err := farmingtypes.NewQueryClient(c.Context()).PoolContract(ctx, &farmingtypes.QueryPoolContractRequest{Id: id})
	if err != nil {
		return err
	}
	_, statErr := os.Stat(marker)
	if pc.PoolContract.State == farmingtypes.POOL_STATE_SELF_POOLING && errors.Is(statErr, os.ErrNotExist) {
		msg := &farmingtypes.MsgJoinPool{Owner: owner, PoolContractId: id, Target: cfg.Pool.Address,
			PoolUrl: cfg.Pool.URL, RelativeLock: cfg.Pool.RelativeLock}
		if _, err := c.Submit(ctx, devnet.Farmer, []sdk.Msg{msg}); err != nil {
			return fmt.Errorf("demo pool contract %d joining the dev pool: %w", id, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(marker), 0o750); err != nil {
		return err
	}
	if err := os.WriteFile(marker, []byte(cfg.Pool.URL+"\n"), 0o644); err != nil {
		return err
	}
	// The self-pooling demo: a second contract of the farmer (no plots are bound to it).
	res, err := farmingtypes.NewQueryClient(c.Context()).PoolContractsByOwner(ctx, &farmingtypes.QueryPoolContractsByOwnerRequest{Owner: owner})
	if err != nil {
		return err
	}
	if len(res.PoolContracts) < 2 {
		if _, err := c.Submit(ctx, devnet.Farmer, []sdk.Msg{&farmingtypes.MsgCreatePoolContract{Owner: owner, OwnerPublicKey: ownerPub}}); err != nil {
			return fmt.Errorf("self-pooling demo contract: %w", err)
		}
	}
	env.Logf("farmer %s farms pool contract %d to the dev pool at %s\n", owner, id, cfg.Pool.URL)
	return nil
}

// demoFarmerPool returns the [pool] section of the demo farmer's configuration: the dev pool and
// the owner key when its contract farms to the dev pool; empty when it self-pools (or left).
func demoFarmerPool(ctx context.Context, env DevEnv, c *chainclient.Client, id uint64) (farmer.PoolConfig, error) {
	if !devPoolEnabled(env) {
		return farmer.PoolConfig{}, nil
	}
	cfg, _, err := ensureDevPoolConfig(env)
	if err != nil {
		return farmer.PoolConfig{}, err
	}
	pc, err := farmingtypes.NewQueryClient(c.Context()).PoolContract(ctx, &farmingtypes.QueryPoolContractRequest{Id: id})
	if err != nil {
		return farmer.PoolConfig{}, err
	}
	if pc.PoolContract.State == farmingtypes.POOL_STATE_SELF_POOLING || pc.PoolContract.Target != cfg.Pool.Address {
		return farmer.PoolConfig{}, nil
	}
	return farmer.PoolConfig{URL: cfg.Pool.URL, OwnerKey: devnet.PlotKeys()[0]}, nil
}

// syncDevFarmerPool writes pool into the [pool] section of the farmer's configuration at path
// when it differs, so that `guildd farmer run` and `guildd farmer status --config path` both use
// the pool the demo contract farms to (the rest of the file is kept).
func syncDevFarmerPool(path string, pool farmer.PoolConfig) error {
	cfg, err := daemonkit.LoadTOML(path, farmer.DefaultConfig(filepath.Dir(path)))
	if err != nil {
		return err
	}
	if cfg.Pool == pool {
		return nil
	}
	cfg.Pool = pool
	bz, err := daemonkit.EncodeTOML("guildd dev's farmer", cfg)
	if err != nil {
		return err
	}
	return os.WriteFile(path, bz, 0o644)
}
