package keeper_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/credit/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

func ugld(n int64) sdk.Coin { return sdk.NewInt64Coin("ugld", n) }

// TestLendBorrowPayRedeem is the whole happy path: a lender deposits, the agent borrows with a
// credential, a year of interest accrues, the agent pays interest then principal exactly, and the
// lender redeems more than deposited; the treasury got its share.
func TestLendBorrowPayRedeem(t *testing.T) {
	f := newFixture(t)
	lender := addr("lender")
	var shares sdk.Coin
	f.check.OK(func(ctx sdk.Context) (err error) {
		shares, err = f.k.Deposit(ctx, lender, ugld(1_000_000))
		return err
	}, &types.EventPoolAccrued{}, &types.EventDeposited{})
	require.Equal(t, sdk.NewInt64Coin("credit/ugld", 1_000_000_000), shares)

	id, agentAddr := f.agentWithProvider(2_000_000)
	seen := f.chainSeen(id, 500_000) // post-borrow: bonds + borrowed funds
	sc := f.cred(id, types.ActionBorrow, "500000ugld", "", seen)
	f.check.OK(func(ctx sdk.Context) error {
		_, err := f.k.Borrow(ctx, addr("owner"), id, ugld(500_000), sc)
		return err
	}, &types.EventCredentialUsed{}, &types.EventBorrowed{})
	require.Equal(t, int64(500_000), f.balance(agentAddr, "ugld").Int64())

	// Utilization 50% → 2% + 10% × 0.5/0.8 = 8.25% a year.
	pool, err := f.q.Pool(f.ctx, &types.QueryPoolRequest{Denom: "ugld"})
	require.NoError(t, err)
	require.Equal(t, "0.082500000000000000", pool.Pool.Pool.Rate.String())

	f.advance(types.SecondsPerYear, 100)
	agent, err := f.q.Agent(f.ctx, &types.QueryAgentRequest{AgentId: id})
	require.NoError(t, err)
	require.Equal(t, int64(541_250), agent.Loans[0].Debt.Int64()) // 500,000 × 1.0825
	require.Equal(t, int64(41_250), agent.Loans[0].Interest.Int64())

	payer := addr("payer")
	before := f.balance(payer, "ugld")
	var res struct{ interest, principal, refunded sdkmath.Int }
	f.check.OK(func(ctx sdk.Context) error {
		r, err := f.k.Pay(ctx, payer, id, ugld(600_000), false)
		res.interest, res.principal, res.refunded = r.Interest, r.Principal, r.Refunded
		return err
	}, &types.EventPaid{})
	require.Equal(t, int64(41_250), res.interest.Int64())
	require.Equal(t, int64(500_000), res.principal.Int64())
	require.Equal(t, int64(58_750), res.refunded.Int64())
	require.Equal(t, before.SubRaw(541_250), f.balance(payer, "ugld"), "the overpayment is never taken")
	require.Equal(t, int64(4_125), f.balance(communityPool.String(), "ugld").Int64(), "10% of the interest")

	var paid sdk.Coin
	f.check.OK(func(ctx sdk.Context) (err error) {
		paid, err = f.k.Redeem(ctx, lender, shares)
		return err
	}, &types.EventRedeemed{})
	// 1,000,000 + 41,250 − 4,125 = 1,037,125 assets; the virtual share keeps one unit.
	require.Equal(t, int64(1_037_124), paid.Amount.Int64())
	require.True(t, paid.Amount.GT(sdkmath.NewInt(1_000_000)))
}

