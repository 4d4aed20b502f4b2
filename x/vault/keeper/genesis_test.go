package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

// TestGenesisRoundTrip: export, import into a fresh store, export again: identical, and every
// index and queue derived again from the objects.
func TestGenesisRoundTrip(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 2_000_000)
	f.deposit(investor(2), v.Id, 1_000_000)
	require.NoError(t, f.k.Pledge(f.ctx, owner(), v.Id, f.nodeID, sdk.NewInt64Coin("ugld", 1_000_000)))
	f.pay(v, sdk.NewInt64Coin("uusdc", 12_345))
	f.harvest(v.Id)
	prop := f.propose(investor(1), p1.Id, types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "s", StrategyVersion: 1})
	f.vote(investor(1), prop.Id, p1.Id, true)

	g, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, g.Validate())

	// A second chain from the same genesis: x/provider, x/nft and balances too.
	g2 := setup(t)
	pg, err := f.prov.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, g2.prov.InitGenesis(g2.ctx, pg))
	g2.nft.InitGenesis(g2.ctx, f.nft.ExportGenesis(f.ctx))
	for a, c := range f.bank.balances {
		g2.bank.balances[a] = c
	}
	require.NoError(t, g2.k.InitGenesis(g2.ctx, g))
	require.NoError(t, g2.k.CheckInvariants(g2.ctx))
	again, err := g2.k.ExportGenesis(g2.ctx)
	require.NoError(t, err)
	require.Equal(t, g, again)
	q1, err := f.q.Proposals(f.ctx, &types.QueryProposalsRequest{VaultId: v.Id})
	require.NoError(t, err)
	q2, err := g2.q.Proposals(g2.ctx, &types.QueryProposalsRequest{VaultId: v.Id})
	require.NoError(t, err)
	require.Equal(t, q1.Proposals, q2.Proposals)
	pos, err := g2.q.Positions(g2.ctx, &types.QueryPositionsRequest{VaultId: v.Id})
	require.NoError(t, err)
	require.Len(t, pos.Positions, 2)

	t.Run("invalid genesis is refused", func(t *testing.T) {
		bad := *g
		bad.Vaults = append([]types.Vault(nil), g.Vaults...)
		bad.Vaults[0].TotalShares = bad.Vaults[0].TotalShares.AddRaw(1)
		require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
		bad = *g
		bad.NextPositionId = 1
		require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
		// Two live vaults for one provider.
		bad = *g
		twin := g.Vaults[0]
		twin.Id, twin.Account, twin.TotalShares, twin.Pledged, twin.Positions = bad.NextVaultId, types.VaultAddress(bad.NextVaultId).String(), sdkmath.ZeroInt(), sdkmath.ZeroInt(), 0
		bad.Vaults = append(append([]types.Vault(nil), g.Vaults...), twin)
		bad.NextVaultId++
		require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
		twin.Status = types.VaultStatus_VAULT_STATUS_RELEASED // a released one beside it is fine
		bad.Vaults[len(bad.Vaults)-1] = twin
		require.NoError(t, bad.Validate())
	})
}
