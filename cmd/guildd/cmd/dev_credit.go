package cmd

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/devnet"
	credittypes "github.com/guild-network/guild/x/credit/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func init() {
	devGenesisPatches = append(devGenesisPatches, devnet.CreditGenesisPatch)
	devAfterLive = append(devAfterLive, setupDemoCredit)
	devServices = append(devServices, DevService{Name: "ado", Start: startDevADO})
}

// Demo credit amounts.
const (
	demoPoolDeposit    = 100_000_000_000 // 100,000 GLD from the lender
	demoProvider2Funds = 1_000_000_000   // 1,000 GLD to the second provider
	demoProvider2Bond  = 200_000_000     // 200 GLD bond on its node
)

// setupDemoCredit runs once per devnet (each step only if not done): the credit demo keys in the
// keyring, a ugld pool funded by the lender, and a second demo provider with one bonded node,
// owned by a demo agent (owner provider2, requester key "requester").
func setupDemoCredit(ctx context.Context, env DevEnv) error {
	c, err := chainclient.New(chainclient.Config{RPC: env.Info.RPC, ChainID: env.Info.ChainID, KeyringDir: env.Info.Home})
	if err != nil {
		return err
	}
	if err := devnet.AddCreditKeys(c.Keyring); err != nil {
		return err
	}
	cq := credittypes.NewQueryClient(c.Context())
	lender := env.Info.Accounts[devnet.Lender]
	if _, err := cq.Pool(ctx, &credittypes.QueryPoolRequest{Denom: "ugld"}); err != nil {
		msg := &credittypes.MsgDeposit{Lender: lender, Amount: sdk.NewInt64Coin("ugld", demoPoolDeposit)}
		if _, err := c.Submit(ctx, devnet.Lender, []sdk.Msg{msg}); err != nil {
			return fmt.Errorf("demo pool deposit: %w", err)
		}
	}
	p2addr, err := c.Address(devnet.Provider2)
	if err != nil {
		return err
	}
	p2 := p2addr.String()
	pq := providertypes.NewQueryClient(c.Context())
	if _, err := pq.Provider(ctx, &providertypes.QueryProviderRequest{Address: p2}); err != nil {
		fund := &banktypes.MsgSend{FromAddress: env.Info.Accounts[devnet.Provider], ToAddress: p2,
			Amount: sdk.NewCoins(sdk.NewInt64Coin("ugld", demoProvider2Funds))}
		if _, err := c.Submit(ctx, devnet.Provider, []sdk.Msg{fund}); err != nil {
			return fmt.Errorf("fund %s: %w", devnet.Provider2, err)
		}
		nodePub, err := devnet.Ed25519Public(devnet.Node2)
		if err != nil {
			return err
		}
		msgs := []sdk.Msg{
			&providertypes.MsgRegisterProvider{Creator: p2, Moniker: "demo-provider-2", HostUri: "http://127.0.0.1"},
			&providertypes.MsgAddNode{Signer: p2, Provider: p2, PubKey: nodePub, Capacity: DemoNodeCapacity,
				Bond: sdk.NewInt64Coin("ugld", demoProvider2Bond)},
		}
		if _, err := c.Submit(ctx, devnet.Provider2, msgs); err != nil {
			return fmt.Errorf("register %s: %w", devnet.Provider2, err)
		}
	}
	agents, err := cq.Agents(ctx, &credittypes.QueryAgentsRequest{Owner: p2})
	if err != nil {
		return err
	}
	if len(agents.Agents) == 0 {
		req, err := devnet.Ed25519Public(devnet.Requester)
		if err != nil {
			return err
		}
		_, err = c.Submit(ctx, devnet.Provider2, []sdk.Msg{&credittypes.MsgCreateAgent{Owner: p2, RequesterKey: req}})
		if err != nil {
			return fmt.Errorf("demo agent: %w", err)
		}
		if agents, err = cq.Agents(ctx, &credittypes.QueryAgentsRequest{Owner: p2}); err != nil || len(agents.Agents) == 0 {
			return fmt.Errorf("demo agent not found: %v", err)
		}
	}
	agent := agents.Agents[0]
	if len(agent.Providers) == 0 {
		msgs := []sdk.Msg{
			&providertypes.MsgProposeOwner{Owner: p2, Provider: p2, NewOwner: agent.Address},
			&credittypes.MsgAddProvider{Signer: p2, AgentId: agent.Id, Provider: p2},
		}
		if _, err := c.Submit(ctx, devnet.Provider2, msgs); err != nil {
			return fmt.Errorf("demo agent collateral: %w", err)
		}
	}
	env.Logf("credit pool ugld funded by %s; demo agent %d (%s) holds provider %s (key %q, requester key %q)\n",
		devnet.Lender, agent.Id, agent.Address, p2, devnet.Provider2, devnet.Requester)
	return nil
}

// startDevADO runs `guildd ado serve` as a child process with the devnet's issuer key, its data
// in <home>/ado, on a free loopback port; it is stopped with SIGTERM when the devnet stops.
func startDevADO(ctx context.Context, env DevEnv) (string, <-chan struct{}, error) {
	dir := filepath.Join(env.Info.Home, "ado")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := l.Addr().String()
	l.Close()
	logf, err := os.OpenFile(filepath.Join(dir, "ado.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(env.Exe, "ado", "serve", "--listen", addr, "--grpc", env.Info.GRPC, "--chain-id", env.Info.ChainID,
		"--keyring-dir", env.Info.Home, "--keyring-backend", "test", "--key", devnet.ADOIssuer,
		"--store", filepath.Join(dir, "ado.db"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return "", nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); logf.Close(); close(exited) }()
	// Wait until it listens (or exits).
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); {
		if conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			conn.Close()
			break
		}
		select {
		case <-exited:
			return "", nil, fmt.Errorf("ado exited at start; see %s", filepath.Join(dir, "ado.log"))
		case <-time.After(100 * time.Millisecond):
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-ctx.Done():
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
			}
		case <-exited:
			env.Logf("ado exited; see %s\n", filepath.Join(dir, "ado.log"))
		}
	}()
	return "http://" + addr, done, nil
}