func TestCredentialRefusals(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	seen := f.chainSeen(id, 100_000)
	borrow := func(sc types.SignedCredential, amount int64) func(sdk.Context) error {
		return func(ctx sdk.Context) error { _, err := f.k.Borrow(ctx, owner, id, ugld(amount), sc); return err }
	}
	good := f.cred(id, types.ActionBorrow, "100000ugld", "", seen)
	f.check.OK(borrow(good, 100_000))
	seen = f.chainSeen(id, 100_000)

	t.Run("replayed (same hash)", func(t *testing.T) {
		f.check.Fails(types.ErrCredentialUsed, borrow(good, 100_000))
	})
	t.Run("another action", func(t *testing.T) {
		f.check.Fails(types.ErrCredentialMismatch, borrow(f.cred(id, types.ActionWithdraw, "100000ugld", "", seen), 100_000))
	})
	t.Run("another value", func(t *testing.T) {
		f.check.Fails(types.ErrCredentialMismatch, borrow(f.cred(id, types.ActionBorrow, "90000ugld", "", seen), 100_000))
	})
	t.Run("another agent", func(t *testing.T) {
		f.check.Fails(types.ErrCredentialMismatch, borrow(f.cred(id+1, types.ActionBorrow, "100000ugld", "", seen), 100_000))
	})
	t.Run("another target", func(t *testing.T) {
		f.check.Fails(types.ErrCredentialMismatch, borrow(f.cred(id, types.ActionBorrow, "100000ugld", addr("other"), seen), 100_000))
	})
	t.Run("expired", func(t *testing.T) {
		sc := f.cred(id, types.ActionBorrow, "100000ugld", "", seen, func(c *types.Credential) { c.IssuedHeight -= 20; c.ValidUntilHeight -= 20 })
		f.check.Fails(types.ErrCredentialExpired, borrow(sc, 100_000))
	})
	t.Run("future", func(t *testing.T) {
		sc := f.cred(id, types.ActionBorrow, "100000ugld", "", seen, func(c *types.Credential) { c.IssuedHeight += 5; c.ValidUntilHeight += 5 })
		f.check.Fails(types.ErrCredentialExpired, borrow(sc, 100_000))
	})
	t.Run("window too long", func(t *testing.T) {
		sc := f.cred(id, types.ActionBorrow, "100000ugld", "", seen, func(c *types.Credential) { c.ValidUntilHeight += 100 })
		f.check.Fails(types.ErrCredentialExpired, borrow(sc, 100_000))
	})
	t.Run("untrusted issuer", func(t *testing.T) {
		c := f.cred(id, types.ActionBorrow, "100000ugld", "", seen).Credential
		sc, err := types.SignCredential(chainID, c, seedKey("mallory"))
		require.NoError(t, err)
		f.check.Fails(types.ErrUntrustedIssuer, borrow(sc, 100_000))
	})
	t.Run("tampered signature", func(t *testing.T) {
		sc := f.cred(id, types.ActionBorrow, "100000ugld", "", seen)
		sc.Signature[3] ^= 1
		f.check.Fails(types.ErrBadSignature, borrow(sc, 100_000))
	})
	t.Run("tampered data", func(t *testing.T) {
		sc := f.cred(id, types.ActionBorrow, "100000ugld", "", seen)
		sc.Credential.Data.CollateralValue = sc.Credential.Data.CollateralValue.AddRaw(1)
		f.check.Fails(types.ErrBadSignature, borrow(sc, 100_000))
	})
	t.Run("another chain", func(t *testing.T) {
		sc, err := types.SignCredential("other-chain", f.cred(id, types.ActionBorrow, "100000ugld", "", seen).Credential, f.issuer)
		require.NoError(t, err)
		f.check.Fails(types.ErrBadSignature, borrow(sc, 100_000))
	})
	t.Run("collateral above what the chain sees", func(t *testing.T) {
		f.check.Fails(types.ErrCollateralTooHigh, borrow(f.cred(id, types.ActionBorrow, "100000ugld", "", seen+1), 100_000))
	})
	t.Run("beyond DTL", func(t *testing.T) {
		// debt 100,000 + x ≤ 75% of the credential's 400,000 collateral → x ≤ 200,000.
		f.check.Fails(types.ErrDTLExceeded, borrow(f.cred(id, types.ActionBorrow, "200001ugld", "", 400_000), 200_001))
		f.check.OK(borrow(f.cred(id, types.ActionBorrow, "200000ugld", "", 400_000), 200_000))
	})
	t.Run("faults beyond tolerance", func(t *testing.T) {
		sc := f.cred(id, types.ActionBorrow, "1ugld", "", seen, func(c *types.Credential) { c.Data.FaultySectors, c.Data.LiveSectors = 2, 10 })
		f.check.Fails(types.ErrFaultsExceeded, borrow(sc, 1))
	})
	t.Run("not the owner or operator", func(t *testing.T) {
		sc := f.cred(id, types.ActionBorrow, "1ugld", "", seen)
		f.check.Fails(types.ErrNotController, func(ctx sdk.Context) error { _, err := f.k.Borrow(ctx, addr("other"), id, ugld(1), sc); return err })
	})
}

