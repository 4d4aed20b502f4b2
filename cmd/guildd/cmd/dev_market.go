package cmd

import (
	"context"
	"fmt"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/feegrant"

	"github.com/guild-network/guild/internal/chainclient"
	"github.com/guild-network/guild/internal/devnet"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func init() { devAfterLive = append(devAfterLive, setupDemoProvider) }

const gib = 1 << 30

// DemoNodeCapacity is the demo node's capacity: 8 cores, 16 GiB of memory, 200 GiB of disk.
var DemoNodeCapacity = providertypes.Resources{CpuMilli: 8000, MemoryBytes: 16 * gib, StorageBytes: 200 * gib}

// Demo prices in uusdc per unit per second. They are far above any real price so that money
// visibly moves within the seconds of README's walkthrough: a 3 GiB volume earns 3 uusdc a
// second, and a week of cover (the booking rule) is 1.8 USDC.
const (
	DemoVMPrice     = "2" // one VM unit: 1 core, 2 GiB of memory, 10 GiB of disk
	DemoVolumePrice = "1" // one GiB of volume
)

// setupDemoProvider registers the demo provider once per devnet: one node keyed by the `node`
// demo key with a 20 GLD bond, a fee grant so the node's reports cost it nothing, a VM offer and
// a volume offer priced in uusdc at the demo prices.
func setupDemoProvider(ctx context.Context, env DevEnv) error {
	c, err := chainclient.New(chainclient.Config{RPC: env.Info.RPC, ChainID: env.Info.ChainID, KeyringDir: env.Info.Home})
	if err != nil {
		return err
	}
	provider := env.Info.Accounts[devnet.Provider]
	providerAddr, err := sdk.AccAddressFromBech32(provider)
	if err != nil {
		return err
	}
	rec, err := c.Keyring.Key(devnet.Node)
	if err != nil {
		return err
	}
	pub, err := rec.GetPubKey()
	if err != nil {
		return err
	}
	nodeAddr, err := rec.GetAddress()
	if err != nil {
		return err
	}
	q := providertypes.NewQueryClient(c.Context())
	// Each step runs only if an earlier (possibly interrupted) run did not finish it.
	if _, err := q.Provider(ctx, &providertypes.QueryProviderRequest{Address: provider}); err != nil {
		grant, err := feegrant.NewGrant(providerAddr, nodeAddr, &feegrant.BasicAllowance{})
		if err != nil {
			return err
		}
		msgs := []sdk.Msg{
			&providertypes.MsgRegisterProvider{Creator: provider, Moniker: "demo-provider", HostUri: "http://127.0.0.1",
				Attributes: []providertypes.Attribute{{Key: "region", Value: "local"}}},
			&providertypes.MsgAddNode{Signer: provider, Provider: provider, PubKey: pub.Bytes(), Capacity: DemoNodeCapacity,
				Bond: sdk.NewInt64Coin("ugld", 20_000_000)},
			&feegrant.MsgGrantAllowance{Granter: grant.Granter, Grantee: grant.Grantee, Allowance: grant.Allowance},
		}
		if _, err := c.Submit(ctx, devnet.Provider, msgs); err != nil {
			return fmt.Errorf("register demo provider: %w", err)
		}
	}
	nodes, err := q.Nodes(ctx, &providertypes.QueryNodesRequest{Provider: provider})
	if err != nil || len(nodes.Nodes) == 0 {
		return fmt.Errorf("demo node not found: %v", err)
	}
	nodeID := nodes.Nodes[0].Id
	offers, err := q.Offers(ctx, &providertypes.QueryOffersRequest{Provider: provider})
	if err != nil {
		return err
	}
	if len(offers.Offers) == 0 {
		msgs := []sdk.Msg{
			&providertypes.MsgAddOffer{Signer: provider, NodeId: nodeID, Kind: providertypes.OFFER_KIND_VM,
				Resources: providertypes.Resources{CpuMilli: 1000, MemoryBytes: 2 * gib, StorageBytes: 10 * gib},
				Price:     sdk.NewDecCoinFromDec("uusdc", sdkmath.LegacyMustNewDecFromStr(DemoVMPrice)), Units: 6},
			&providertypes.MsgAddOffer{Signer: provider, NodeId: nodeID, Kind: providertypes.OFFER_KIND_VOLUME,
				Resources: providertypes.Resources{StorageBytes: gib},
				Price:     sdk.NewDecCoinFromDec("uusdc", sdkmath.LegacyMustNewDecFromStr(DemoVolumePrice)), Units: 100},
		}
		if _, err := c.Submit(ctx, devnet.Provider, msgs); err != nil {
			return fmt.Errorf("demo offers: %w", err)
		}
	}
	// A heartbeat on every start brings the node online until its agent takes over.
	hb := []sdk.Msg{&providertypes.MsgHeartbeat{NodeAccount: nodeAddr.String(), NodeId: nodeID}}
	if _, err := c.Submit(ctx, devnet.Node, hb, chainclient.WithFeeGranter(providerAddr)); err != nil {
		return fmt.Errorf("demo node heartbeat: %w", err)
	}
	env.Logf("demo provider %s with node %d (key %q), a vm offer and a volume offer\n",
		provider, nodeID, devnet.Node)
	return nil
}
