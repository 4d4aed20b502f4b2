package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/daemon/farmer"
	poolclient "github.com/guild-network/guild/daemon/pool/client"
	"github.com/guild-network/guild/internal/daemonkit"
)

// Flag names of `guildd farmer run/status` for farming to a pool.
const (
	flagFarmerPoolURL    = "pool-url"
	flagFarmerPoolOwner  = "pool-owner-key"
	flagFarmerPoolAuth   = "pool-auth-key"
	flagFarmerPoolPayout = "pool-payout-address"
)

// farmerPoolFlags adds the pool flags to a farmer command.
func farmerPoolFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String(flagFarmerPoolURL, "", "pool server url: every pool contract of the farmer farms to it (after join-pool on chain)")
	f.String(flagFarmerPoolOwner, "", "ed25519 key of the pool contracts' owner (signs the farmer's pool records)")
	f.String(flagFarmerPoolAuth, "", "ed25519 authentication key for the pool (signs partials with the plot key); default the owner key")
	f.String(flagFarmerPoolPayout, "", "address the pool pays to; default the farmer's reward address")
}

// farmerPool returns the pool client of a farmer command, or nil when the configuration's
// [pool] url (or --pool-url) is empty. It signs with the keyring's plot keys, the owner key and
// the authentication key.
func farmerPool(cmd *cobra.Command, cfg farmer.Config, chain *farmer.RPCChain) (*poolclient.Client, error) {
	url, owner, auth, payout := cfg.Pool.URL, cfg.Pool.OwnerKey, cfg.Pool.AuthKey, cfg.Pool.PayoutAddress
	if url == "" {
		return nil, nil
	}
	if owner == "" {
		return nil, fmt.Errorf("--%s needs --%s", flagFarmerPoolURL, flagFarmerPoolOwner)
	}
	if auth == "" {
		auth = owner
	}
	if payout == "" {
		payout = cfg.Farming.RewardAddress
	}
	signer, err := poolclient.NewKeyringSigner(chain.Client().Keyring, cfg.Chain.PlotKeys...)
	if err != nil {
		return nil, err
	}
	ownerPub, err := signer.Add(owner)
	if err != nil {
		return nil, err
	}
	authPub, err := signer.Add(auth)
	if err != nil {
		return nil, err
	}
	var members []poolclient.Member
	for _, id := range cfg.Farming.PoolContracts {
		members = append(members, poolclient.Member{ContractID: id, OwnerPublicKey: ownerPub, AuthPublicKey: authPub, PayoutAddress: payout})
	}
	host, _ := os.Hostname()
	return poolclient.New(url, signer, members, host+":"+cfg.Farming.DataDir, nil), nil
}

// runFarmerWithPool runs the farmer, and the pool client beside it when there is one.
func runFarmerWithPool(ctx context.Context, f *farmer.Farmer, pc *poolclient.Client) error {
	if pc == nil {
		return f.Run(ctx)
	}
	return daemonkit.Run(ctx, f.Run, pc.Run)
}

// farmerOptionsWithPool sets the farmer's pool client (a nil client stays a nil interface).
func farmerOptionsWithPool(o farmer.Options, pc *poolclient.Client) farmer.Options {
	if pc != nil {
		o.Pool = pc
	}
	return o
}

// printFarmerPoolStatus reads each pool contract's record from the pool and prints it.
func printFarmerPoolStatus(ctx context.Context, out io.Writer, pc *poolclient.Client) error {
	if pc == nil {
		return nil
	}
	if _, err := pc.PoolInfo(ctx); err != nil {
		fmt.Fprintf(out, "pool\tunreachable: %v\n", err)
		return nil
	}
	for _, st := range pc.Status() {
		if _, err := pc.Farmer(ctx, st.ContractID); err != nil {
			fmt.Fprintf(out, "pool contract %d\t%s\terror: %v\n", st.ContractID, st.PoolURL, err)
		}
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, st := range pc.Status() {
		fmt.Fprintf(tw, "pool contract %d\t%s\tjoined=%v\tdifficulty %d\tpoints %d\n", st.ContractID, st.PoolURL, st.Joined, st.Difficulty, st.Points)
	}
	return tw.Flush()
}