func TestBorrowBeyondLiquidityAndRedeemBeyondLiquid(t *testing.T) {
	f := newFixture(t)
	shares, err := f.k.Deposit(f.ctx, addr("lender"), ugld(1_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(20_000_000)
	owner := addr("owner")
	// 10% of 1,000,000 stays liquid: at most 900,000 can be lent.
	sc := f.cred(id, types.ActionBorrow, "900001ugld", "", f.chainSeen(id, 900_001))
	f.check.Fails(types.ErrMinLiquidity, func(ctx sdk.Context) error { _, err := f.k.Borrow(ctx, owner, id, ugld(900_001), sc); return err })
	max, err := f.q.MaxBorrow(f.ctx, &types.QueryMaxBorrowRequest{AgentId: id, Denom: "ugld"})
	require.NoError(t, err)
	require.Equal(t, types.LimitLiquidity, max.Binding)
	require.Equal(t, int64(900_000), max.Max.Int64())
	sc = f.cred(id, types.ActionBorrow, "900000ugld", "", f.chainSeen(id, 900_000))
	f.check.OK(func(ctx sdk.Context) error { _, err := f.k.Borrow(ctx, owner, id, ugld(900_000), sc); return err })

	f.check.Fails(types.ErrInsufficientLiquid, func(ctx sdk.Context) error { _, err := f.k.Redeem(ctx, addr("lender"), shares); return err })
	part := sdk.NewCoin(shares.Denom, shares.Amount.QuoRaw(20)) // 50,000 worth: within the 100,000 liquid
	f.check.OK(func(ctx sdk.Context) error { _, err := f.k.Redeem(ctx, addr("lender"), part); return err })
}

func TestMaxBorrowSaysWhichLimitBinds(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(100_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(1_000_000)
	res, err := f.q.MaxBorrow(f.ctx, &types.QueryMaxBorrowRequest{AgentId: id, Denom: "ugld"})
	require.NoError(t, err)
	require.Equal(t, types.LimitDTL, res.Binding)
	require.Equal(t, int64(3_000_000), res.Max.Int64()) // 75% × (1,000,000 + x) ≥ x
	res, err = f.q.MaxBorrow(f.ctx, &types.QueryMaxBorrowRequest{AgentId: id, Denom: "ugld", CollateralValue: "400000"})
	require.NoError(t, err)
	require.Equal(t, int64(1_200_000), res.Max.Int64())
	_, err = f.q.MaxBorrow(f.ctx, &types.QueryMaxBorrowRequest{AgentId: id, Denom: "ugld", CollateralValue: "-1"})
	require.ErrorIs(t, err, sdkerrors.ErrInvalidRequest)
	_, err = f.q.MaxBorrow(f.ctx, &types.QueryMaxBorrowRequest{AgentId: 99, Denom: "ugld"})
	require.ErrorIs(t, err, types.ErrAgentNotFound)
}

// TestAdministrationAndDefault: the bond is slashed, the chain's evidence alone puts the agent
// on administration and then in default; the waterfall pays interest, principal and the fee, the
// rest goes to the owner, and every unit is accounted for.
func TestAdministrationAndDefault(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, agentAddr := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	sc := f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000))
	_, err = f.k.Borrow(f.ctx, owner, id, ugld(1_000_000), sc)
	require.NoError(t, err)
	// The owner withdraws the borrowed funds down to the DTL limit: debt 1,000,000 ≤ 75% of 2,000,000 + rest.
	w := f.cred(id, types.ActionWithdraw, "600000ugld", owner, f.chainSeen(id, -600_000))
	f.check.OK(func(ctx sdk.Context) error { return f.k.Withdraw(ctx, owner, id, ugld(600_000), owner, w) }, &types.EventWithdrawn{})

	// Healthy: no evidence yet.
	f.check.Fails(types.ErrNoEvidence, func(ctx sdk.Context) error { return f.k.PutOnAdministration(ctx, id, nil) })
	// The node's bond is slashed by 60%: 800,000 of bond and 400,000 liquid against 1,000,000.
	_, err = f.prov.SlashBond(f.ctx, 1, 6000, "test")
	require.NoError(t, err)
	f.check.OK(func(ctx sdk.Context) error { return f.k.PutOnAdministration(ctx, id, nil) }, &types.EventAgentStateChanged{})
	// Borrowing and withdrawing are blocked; anyone may pay.
	sc = f.cred(id, types.ActionBorrow, "1ugld", "", f.chainSeen(id, 1))
	f.check.Fails(types.ErrInvalidState, func(ctx sdk.Context) error { _, err := f.k.Borrow(ctx, owner, id, ugld(1), sc); return err })
	f.check.OK(func(ctx sdk.Context) error { _, err := f.k.Pay(ctx, addr("payer"), id, ugld(10), false); return err })

	f.advance(30*24*3600, 50)
	_, err = f.prov.SlashBond(f.ctx, 1, 9000, "test") // 80,000 of bond left
	require.NoError(t, err)
	agent, err := f.q.Agent(f.ctx, &types.QueryAgentRequest{AgentId: id})
	require.NoError(t, err)
	debt := agent.Loans[0].Debt
	interest := agent.Loans[0].Interest
	ownerBefore := f.balance(owner, "ugld")
	cpBefore := f.balance(communityPool.String(), "ugld")
	var ls []types.Liquidation
	f.check.OK(func(ctx sdk.Context) (err error) {
		ls, err = f.k.SetDefault(ctx, id, nil)
		return err
	}, &types.EventAgentStateChanged{}, &types.EventLiquidated{})
	require.Len(t, ls, 1)
	l := ls[0]
	require.Equal(t, int64(480_000), l.Recovered.Int64()) // 400,000 liquid + 80,000 bond
	require.Equal(t, interest, l.InterestPaid)
	require.Equal(t, l.Recovered, l.InterestPaid.Add(l.PrincipalPaid).Add(l.Fee).Add(l.ReturnedToOwner))
	require.Equal(t, debt, l.InterestPaid.Add(l.PrincipalPaid).Add(l.PrincipalWrittenOff).Add(l.InterestWrittenOff))
	require.True(t, l.Fee.IsZero() && l.ReturnedToOwner.IsZero(), "a shortfall leaves nothing for fee or owner")
	require.Equal(t, ownerBefore, f.balance(owner, "ugld"))
	require.Equal(t, cpBefore.Add(l.InterestPaid.MulRaw(1000).QuoRaw(10000)), f.balance(communityPool.String(), "ugld"))
	require.True(t, f.balance(agentAddr, "ugld").IsZero())
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.AGENT_STATE_DEFAULT, a.State)
	require.Empty(t, a.Providers)
	p, err := f.prov.GetProvider(f.ctx, addr("provider"))
	require.NoError(t, err)
	require.Equal(t, owner, p.PendingOwner, "the provider goes back to the owner")
	require.Equal(t, owner, p.Beneficiary)
	f.check.Fails(types.ErrInvalidState, func(ctx sdk.Context) error { _, err := f.k.SetDefault(ctx, id, nil); return err })
}

