// Command marketload measures, on a running devnet, how many market transactions per second
// the chain commits (bookings, then claims) against plain bank sends, signed offline with local
// sequences and broadcast back to back. bench/market.sh starts a devnet and runs it.
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/devnet"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func main() {
	home := flag.String("home", "", "devnet home (reads dev.json)")
	n := flag.Int("n", 400, "transactions per phase")
	flag.Parse()
	if err := run(*home, *n); err != nil {
		fmt.Fprintln(os.Stderr, "marketload:", err)
		os.Exit(1)
	}
}

func run(home string, n int) error {
	ctx := context.Background()
	info, err := devnet.ReadInfo(home)
	if err != nil {
		return err
	}
	c, err := chainclient.New(chainclient.Config{RPC: info.RPC, ChainID: info.ChainID, KeyringDir: home})
	if err != nil {
		return err
	}
	tenant, provider, validator := info.Accounts[devnet.Tenant], info.Accounts[devnet.Provider], info.Accounts[devnet.Validator]
	node := info.Accounts[devnet.Node]
	providerAddr := sdk.MustAccAddressFromBech32(provider)

	// An offer with tiny units so that n bookings fit on the demo node.
	q := providertypes.NewQueryClient(c.Context())
	nodes, err := q.Nodes(ctx, &providertypes.QueryNodesRequest{Provider: provider})
	if err != nil || len(nodes.Nodes) == 0 {
		return fmt.Errorf("demo node: %v", err)
	}
	nodeID := nodes.Nodes[0].Id
	res, err := c.Submit(ctx, devnet.Provider, []sdk.Msg{&providertypes.MsgAddOffer{
		Signer: provider, NodeId: nodeID, Kind: providertypes.OFFER_KIND_VM,
		Resources: providertypes.Resources{CpuMilli: 1}, Units: uint64(4 * n),
		Price: sdk.NewDecCoinFromDec("uusdc", sdkmath.LegacyMustNewDecFromStr("0.001")),
	}})
	if err != nil {
		return err
	}
	var offerID uint64
	fmt.Sscan(res.Attr("guild.provider.v1.EventOfferAdded", "offer_id"), &offerID)
	if _, err := c.Submit(ctx, devnet.Tenant, []sdk.Msg{&markettypes.MsgDeposit{Tenant: tenant, Amount: sdk.NewInt64Coin("uusdc", 100_000_000_000)}}); err != nil {
		return err
	}

	bank, err := phase(ctx, c, devnet.Validator, n, func(i int) sdk.Msg {
		return &banktypes.MsgSend{FromAddress: validator, ToAddress: tenant, Amount: sdk.NewCoins(sdk.NewInt64Coin("ugld", 1))}
	})
	if err != nil {
		return fmt.Errorf("bank phase: %w", err)
	}
	hash := sha256.Sum256([]byte("load"))
	book, err := phase(ctx, c, devnet.Tenant, n, func(i int) sdk.Msg {
		return &markettypes.MsgBook{Tenant: tenant, OfferId: offerID, Units: 1, DeploymentHash: hash[:], DeploymentData: fmt.Sprint(i)}
	})
	if err != nil {
		return fmt.Errorf("book phase: %w", err)
	}
	// Deploy every booked lease (untimed), so that claims have something to pay.
	leases, err := markettypes.NewQueryClient(c.Context()).Leases(ctx, &markettypes.QueryLeasesRequest{
		Tenant: tenant, State: markettypes.LEASE_STATE_PENDING, Pagination: &query.PageRequest{Limit: uint64(n)},
	})
	if err != nil {
		return err
	}
	if _, err := phase(ctx, c, devnet.Node, len(leases.Leases), func(i int) sdk.Msg {
		return &markettypes.MsgReportDeployment{NodeAccount: node, LeaseId: leases.Leases[i].Id, Result: markettypes.DEPLOYMENT_RESULT_DEPLOYED}
	}, chainclient.WithFeeGranter(providerAddr)); err != nil {
		return fmt.Errorf("deploy phase: %w", err)
	}
	time.Sleep(2 * time.Second)
	claim, err := phase(ctx, c, devnet.Provider, len(leases.Leases), func(i int) sdk.Msg {
		return &markettypes.MsgClaim{Sender: provider, LeaseId: leases.Leases[i].Id}
	})
	if err != nil {
		return fmt.Errorf("claim phase: %w", err)
	}
	claims := len(leases.Leases)
	market := float64(n+claims) / (book.Seconds() + claim.Seconds()) // bookings and claims together
	fmt.Printf("bank sends:      %4d tx in %6.2fs = %7.1f tx/s\n", n, bank.Seconds(), float64(n)/bank.Seconds())
	fmt.Printf("market bookings: %4d tx in %6.2fs = %7.1f tx/s\n", n, book.Seconds(), float64(n)/book.Seconds())
	fmt.Printf("market claims:   %4d tx in %6.2fs = %7.1f tx/s\n", len(leases.Leases), claim.Seconds(), float64(len(leases.Leases))/claim.Seconds())
	ratio := market / (float64(n) / bank.Seconds())
	fmt.Printf("market (book+claim) vs bank: %.1f vs %.1f tx/s, ratio %.2f (target >= 0.80)\n", market, float64(n)/bank.Seconds(), ratio)
	return nil
}

// phase broadcasts n transactions from one key back to back and returns the time until the
// last one is committed.
func phase(ctx context.Context, c *chainclient.Client, from string, n int, msg func(int) sdk.Msg, opts ...chainclient.TxOption) (time.Duration, error) {
	if n == 0 {
		return 0, nil
	}
	seq, err := c.NewSequencer(ctx, from, 400_000, opts...)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	var last string
	for i := 0; i < n; i++ {
		if last, err = seq.Broadcast(ctx, msg(i)); err != nil {
			return 0, fmt.Errorf("tx %d: %w", i, err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	if _, err := c.WaitTx(wctx, last); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
