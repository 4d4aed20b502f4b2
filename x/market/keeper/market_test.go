package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/app"
	"github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// TestLeaseLifeCycle: deposit, book, deploy, bill, claim with the community fee, cancel and
// withdraw the rest — every unit accounted for.
func TestLeaseLifeCycle(t *testing.T) {
	f := newFixture(t)
	f.fund("alice", 10_000)
	require.NoError(t, f.deposit("alice", 1_000))
	require.EqualValues(t, 9_000, f.balance(addr("alice")))

	// 2 units × 2/s = 4/s; cover is 100 s → 400 needed, 1,000 held.
	id, err := f.book("alice", 1, 2)
	require.NoError(t, err)
	l := f.lease(id)
	require.Equal(t, types.LEASE_STATE_PENDING, l.State)
	require.True(t, l.Rate.Equal(sdkmath.LegacyNewDec(4)))
	require.EqualValues(t, 2, f.prov.offers[1].UnitsBooked)

	f.advance(5) // pending leases are not billed
	require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
	require.Equal(t, types.LEASE_STATE_ACTIVE, f.lease(id).State)
	view := f.account("alice")
	require.EqualValues(t, 1_000, view.Available.Int64())
	require.EqualValues(t, 1_000_000+5+250, view.Account.FundedUntil) // 1000/4 = 250 s

	f.advance(100) // 400 billed
	res, err := f.msg.Claim(f.ctx, &types.MsgClaim{Sender: addr("anyone"), LeaseId: id})
	require.NoError(t, err)
	// 400 gross, 5% fee = 20, beneficiary 380.
	require.EqualValues(t, 380, res.Paid.Amount.Int64())
	require.EqualValues(t, 20, res.Fee.Amount.Int64())
	require.EqualValues(t, 380, f.balance(addr("prov-pay")))
	require.EqualValues(t, 20, f.bank.balances[communityPool.String()].AmountOf("uusdc").Int64())
	require.EqualValues(t, 600, f.account("alice").Available.Int64())

	f.advance(10) // 40 more
	_, err = f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: addr("alice"), LeaseId: id, Reason: types.ReasonTenantDone})
	require.NoError(t, err)
	l = f.lease(id)
	require.Equal(t, types.LEASE_STATE_CLOSED, l.State)
	require.EqualValues(t, types.ReasonTenantDone, l.CloseReason)
	require.EqualValues(t, 440, l.Paid.Int64())
	require.EqualValues(t, 380+38, f.balance(addr("prov-pay")))
	require.EqualValues(t, 0, f.prov.offers[1].UnitsBooked)
	require.Equal(t, []providertypes.LeaseOutcome{providertypes.LEASE_OUTCOME_COMPLETED}, f.prov.outcomes[addr("prov")])

	// Nothing is billed any more; the tenant takes the rest out.
	f.advance(1000)
	view = f.account("alice")
	require.EqualValues(t, 560, view.Withdrawable.Int64())
	_, err = f.msg.Withdraw(f.ctx, &types.MsgWithdraw{Tenant: addr("alice"), Amount: sdk.NewInt64Coin("uusdc", 560)})
	require.NoError(t, err)
	require.EqualValues(t, 9_560, f.balance(addr("alice")))
	f.invariants()
}

// TestFractionalRateCarriesRemainder: 0.75/s for 3 s owes 2.25; 2 are paid, 0.25 carried,
// and on close the unpaid fraction returns to the tenant.
func TestFractionalRateCarriesRemainder(t *testing.T) {
	f := newFixture(t)
	f.fund("bob", 1_000)
	require.NoError(t, f.deposit("bob", 1_000))
	id, err := f.book("bob", 2, 1)
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.advance(3)
	res, err := f.msg.Claim(f.ctx, &types.MsgClaim{Sender: addr("bob"), LeaseId: id})
	require.NoError(t, err)
	require.EqualValues(t, 1, res.Paid.Amount.Int64()) // 5% of 2 is 0.1: the fee rounds up to 1
	require.EqualValues(t, 1, res.Fee.Amount.Int64())
	require.True(t, f.lease(id).Unclaimed.Equal(sdkmath.LegacyMustNewDecFromStr("0.25")))
	f.advance(1) // +0.75 → 1.0 owed
	_, err = f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: addr("bob"), LeaseId: id, Reason: 100})
	require.NoError(t, err)
	require.EqualValues(t, 3, f.lease(id).Paid.Int64())
	require.True(t, f.account("bob").Account.Balance.Equal(sdkmath.LegacyNewDec(997)))
	f.invariants()
}

