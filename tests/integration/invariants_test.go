package integration

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

var (
	escrowAddr   = authtypes.NewModuleAddress(markettypes.ModuleName)
	providerAddr = authtypes.NewModuleAddress(providertypes.ModuleName)
)

func addResources(a, b providertypes.Resources, units uint64) providertypes.Resources {
	return providertypes.Resources{
		CpuMilli: a.CpuMilli + b.CpuMilli*units, MemoryBytes: a.MemoryBytes + b.MemoryBytes*units,
		StorageBytes: a.StorageBytes + b.StorageBytes*units, Gpus: a.Gpus + b.Gpus*units,
	}
}

type accountKey struct{ tenant, denom string }

// invariants checks what must hold jointly between x/provider, x/market and x/bank, from their
// exported state:
//
//   - each node's reserved capacity = Σ over its live leases of units × the offer's resources,
//     and its live-lease count = the number of its live leases;
//   - each offer's units_booked = Σ units of its live leases; each market account's live_leases
//     = the number of its live leases;
//   - the escrow account's balance, per denom, = deposited − withdrawn − paid to providers −
//     fees (market totals), and it holds no other denom;
//   - the provider module account's balance = Σ node bonds;
//   - the stablecoin supply never changes (escrow only moves it);
//   - and x/market's own accounting check, while its keeper offers one.
func (c *chain) invariants(ctx sdk.Context) error {
	pg, mg := c.genesis(ctx)
	offers := map[uint64]providertypes.Offer{}
	for _, o := range pg.Offers {
		offers[o.Id] = o
	}
	reserved := map[uint64]providertypes.Resources{}
	liveOnNode := map[uint64]uint64{}
	bookedOnOffer := map[uint64]uint64{}
	liveOfAccount := map[accountKey]uint32{}
	for _, l := range mg.Leases {
		if !markettypes.IsLive(l.State) {
			continue
		}
		o, ok := offers[l.OfferId]
		if !ok {
			return fmt.Errorf("live lease %d on offer %d, which x/provider does not have", l.Id, l.OfferId)
		}
		if o.NodeId != l.NodeId {
			return fmt.Errorf("lease %d on node %d, its offer %d on node %d", l.Id, l.NodeId, o.Id, o.NodeId)
		}
		reserved[l.NodeId] = addResources(reserved[l.NodeId], o.Resources, l.Units)
		liveOnNode[l.NodeId]++
		bookedOnOffer[l.OfferId] += l.Units
		liveOfAccount[accountKey{l.Tenant, l.Denom}]++
	}
	bonds := sdk.NewCoins()
	for _, n := range pg.Nodes {
		if n.Reserved != reserved[n.Id] {
			return fmt.Errorf("node %d: reserved %s, live leases reserve %s", n.Id, mustJSON(n.Reserved), mustJSON(reserved[n.Id]))
		}
		if n.LiveLeases != liveOnNode[n.Id] {
			return fmt.Errorf("node %d: %d live leases in x/provider, %d in x/market", n.Id, n.LiveLeases, liveOnNode[n.Id])
		}
		delete(liveOnNode, n.Id)
		bonds = bonds.Add(n.Bond)
	}
	for node, n := range liveOnNode {
		return fmt.Errorf("%d live leases on node %d, which x/provider does not have", n, node)
	}
	for _, o := range pg.Offers {
		if o.UnitsBooked != bookedOnOffer[o.Id] {
			return fmt.Errorf("offer %d: %d units booked in x/provider, %d in live leases", o.Id, o.UnitsBooked, bookedOnOffer[o.Id])
		}
	}
	for _, a := range mg.Accounts {
		if got := liveOfAccount[accountKey{a.Tenant, a.Denom}]; a.LiveLeases != got {
			return fmt.Errorf("account %s/%s: live_leases %d, leases say %d", a.Tenant, a.Denom, a.LiveLeases, got)
		}
	}

	bank := c.app.BankKeeper
	escrow := bank.GetAllBalances(ctx, escrowAddr)
	want := sdk.NewCoins()
	for _, t := range mg.Totals {
		held := t.Deposited.Sub(t.Withdrawn).Sub(t.PaidToProviders).Sub(t.Fees)
		if held.IsNegative() {
			return fmt.Errorf("%s: totals say %s held", t.Denom, held)
		}
		want = want.Add(sdk.NewCoin(t.Denom, held))
	}
	if !escrow.Equal(want) {
		return fmt.Errorf("escrow account holds %s, market totals say %s", escrow, want)
	}
	if got := bank.GetAllBalances(ctx, providerAddr); !got.Equal(bonds) {
		return fmt.Errorf("provider module account holds %s, node bonds sum to %s", got, bonds)
	}
	if c.usdcSupply.IsNil() {
		c.usdcSupply = bank.GetSupply(ctx, usdc).Amount
	} else if s := bank.GetSupply(ctx, usdc).Amount; !s.Equal(c.usdcSupply) {
		return fmt.Errorf("%s supply changed from %s to %s", usdc, c.usdcSupply, s)
	}
	if err := c.app.ProviderKeeper.CheckInvariants(ctx); err != nil {
		return fmt.Errorf("x/provider: %w", err)
	}
	if mk, ok := any(c.app.MarketKeeper).(interface{ CheckInvariants(context.Context) error }); ok {
		if err := mk.CheckInvariants(ctx); err != nil {
			return fmt.Errorf("x/market: %w", err)
		}
	}
	return nil
}
