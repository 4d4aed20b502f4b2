package cmd

import (
	"context"
	"fmt"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/devnet"
	providertypes "github.com/guild-network/guild/x/provider/types"
	vaulttypes "github.com/guild-network/guild/x/vault/types"
)

// The demo vault is a dev service (not an after-live hook) so that `--without vault` leaves the
// demo provider out of custody, for people and tests that want to take it into a vault
// themselves.
func init() {
	devGenesisPatches = append(devGenesisPatches, devnet.VaultPatch)
	devServices = append(devServices, DevService{Name: "vault", Start: startDemoVault})
}

func startDemoVault(ctx context.Context, env DevEnv) (string, <-chan struct{}, error) {
	id, account, err := setupDemoVault(ctx, env)
	if err != nil {
		return "", nil, err
	}
	done := make(chan struct{})
	go func() { <-ctx.Done(); close(done) }()
	return fmt.Sprintf("vault %d (account %s, nft class %s) holding the demo provider", id, account, vaulttypes.ClassID(id)), done, nil
}

// setupDemoVault creates, once per devnet, a vault that holds the demo provider in custody, with
// a deposit from investor. Each step runs only if an earlier (possibly interrupted) run did not.
func setupDemoVault(ctx context.Context, env DevEnv) (uint64, string, error) {
	c, err := chainclient.New(chainclient.Config{RPC: env.Info.RPC, ChainID: env.Info.ChainID, KeyringDir: env.Info.Home})
	if err != nil {
		return 0, "", err
	}
	provider := env.Info.Accounts[devnet.Provider]
	investor := env.Info.Accounts[devnet.Investor]
	q := vaulttypes.NewQueryClient(c.Context())
	find := func() (*vaulttypes.Vault, error) {
		res, err := q.Vaults(ctx, &vaulttypes.QueryVaultsRequest{})
		if err != nil {
			return nil, err
		}
		for i := range res.Vaults {
			if res.Vaults[i].Provider == provider {
				return &res.Vaults[i], nil
			}
		}
		return nil, nil
	}
	v, err := find()
	if err != nil {
		return 0, "", err
	}
	if v == nil {
		terms := vaulttypes.Terms{
			OperatorFeeBps: devnet.DemoVaultOperatorFee, MinDeposit: sdkmath.NewInt(devnet.DemoVaultMinDeposit),
			DepositCap: sdkmath.NewInt(devnet.DemoVaultCap), LockPeriod: devnet.DemoVaultLock,
			EarlyExitFeeBps: devnet.DemoVaultEarlyExitFee, LiquidityReserveBps: devnet.DemoVaultReserve,
		}
		gov := vaulttypes.Governance{QuorumBps: 3000, ThresholdBps: 5000, VotingPeriod: devnet.DemoVaultVoting}
		msg := &vaulttypes.MsgCreateVault{Operator: provider, Provider: provider, Terms: terms, Governance: gov}
		if _, err := c.Submit(ctx, devnet.Provider, []sdk.Msg{msg}); err != nil {
			return 0, "", fmt.Errorf("create demo vault: %w", err)
		}
		if v, err = find(); err != nil || v == nil {
			return 0, "", fmt.Errorf("demo vault not found after creation: %v", err)
		}
	}
	if v.Status == vaulttypes.VaultStatus_VAULT_STATUS_OPEN {
		msgs := []sdk.Msg{
			&providertypes.MsgProposeOwner{Owner: provider, Provider: provider, NewOwner: v.Account},
			&vaulttypes.MsgAcceptCustody{Operator: provider, VaultId: v.Id},
		}
		if _, err := c.Submit(ctx, devnet.Provider, msgs); err != nil {
			return 0, "", fmt.Errorf("demo vault custody: %w", err)
		}
	}
	if v.Positions == 0 {
		msg := &vaulttypes.MsgDeposit{Depositor: investor, VaultId: v.Id, Amount: sdk.NewInt64Coin(vaulttypes.PrincipalDenom, devnet.DemoVaultDeposit)}
		if _, err := c.Submit(ctx, devnet.Investor, []sdk.Msg{msg}); err != nil {
			return 0, "", fmt.Errorf("demo vault deposit: %w", err)
		}
	}
	return v.Id, v.Account, nil
}