func TestOutOfFundsGraceResumeAndClose(t *testing.T) {
	f := newFixture(t)
	f.fund("carol", 10_000)
	require.NoError(t, f.deposit("carol", 1_000))
	id, err := f.book("carol", 1, 1) // 2/s
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
	start := f.ctx.BlockTime().Unix()
	require.EqualValues(t, start+500, f.account("carol").Account.FundedUntil)

	f.advance(499)
	require.Equal(t, types.LEASE_STATE_ACTIVE, f.lease(id).State)
	f.advance(5) // the end-blocker finds the account due
	l := f.lease(id)
	require.Equal(t, types.LEASE_STATE_GRACE, l.State)
	require.EqualValues(t, start+500, l.BilledUntil) // billed exactly to funded_until, not past it
	require.True(t, l.Unclaimed.Equal(sdkmath.LegacyNewDec(1000)))
	require.True(t, f.account("carol").Account.Balance.IsZero())

	// Booking during grace is refused.
	_, err = f.book("carol", 1, 1)
	require.ErrorIs(t, err, types.ErrAccountInGrace)

	// A top-up resumes billing from now; the grace time is not billed.
	require.NoError(t, f.deposit("carol", 100))
	require.Equal(t, types.LEASE_STATE_ACTIVE, f.lease(id).State)
	require.EqualValues(t, 0, f.account("carol").Account.GraceUntil)
	f.advance(50)
	require.Equal(t, types.LEASE_STATE_GRACE, f.lease(id).State)

	// No top-up: after the grace period the lease closes with 300 and the provider gets it all.
	f.advance(f.params.GracePeriod)
	l = f.lease(id)
	require.Equal(t, types.LEASE_STATE_CLOSED, l.State)
	require.EqualValues(t, types.ReasonOutOfFunds, l.CloseReason)
	require.EqualValues(t, 1_100, l.Paid.Int64())
	require.EqualValues(t, 1_045, f.balance(addr("prov-pay"))) // 1,100 − 5%
	f.invariants()
}

func TestClosingLeaseRunningOutCloses(t *testing.T) {
	f := newFixture(t)
	f.fund("dan", 500)
	require.NoError(t, f.deposit("dan", 500))
	id, err := f.book("dan", 1, 1)
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", id, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.prov.providers[addr("prov")] = providertypes.Provider{Address: addr("prov"), Owner: addr("prov"), Operator: addr("op"), Beneficiary: addr("prov-pay")}
	_, err = f.msg.CloseLease(f.ctx, &types.MsgCloseLease{Signer: addr("op"), LeaseId: id})
	require.NoError(t, err)
	require.Equal(t, types.LEASE_STATE_CLOSING, f.lease(id).State)
	require.Contains(t, f.prov.outcomes[addr("prov")], providertypes.LEASE_OUTCOME_EARLY_CLOSE)
	f.advance(f.params.ProviderNotice - 1)
	require.Equal(t, types.LEASE_STATE_CLOSING, f.lease(id).State)
	f.advance(1)
	l := f.lease(id)
	require.Equal(t, types.LEASE_STATE_CLOSED, l.State)
	require.EqualValues(t, types.ReasonProviderNotice, l.CloseReason)
	require.EqualValues(t, 2*f.params.ProviderNotice, l.Paid.Int64()) // billed through the notice
}