func TestAdministrationByCredentialAndRecovery(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	owner := addr("owner")
	_, err = f.k.Borrow(f.ctx, owner, id, ugld(1_000_000), f.cred(id, types.ActionBorrow, "1000000ugld", "", f.chainSeen(id, 1_000_000)))
	require.NoError(t, err)
	// The ADO values the agent at 1,200,000 (termination costs): 83% > 80%.
	sc := f.cred(id, types.ActionPutOnAdministration, "", "", 1_200_000)
	f.check.OK(func(ctx sdk.Context) error { return f.k.PutOnAdministration(ctx, id, &sc) }, &types.EventCredentialUsed{}, &types.EventAgentStateChanged{})
	low := f.cred(id, types.ActionSetRecovered, "", "", 1_200_000)
	f.check.Fails(types.ErrDTLExceeded, func(ctx sdk.Context) error { return f.k.SetRecovered(ctx, owner, id, low) })
	// Anyone pays 200,000: 800,000 against 1,200,000 → 67%.
	_, err = f.k.Pay(f.ctx, addr("payer"), id, ugld(200_000), false)
	require.NoError(t, err)
	ok := f.cred(id, types.ActionSetRecovered, "", "", 1_200_000)
	f.check.OK(func(ctx sdk.Context) error { return f.k.SetRecovered(ctx, owner, id, ok) }, &types.EventAgentStateChanged{})
}

