package keeper_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/credit/types"
	markettypes "github.com/guild-network/guild/x/market/types"
	providerkeeper "github.com/guild-network/guild/x/provider/keeper"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func uusdc(n int64) sdk.Coin { return sdk.NewInt64Coin("uusdc", n) }

// leaseOnProvider has "payer" book n one-unit leases of a 1 uusdc/s offer on the agent's
// provider's node, and the node report them deployed: from then on the provider earns n uusdc a
// second, unclaimed.
func (f *fixture) leaseOnProvider(n int) []uint64 {
	prov := addr("provider")
	offer, err := f.prov.AddOffer(f.ctx, prov, providerkeeper.NewOffer{NodeID: 1, Kind: providertypes.OFFER_KIND_VM,
		Resources: providertypes.Resources{CpuMilli: 10, MemoryBytes: 1 << 20, StorageBytes: 1 << 20},
		Price:     sdk.NewDecCoinFromDec("uusdc", sdkmath.LegacyOneDec()), Units: uint64(n)})
	require.NoError(f.t, err)
	require.NoError(f.t, f.mk.Deposit(f.ctx, addr("payer"), uusdc(50_000_000)))
	nodeAccount, err := providertypes.NodeAccount(seedKey("node").Public().(ed25519.PublicKey))
	require.NoError(f.t, err)
	var ids []uint64
	for range n {
		id, err := f.mk.Book(f.ctx, addr("payer"), offer, 1, markettypes.Deployment{Hash: make([]byte, 32)}, "")
		require.NoError(f.t, err)
		require.NoError(f.t, f.mk.ReportDeployment(f.ctx, nodeAccount, id, markettypes.DEPLOYMENT_RESULT_DEPLOYED, ""))
		ids = append(ids, id)
	}
	return ids
}

func (f *fixture) chainCollateral(agent uint64, denom string) *types.QueryChainCollateralResponse {
	res, err := f.q.ChainCollateral(f.ctx, &types.QueryChainCollateralRequest{AgentId: agent, Denom: denom})
	require.NoError(f.t, err)
	return res
}

// TestUnclaimedEarningsAreCollateral: an agent whose only uusdc is its provider's unclaimed
// market earnings borrows uusdc against them (a borrow that fails without them), and at default
// the waterfall claims them and pays the loan from them.
func TestUnclaimedEarningsAreCollateral(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), uusdc(10_000_000))
	require.NoError(t, err)
	id, agentAddr := f.agentWithProvider(2_000_000) // the bond is ugld: no uusdc collateral
	owner := addr("owner")
	f.leaseOnProvider(1)
	borrow := func(sc types.SignedCredential) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Borrow(ctx, &types.MsgBorrow{Signer: owner, AgentId: id, Amount: uusdc(200_000), Credential: sc})
			return err
		}
	}
	// Nothing earned yet: 200,000 borrowed against the 200,000 it brings is 100% DTL.
	cc := f.chainCollateral(id, "uusdc")
	require.True(t, cc.Total.IsZero())
	f.check.Fails(types.ErrDTLExceeded, borrow(f.cred(id, types.ActionBorrow, "200000uusdc", "", 200_000,
		func(c *types.Credential) { c.Data.CollateralValue = sdkmath.NewInt(200_000) })))

	f.advance(100_000, 10) // 1 uusdc/s for 100,000 s, unclaimed
	cc = f.chainCollateral(id, "uusdc")
	require.Equal(t, int64(94_998), cc.Earnings.Int64(), "floor((100,000 − 1) × 0.95) − 1: the market's lower bound net of its fee")
	require.Equal(t, cc.Earnings, cc.Total)
	require.Len(t, cc.Providers, 1)
	require.Equal(t, uint64(1), cc.Providers[0].ClaimPages)
	mb, err := f.q.MaxBorrow(f.ctx, &types.QueryMaxBorrowRequest{AgentId: id, Denom: "uusdc"})
	require.NoError(t, err)
	require.Equal(t, int64(284_994), mb.Max.Int64(), "0.75 × 94,998 / 0.25: borrowed funds count as collateral")
	// A credential above what the chain sees (earnings + the borrow) is refused …
	f.check.Fails(types.ErrCollateralTooHigh, borrow(f.cred(id, types.ActionBorrow, "200000uusdc", "", f.chainSeenIn(id, "uusdc", 200_001))))
	// … and at what it sees the borrow fits, only because of the earnings.
	f.check.OK(borrow(f.cred(id, types.ActionBorrow, "200000uusdc", "", f.chainSeenIn(id, "uusdc", 200_000))),
		&types.EventCredentialUsed{}, &types.EventBorrowed{})
	require.Equal(t, int64(200_000), f.balance(agentAddr, "uusdc").Int64())

	// Default, proven by a credential valuing the agent lower: the waterfall claims the lease
	// (100,000 owed, 5,000 community fee), seizes the bond, and pays the debt from the 295,000.
	ownerUSDC, ownerGLD := f.balance(owner, "uusdc"), f.balance(owner, "ugld")
	agent, err := f.q.Agent(f.ctx, &types.QueryAgentRequest{AgentId: id})
	require.NoError(t, err)
	debt := agent.Loans[0].Debt
	sd := f.cred(id, types.ActionSetDefault, "", "", 100_000)
	var ls []types.Liquidation
	f.check.OK(func(ctx sdk.Context) (err error) {
		ls, err = f.k.SetDefault(ctx, id, &sd)
		return err
	}, &types.EventAgentStateChanged{}, &markettypes.EventPayment{}, &types.EventLiquidated{})
	require.Len(t, ls, 1)
	l := ls[0]
	require.Equal(t, int64(295_000), l.Recovered.Int64(), "200,000 borrowed + 95,000 claimed earnings")
	require.Equal(t, int64(200_000), l.PrincipalPaid.Int64())
	require.Equal(t, debt, l.InterestPaid.Add(l.PrincipalPaid))
	fee := debt.MulRaw(1000).AddRaw(9999).QuoRaw(10_000)
	require.Equal(t, fee, l.Fee, "10% of the debt, rounded up")
	rest := sdkmath.NewInt(295_000).Sub(debt).Sub(fee)
	require.Equal(t, rest, l.ReturnedToOwner)
	require.Equal(t, ownerUSDC.Add(rest), f.balance(owner, "uusdc"))
	require.Equal(t, ownerGLD.AddRaw(2_000_000), f.balance(owner, "ugld"), "the seized bond goes back to the owner")
	require.True(t, f.balance(agentAddr, "uusdc").IsZero())
	e, err := f.mk.ProviderEarnings(f.ctx, addr("provider"), "uusdc")
	require.NoError(t, err)
	require.True(t, e.Gross.IsZero(), "nothing left unclaimed")
}