func TestDeployFailedAndTimeout(t *testing.T) {
	f := newFixture(t)
	f.fund("erin", 1_000)
	require.NoError(t, f.deposit("erin", 1_000))
	a, err := f.book("erin", 1, 1)
	require.NoError(t, err)
	b, err := f.book("erin", 1, 1)
	require.NoError(t, err)

	require.NoError(t, f.report("node-1", a, types.DEPLOYMENT_RESULT_FAILED))
	require.EqualValues(t, types.ReasonDeployFailed, f.lease(a).CloseReason)

	f.advance(f.params.DeployTimeout)
	l := f.lease(b)
	require.Equal(t, types.LEASE_STATE_CLOSED, l.State)
	require.EqualValues(t, types.ReasonDeployTimeout, l.CloseReason)
	require.EqualValues(t, f.params.DeployTimeoutSlashBps, f.prov.slashed[1])
	require.Equal(t, []providertypes.LeaseOutcome{providertypes.LEASE_OUTCOME_DEPLOY_FAILED, providertypes.LEASE_OUTCOME_DEPLOY_TIMEOUT},
		f.prov.outcomes[addr("prov")])
	// Full refund: nothing was billed.
	require.EqualValues(t, 1_000, f.account("erin").Available.Int64())
	require.EqualValues(t, 0, f.prov.offers[1].UnitsBooked)
}

// TestRefusals: every bad input is refused with a registered error and changes nothing.
func TestRefusals(t *testing.T) {
	f := newFixture(t)
	f.fund("fay", 1_000)
	require.NoError(t, f.deposit("fay", 300))
	snapshot := func() string {
		g, err := f.k.ExportGenesis(f.ctx)
		require.NoError(t, err)
		return g.String() + f.bank.balances[addr("fay")].String()
	}

	_, err := f.book("fay", 1, 1) // 2/s × 100 s = 200 ≤ 300: fine
	require.NoError(t, err)
	before := snapshot()

	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"cover", func() error { _, err := f.book("fay", 1, 1); return err }, types.ErrInsufficientCover},
		{"unknown offer", func() error { _, err := f.book("fay", 99, 1); return err }, errNotFound},
		{"more units than free: cover is checked first", func() error { _, err := f.book("fay", 1, 11); return err }, types.ErrInsufficientCover},
		{"price above max", func() error {
			_, err := f.msg.Book(f.ctx, &types.MsgBook{Tenant: addr("fay"), OfferId: 2, Units: 1, DeploymentHash: hash, MaxPrice: "0.5"})
			return err
		}, types.ErrPriceAboveMax},
		{"malformed deployment", func() error {
			_, err := f.msg.Book(f.ctx, &types.MsgBook{Tenant: addr("fay"), OfferId: 2, Units: 1, DeploymentHash: []byte{1, 2}})
			return err
		}, types.ErrInvalidDeployment},
		{"oversized deployment", func() error {
			_, err := f.msg.Book(f.ctx, &types.MsgBook{Tenant: addr("fay"), OfferId: 2, Units: 1, DeploymentHash: hash,
				DeploymentData: string(make([]byte, f.params.MaxDeploymentData+1))})
			return err
		}, types.ErrInvalidDeployment},
		{"withdraw beyond cover", func() error {
			_, err := f.msg.Withdraw(f.ctx, &types.MsgWithdraw{Tenant: addr("fay"), Amount: sdk.NewInt64Coin("uusdc", 101)})
			return err
		}, types.ErrInsufficientCover},
		{"withdraw beyond balance", func() error {
			_, err := f.msg.Withdraw(f.ctx, &types.MsgWithdraw{Tenant: addr("fay"), Amount: sdk.NewInt64Coin("uusdc", 301)})
			return err
		}, types.ErrInsufficientFunds},
		{"deposit foreign denom", func() error {
			_, err := f.msg.Deposit(f.ctx, &types.MsgDeposit{Tenant: addr("fay"), Amount: sdk.NewInt64Coin("ugld", 1)})
			return err
		}, types.ErrDenomNotAccepted},
		{"deposit more than owned", func() error { return f.deposit("fay", 10_000) }, types.ErrInsufficientFunds},
		{"report by another key", func() error { return f.report("node-2", 1, types.DEPLOYMENT_RESULT_DEPLOYED) }, types.ErrNotNodeAccount},
		{"report unknown lease", func() error { return f.report("node-1", 42, types.DEPLOYMENT_RESULT_DEPLOYED) }, types.ErrLeaseNotFound},
		{"cancel foreign lease", func() error {
			_, err := f.msg.CancelLease(f.ctx, &types.MsgCancelLease{Tenant: addr("mallory"), LeaseId: 1, Reason: 100})
			return err
		}, types.ErrNotTenant},
		{"provider close by stranger", func() error {
			_, err := f.msg.CloseLease(f.ctx, &types.MsgCloseLease{Signer: addr("mallory"), LeaseId: 1})
			return err
		}, types.ErrNotController},
		{"claim pending", func() error {
			_, err := f.msg.Claim(f.ctx, &types.MsgClaim{Sender: addr("x"), LeaseId: 1})
			return err
		}, types.ErrInvalidState},
		{"gov close by stranger", func() error {
			_, err := f.msg.GovCloseLease(f.ctx, &types.MsgGovCloseLease{Authority: addr("mallory"), LeaseId: 1})
			return err
		}, types.ErrNotAuthority},
		{"params by stranger", func() error {
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: addr("mallory"), Params: f.params})
			return err
		}, types.ErrNotAuthority},
		{"fee above cap", func() error {
			p := f.params
			p.CommunityFeeBps = 2501
			_, err := f.msg.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: f.gov, Params: p})
			return err
		}, types.ErrInvalidParams},
		{"update deployment of pending", func() error {
			_, err := f.msg.UpdateDeployment(f.ctx, &types.MsgUpdateDeployment{Tenant: addr("fay"), LeaseId: 1, DeploymentHash: hash})
			return err
		}, types.ErrInvalidState},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Run on the real context: the handler itself must leave state, coins and events
			// untouched on failure, without relying on the SDK discarding a failed message's
			// writes (kittest's Checker compares the whole module state and every balance).
			f.fails(c.want, c.run)
			require.Equal(t, before, snapshot(), "state changed")
		})
	}
}

