package integration

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

const gib = uint64(1) << 30

// world is the cast of a scenario: providers with nodes and offers, and tenants with
// stablecoin. Everything is created through messages in the first blocks.
type world struct {
	c         *chain
	providers []sdk.AccAddress
	tenants   []sdk.AccAddress
	// nodeAccounts maps a node id to the account of its key (the only signer of its reports).
	nodeAccounts map[uint64]string
	nodeIDs      []uint64
	gov          string
}

var (
	tenantFunds = map[string]int64{"tenant-rich": 20_000_000, "tenant-mid": 200_000, "tenant-poor": 9_000}
	tenantNames = []string{"tenant-rich", "tenant-mid", "tenant-poor"}
	provNames   = []string{"prov-a", "prov-b"}
)

// scenarioParams shorten the market's periods so that a few hours of block time cover every
// state: an hour of cover, 15 minutes of grace, 2 minutes to deploy, 10 minutes of notice.
func scenarioParams(p *markettypes.Params) {
	p.MinCover = 3600
	p.GracePeriod = 900
	p.DeployTimeout = 120
	p.ProviderNotice = 600
	p.MaxDuePerBlock = 3 // small, so that due queues are walked over several blocks
}

func nodeCapacity() providertypes.Resources {
	return providertypes.Resources{CpuMilli: 8000, MemoryBytes: 16 * gib, StorageBytes: 200 * gib}
}

func vmUnit() providertypes.Resources {
	return providertypes.Resources{CpuMilli: 1000, MemoryBytes: 2 * gib, StorageBytes: 10 * gib}
}

func volumeUnit() providertypes.Resources { return providertypes.Resources{StorageBytes: 20 * gib} }

// newWorld starts a chain and creates the cast: two providers with two nodes each (bonded), a
// VM and a volume offer per node, and three tenants who deposit part of their funds.
func newWorld(t testing.TB) *world {
	t.Helper()
	var accounts []funded
	for _, p := range provNames {
		accounts = append(accounts, funded{addr(p), sdk.NewCoins(sdk.NewInt64Coin(gld, 100_000_000))})
	}
	for _, name := range tenantNames {
		accounts = append(accounts, funded{addr(name), sdk.NewCoins(sdk.NewInt64Coin(usdc, tenantFunds[name]))})
	}
	c := newChain(t, accounts, scenarioParams)
	w := &world{c: c, nodeAccounts: map[uint64]string{}, gov: authtypes.NewModuleAddress(govtypes.ModuleName).String()}
	ctx := c.ctxAt(c.now.Add(5 * time.Second))
	check := c.checker(&ctx)
	for _, p := range provNames {
		pa := addr(p)
		w.providers = append(w.providers, pa)
		check.OK(func(ctx sdk.Context) error {
			_, err := c.deliver(ctx, &providertypes.MsgRegisterProvider{Creator: pa.String(), Moniker: p, HostUri: "https://" + p + ".example"})
			return err
		}, &providertypes.EventProviderRegistered{})
		for i, suffix := range []string{"-n1", "-n2"} {
			key := nodeKey(p + suffix)
			var id uint64
			check.OK(func(ctx sdk.Context) error {
				res, err := c.deliver(ctx, &providertypes.MsgAddNode{Signer: pa.String(), Provider: pa.String(),
					PubKey: key.Public().(ed25519.PublicKey), Capacity: nodeCapacity(),
					Bond: sdk.NewInt64Coin(gld, 12_000_000+int64(i)*1_000_000)})
				if err != nil {
					return err
				}
				var r providertypes.MsgAddNodeResponse
				require.NoError(t, r.Unmarshal(res.MsgResponses[0].Value))
				id = r.NodeId
				w.nodeAccounts[id] = r.NodeAccount
				return nil
			}, &providertypes.EventNodeAdded{})
			w.nodeIDs = append(w.nodeIDs, id)
			for _, o := range []*providertypes.MsgAddOffer{
				{Signer: pa.String(), NodeId: id, Kind: providertypes.OFFER_KIND_VM, Resources: vmUnit(),
					Price: sdk.NewDecCoinFromDec(usdc, dec("0.5")), Units: 6},
				{Signer: pa.String(), NodeId: id, Kind: providertypes.OFFER_KIND_VOLUME, Resources: volumeUnit(),
					Price: sdk.NewDecCoinFromDec(usdc, dec("0.0375")), Units: 5},
			} {
				check.OK(func(ctx sdk.Context) error { _, err := c.deliver(ctx, o); return err }, &providertypes.EventOfferAdded{})
			}
		}
	}
	for _, name := range tenantNames {
		ta := addr(name)
		w.tenants = append(w.tenants, ta)
		check.OK(func(ctx sdk.Context) error {
			_, err := c.deliver(ctx, &markettypes.MsgDeposit{Tenant: ta.String(), Amount: sdk.NewInt64Coin(usdc, tenantFunds[name]/2)})
			return err
		}, &markettypes.EventDeposit{})
	}
	c.block(5 * time.Second)
	require.NoError(t, c.invariants(c.committedCtx()))
	return w
}
