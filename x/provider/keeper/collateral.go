package keeper

import (
	"context"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// ReasonSeize is the EventBondChanged reason of a bond seized by the provider's module owner.
const ReasonSeize = "seize"

// ProviderBonds is the sum of the bonds of a provider's nodes (whatever their status or
// leases). It fails with ErrProviderNotFound for an unknown provider.
func (k Keeper) ProviderBonds(ctx context.Context, provider string) (sdk.Coins, error) {
	if _, err := k.GetProvider(ctx, provider); err != nil {
		return nil, err
	}
	ids, err := k.providerNodeIDs(ctx, provider)
	if err != nil {
		return nil, err
	}
	total := sdk.NewCoins()
	for _, id := range ids {
		n, err := k.nodes.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if n.Bond.IsValid() && n.Bond.IsPositive() {
			total = total.Add(n.Bond)
		}
	}
	return total, nil
}

// SeizeBonds moves the whole bond of every node of a provider to its owner, also for nodes with
// live leases: it is how a credit agent that owns a provider liquidates it at default. Only the
// owner may call it (for a module-owned provider, only that module can pass its address). The
// leases keep running; the nodes are simply unbonded from then on. It returns what was moved.
func (k Keeper) SeizeBonds(ctx context.Context, provider, owner string) (sdk.Coins, error) {
	p, err := k.ownedProvider(ctx, provider, owner)
	if err != nil {
		return nil, err
	}
	ids, err := k.providerNodeIDs(ctx, provider)
	if err != nil {
		return nil, err
	}
	var nodes []types.Node
	total := sdk.NewCoins()
	for _, id := range ids {
		n, err := k.nodes.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if n.Bond.IsValid() && n.Bond.IsPositive() {
			nodes = append(nodes, n)
			total = total.Add(n.Bond)
		}
	}
	if total.IsZero() {
		return total, nil
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, sdk.MustAccAddressFromBech32(p.Owner), total); err != nil {
		return nil, err
	}
	for _, n := range nodes {
		seized := n.Bond
		n.Bond = sdk.NewCoin(seized.Denom, sdkmath.ZeroInt())
		if err := k.nodes.Set(ctx, n.Id, n); err != nil {
			return nil, err
		}
		if err := modkit.Emit(ctx, &types.EventBondChanged{NodeId: n.Id, Delta: "-" + seized.String(), Bond: n.Bond, Reason: ReasonSeize}); err != nil {
			return nil, err
		}
	}
	return total, nil
}

// providerNodeIDs lists a provider's node ids in order.
func (k Keeper) providerNodeIDs(ctx context.Context, provider string) ([]uint64, error) {
	return k.nodes.Indexes.Provider.PrimaryKeys(ctx, provider, 0)
}