func TestValidateBasic(t *testing.T) {
	app.SetAddressPrefixes()
	good := types.MsgBook{Tenant: addr("a"), OfferId: 1, Units: 1, DeploymentHash: hash}
	require.NoError(t, good.ValidateBasic())
	for name, m := range map[string]types.MsgBook{
		"zero units": {Tenant: addr("a"), OfferId: 1, DeploymentHash: hash},
		"no offer":   {Tenant: addr("a"), Units: 1, DeploymentHash: hash},
		"bad tenant": {Tenant: "nope", OfferId: 1, Units: 1, DeploymentHash: hash},
		"short hash": {Tenant: addr("a"), OfferId: 1, Units: 1, DeploymentHash: []byte{1}},
		"neg max":    {Tenant: addr("a"), OfferId: 1, Units: 1, DeploymentHash: hash, MaxPrice: "-1"},
		"junk max":   {Tenant: addr("a"), OfferId: 1, Units: 1, DeploymentHash: hash, MaxPrice: "cheap"},
	} {
		require.Error(t, m.ValidateBasic(), name)
	}
	require.ErrorIs(t, (&types.MsgDeposit{Tenant: addr("a"), Amount: sdk.Coin{Denom: "uusdc", Amount: sdkmath.NewInt(-1)}}).ValidateBasic(), types.ErrInvalidAmount)
	require.ErrorIs(t, (&types.MsgDeposit{Tenant: addr("a"), Amount: sdk.NewInt64Coin("uusdc", 0)}).ValidateBasic(), types.ErrInvalidAmount)
	require.ErrorIs(t, (&types.MsgCancelLease{Tenant: addr("a"), LeaseId: 1, Reason: 101}).ValidateBasic(), types.ErrInvalidReason)
	require.ErrorIs(t, (&types.MsgCancelLease{Tenant: addr("a"), LeaseId: 1, Reason: 300}).ValidateBasic(), types.ErrInvalidReason)
	require.ErrorIs(t, (&types.MsgReportDeployment{NodeAccount: addr("n"), LeaseId: 1}).ValidateBasic(), types.ErrInvalidRequest)
}