func TestRemoveProviderAndPrune(t *testing.T) {
	f := newFixture(t)
	id, _ := f.agentWithProvider(1_000_000)
	owner, prov := addr("owner"), addr("provider")
	sc := f.cred(id, types.ActionRemoveProvider, "", prov, 0)
	f.check.Fails(types.ErrNotOwner, func(ctx sdk.Context) error { return f.k.RemoveProvider(ctx, addr("other"), id, prov, sc) })
	f.check.OK(func(ctx sdk.Context) error { return f.k.RemoveProvider(ctx, owner, id, prov, sc) }, &types.EventProviderRemoved{})
	require.NoError(t, f.prov.AcceptOwner(f.ctx, prov, owner))
	n, err := f.k.UsedCount(f.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	f.advance(10, 10) // the credential's last valid height
	require.NoError(t, f.k.EndBlocker(f.ctx))
	n, _ = f.k.UsedCount(f.ctx)
	require.Equal(t, 1, n, "kept while still valid")
	f.advance(1, 1)
	require.NoError(t, f.k.EndBlocker(f.ctx))
	n, _ = f.k.UsedCount(f.ctx)
	require.Equal(t, 0, n, "pruned once expired")
	require.NoError(t, f.k.CheckInvariants(f.ctx))
}

func TestAddProviderNeedsTheOwnersProposal(t *testing.T) {
	f := newFixture(t)
	owner, prov := addr("owner"), addr("provider")
	id, _, err := f.k.CreateAgent(f.ctx, owner, "", f.req.Public().(ed25519.PublicKey))
	require.NoError(t, err)
	require.NoError(t, f.prov.RegisterProvider(f.ctx, prov, "p", "", nil))
	f.check.Fails(types.ErrProviderNotOffered, func(ctx sdk.Context) error { return f.k.AddProvider(ctx, owner, id, prov) })
	f.check.Fails(providertypes.ErrProviderNotFound, func(ctx sdk.Context) error { return f.k.AddProvider(ctx, owner, id, addr("nobody")) })
	_, _, err = f.k.CreateAgent(f.ctx, owner, "", []byte{1, 2})
	require.ErrorIs(t, err, types.ErrInvalidKey)
}

func TestParamsOnlyByAuthorityAndRateChangeIsO1(t *testing.T) {
	f := newFixture(t)
	p := types.DefaultParams()
	f.check.Fails(types.ErrInvalidAuthority, func(ctx sdk.Context) error { return f.k.UpdateParams(ctx, addr("other"), p) })
	bad := p
	bad.MaxDtlBps = 9000 // above administration
	f.check.Fails(types.ErrInvalidParams, func(ctx sdk.Context) error { return f.k.UpdateParams(ctx, f.gov, bad) })
	f.check.OK(func(ctx sdk.Context) error { return f.k.UpdateParams(ctx, f.gov, p) }, &types.EventParamsUpdated{})
}

func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	_, err := f.k.Deposit(f.ctx, addr("lender"), ugld(10_000_000))
	require.NoError(t, err)
	id, _ := f.agentWithProvider(2_000_000)
	_, err = f.k.Borrow(f.ctx, addr("owner"), id, ugld(1_000), f.cred(id, types.ActionBorrow, "1000ugld", "", f.chainSeen(id, 1_000)))
	require.NoError(t, err)
	gs, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	g := newFixture(t)
	require.NoError(t, g.k.InitGenesis(g.ctx, gs))
	again, err := g.k.ExportGenesis(g.ctx)
	require.NoError(t, err)
	require.Equal(t, gs, again)
}