// TestEarningsBeyondTheWaterfallDoNotCount: earnings of a provider with more live leases than
// the default waterfall claims (10 pages) are not counted, since they could not be seized.
func TestEarningsBeyondTheWaterfallDoNotCount(t *testing.T) {
	f := newFixture(t)
	id, _ := f.agentWithProvider(2_000_000)
	mp, err := f.mk.GetParams(f.ctx)
	require.NoError(t, err)
	mp.MaxClaimPage = 1
	require.NoError(t, f.mk.UpdateParams(f.ctx, f.gov, mp))
	f.leaseOnProvider(11)
	f.advance(1_000, 1)
	cc := f.chainCollateral(id, "uusdc")
	require.Equal(t, uint64(11), cc.Providers[0].ClaimPages)
	require.True(t, cc.Earnings.IsZero(), "11 pages of leases: more than the waterfall claims")
	// Ten leases fit: one lease closes and the earnings count again.
	require.NoError(t, f.mk.CancelLease(f.ctx, addr("payer"), 11, markettypes.ReasonTenantDone, ""))
	cc = f.chainCollateral(id, "uusdc")
	require.Equal(t, uint64(10), cc.Providers[0].ClaimPages)
	require.Equal(t, markettypes.NetEarnings(sdkmath.LegacyNewDec(10*1_000), 10, mp.CommunityFeeBps), cc.Earnings)
	require.True(t, cc.Earnings.IsPositive())
}

// TestRemoveProviderDropsItsEarnings: a remove-provider credential may not count the earnings
// of the provider it removes.
func TestRemoveProviderDropsItsEarnings(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), uusdc(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	f.leaseOnProvider(1)
	f.advance(100_000, 10)
	seen := f.chainSeenIn(id, "uusdc", 10_000)
	_, err = f.k.Borrow(f.ctx, owner, id, uusdc(10_000), f.cred(id, types.ActionBorrow, "10000uusdc", "", seen))
	require.NoError(t, err)
	prov := addr("provider")
	sc := f.cred(id, types.ActionRemoveProvider, "", prov, f.chainSeenIn(id, "uusdc", 0))
	f.check.Fails(types.ErrCollateralTooHigh, func(ctx sdk.Context) error { return f.k.RemoveProvider(ctx, owner, id, prov, sc) })
}

// chainSeenIn is what the chain sees agent hold in denom, plus delta.
func (f *fixture) chainSeenIn(agent uint64, denom string, delta int64) int64 {
	return f.chainCollateral(agent, denom).Total.Int64() + delta
}