func TestGenesisRoundTrip(t *testing.T) {
	f := newFixture(t)
	f.fund("gil", 5_000)
	require.NoError(t, f.deposit("gil", 5_000))
	a, _ := f.book("gil", 1, 1)
	b, _ := f.book("gil", 2, 2)
	require.NoError(t, f.report("node-1", a, types.DEPLOYMENT_RESULT_DEPLOYED))
	f.advance(7)
	g, err := f.k.ExportGenesis(f.ctx)
	require.NoError(t, err)
	require.NoError(t, g.Validate())

	f2 := newFixture(t)
	f2.ctx = f2.ctx.WithBlockTime(f.ctx.BlockTime())
	*f2.prov = *f.prov
	f2.bank.balances = f.bank.balances
	require.NoError(t, f2.k.InitGenesis(f2.ctx, *g))
	g2, err := f2.k.ExportGenesis(f2.ctx)
	require.NoError(t, err)
	require.Equal(t, g.String(), g2.String())
	f2.invariants()
	// The queues were rebuilt from state: the pending lease still times out, the active one
	// still runs out of funds at the same second.
	f2.advance(f2.params.DeployTimeout)
	require.EqualValues(t, types.ReasonDeployTimeout, f2.lease(b).CloseReason)
	require.Equal(t, types.LEASE_STATE_ACTIVE, f2.lease(a).State)
	f2.advance(5_000)
	require.Equal(t, types.LEASE_STATE_GRACE, f2.lease(a).State)
}

func TestLeasesQuery(t *testing.T) {
	f := newFixture(t)
	f.fund("hal", 5_000)
	require.NoError(t, f.deposit("hal", 5_000))
	a, err := f.book("hal", 1, 1)
	require.NoError(t, err)
	b, err := f.book("hal", 2, 1)
	require.NoError(t, err)
	require.NoError(t, f.report("node-1", a, types.DEPLOYMENT_RESULT_DEPLOYED))
	require.NoError(t, f.report("node-1", b, types.DEPLOYMENT_RESULT_FAILED))

	ids := func(req *types.QueryLeasesRequest) []uint64 {
		res, err := f.q.Leases(f.ctx, req)
		require.NoError(t, err)
		var out []uint64
		for _, l := range res.Leases {
			out = append(out, l.Id)
		}
		return out
	}
	require.Equal(t, []uint64{a}, ids(&types.QueryLeasesRequest{NodeId: 1, State: types.LEASE_STATE_ACTIVE}))
	require.Empty(t, ids(&types.QueryLeasesRequest{NodeId: 1, State: types.LEASE_STATE_PENDING}))
	require.Equal(t, []uint64{b}, ids(&types.QueryLeasesRequest{NodeId: 1, State: types.LEASE_STATE_CLOSED}))
	require.Equal(t, []uint64{a, b}, ids(&types.QueryLeasesRequest{NodeId: 1}))
	require.Equal(t, []uint64{a, b}, ids(&types.QueryLeasesRequest{Tenant: addr("hal")}))
	require.Equal(t, []uint64{a}, ids(&types.QueryLeasesRequest{Provider: addr("prov"), State: types.LEASE_STATE_ACTIVE}))
	_, err = f.q.Leases(f.ctx, &types.QueryLeasesRequest{Tenant: addr("hal"), NodeId: 1})
	require.Error(t, err)
}
