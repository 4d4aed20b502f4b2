package keeper_test

import (
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/contrib/x/nft"
	sdk "github.com/cosmos/cosmos-sdk/types"

	providertypes "github.com/guild-network/guild/x/provider/types"
	"github.com/guild-network/guild/x/vault/types"
)

// TestPayoutSplitsProRata: three investors, a market payout, a harvest: fees to the three
// recipients, each investor exactly ⌊(payout − fees) × shares / total⌋.
func TestPayoutSplitsProRata(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	p2 := f.deposit(investor(2), v.Id, 2_000_000)
	p3 := f.deposit(investor(3), v.Id, 3_000_000)
	require.Equal(t, "1000000000", p1.Shares.String())
	require.Equal(t, "3000000000", p3.Shares.String())

	opBefore, dsBefore, devBefore := f.balance(owner(), "uusdc"), f.balance(dataset(), "uusdc"), f.balance(device(), "uusdc")
	f.market.pending[owner()] = sdk.NewCoins(sdk.NewInt64Coin("uusdc", 1_000_000))
	booked := f.harvest(v.Id)
	require.Equal(t, "1000000uusdc", booked.String())
	require.Equal(t, int64(100_000), f.balance(owner(), "uusdc")-opBefore)
	require.Equal(t, int64(30_000), f.balance(dataset(), "uusdc")-dsBefore)
	require.Equal(t, int64(20_000), f.balance(device(), "uusdc")-devBefore)

	for _, c := range []struct {
		who  string
		pos  uint64
		want int64
	}{{investor(1), p1.Id, 141_666}, {investor(2), p2.Id, 283_333}, {investor(3), p3.Id, 425_000}} {
		before := f.balance(c.who, "uusdc")
		paid := f.claim(c.who, c.pos)
		require.Equal(t, c.want, paid.AmountOf("uusdc").Int64())
		require.Equal(t, c.want, f.balance(c.who, "uusdc")-before)
	}
	// Nothing more to claim until new income arrives.
	f.check.Fails(types.ErrNothingToClaim, func(ctx sdk.Context) error { _, err := f.k.Claim(ctx, investor(1), p1.Id); return err })
}

// TestTransferCarriesRewards: x/nft's send moves unclaimed and future rewards to the new owner;
// the old owner can no longer claim, exit or vote.
func TestTransferCarriesRewards(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p1 := f.deposit(investor(1), v.Id, 1_000_000)
	f.deposit(investor(2), v.Id, 1_000_000)
	f.pay(v, sdk.NewInt64Coin("uusdc", 200_000))
	f.harvest(v.Id)
	_, err := f.nft.Send(f.ctx, &nft.MsgSend{ClassId: types.ClassID(v.Id), Id: types.TokenID(p1.Id), Sender: investor(1), Receiver: stranger()})
	require.NoError(t, err)
	f.check.Fails(types.ErrNotPositionOwner, func(ctx sdk.Context) error { _, err := f.k.Claim(ctx, investor(1), p1.Id); return err })
	f.check.Fails(types.ErrNotPositionOwner, func(ctx sdk.Context) error {
		_, _, err := f.k.Exit(ctx, investor(1), p1.Id, sdkmath.ZeroInt())
		return err
	})
	f.pay(v, sdk.NewInt64Coin("uusdc", 200_000)) // future income, not yet harvested: claim books it
	paid := f.claim(stranger(), p1.Id)
	// (200_000 + 200_000) × 85% / 2 = 170_000.
	require.Equal(t, int64(170_000), paid.AmountOf("uusdc").Int64())
}

// TestCustodyLocksTheProvider: once in custody no key acts as the provider's owner.
func TestCustodyLocksTheProvider(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p, err := f.prov.GetProvider(f.ctx, owner())
	require.NoError(t, err)
	require.Equal(t, v.Account, p.Owner)
	require.Equal(t, v.Account, p.Beneficiary)
	require.Equal(t, owner(), p.Operator)
	for _, who := range []string{owner(), investor(1), stranger()} {
		f.check.Fails(providertypes.ErrNotOwner, func(ctx sdk.Context) error {
			_, err := f.pmsg.ProposeOwner(ctx, &providertypes.MsgProposeOwner{Owner: who, Provider: owner(), NewOwner: addr(30)})
			return err
		})
		f.check.Fails(providertypes.ErrNotOwner, func(ctx sdk.Context) error {
			_, err := f.pmsg.WithdrawBond(ctx, &providertypes.MsgWithdrawBond{Owner: who, NodeId: f.nodeID, Amount: sdk.NewInt64Coin("ugld", 1)})
			return err
		})
		f.check.Fails(providertypes.ErrNotOwner, func(ctx sdk.Context) error {
			_, err := f.pmsg.SetBeneficiary(ctx, &providertypes.MsgSetBeneficiary{Owner: who, Provider: owner(), Beneficiary: who})
			return err
		})
		f.check.Fails(providertypes.ErrNotOwner, func(ctx sdk.Context) error {
			_, err := f.pmsg.SetOperator(ctx, &providertypes.MsgSetOperator{Owner: who, Provider: owner(), Operator: who})
			return err
		})
	}
	// The vault account is not on any blocked list here; the app test checks the real one.
	require.Equal(t, types.VaultAddress(v.Id).String(), v.Account)
}

func TestCreateVaultRefusals(t *testing.T) {
	f := setup(t)
	bad := func(edit func(*types.Terms)) types.Terms { tt := defaultTerms(); edit(&tt); return tt }
	for _, c := range []struct {
		name  string
		who   string
		terms types.Terms
		gov   types.Governance
		err   error
	}{
		{"fees above half", owner(), bad(func(t *types.Terms) { t.OperatorFeeBps = 4600 }), defaultGov(), types.ErrInvalidTerms},
		{"dataset fee without recipient", owner(), bad(func(t *types.Terms) { t.DatasetRecipient = "" }), defaultGov(), types.ErrInvalidTerms},
		{"zero minimum", owner(), bad(func(t *types.Terms) { t.MinDeposit = sdkmath.ZeroInt() }), defaultGov(), types.ErrInvalidTerms},
		{"cap below minimum", owner(), bad(func(t *types.Terms) { t.DepositCap = sdkmath.NewInt(10) }), defaultGov(), types.ErrInvalidTerms},
		{"exit fee too high", owner(), bad(func(t *types.Terms) { t.EarlyExitFeeBps = 2001 }), defaultGov(), types.ErrInvalidTerms},
		{"reserve above 100%", owner(), bad(func(t *types.Terms) { t.LiquidityReserveBps = 10_001 }), defaultGov(), types.ErrInvalidTerms},
		{"lock too long", owner(), bad(func(t *types.Terms) { t.LockPeriod = 1 << 40 }), defaultGov(), types.ErrInvalidTerms},
		{"zero quorum", owner(), defaultTerms(), types.Governance{QuorumBps: 0, ThresholdBps: 5000, VotingPeriod: 100}, types.ErrInvalidGovernance},
		{"threshold below half", owner(), defaultTerms(), types.Governance{QuorumBps: 1, ThresholdBps: 4999, VotingPeriod: 100}, types.ErrInvalidGovernance},
		{"voting too short", owner(), defaultTerms(), types.Governance{QuorumBps: 1, ThresholdBps: 5000, VotingPeriod: 1}, types.ErrInvalidGovernance},
		{"not the provider's controller", stranger(), defaultTerms(), defaultGov(), types.ErrNotController},
		{"unknown provider", owner(), defaultTerms(), defaultGov(), providertypes.ErrProviderNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			provider := owner()
			if c.name == "unknown provider" {
				provider = stranger()
			}
			f.check.Fails(c.err, func(ctx sdk.Context) error {
				_, err := f.msg.CreateVault(ctx, &types.MsgCreateVault{Operator: c.who, Provider: provider, Terms: c.terms, Governance: c.gov})
				return err
			})
		})
	}
	t.Run("accept custody without the owner's proposal", func(t *testing.T) {
		v, err := f.k.CreateVault(f.ctx, owner(), owner(), defaultTerms(), defaultGov())
		require.NoError(t, err)
		f.check.Fails(providertypes.ErrNotPendingOwner, func(ctx sdk.Context) error { return f.k.AcceptCustody(ctx, owner(), v.Id) })
		f.check.Fails(types.ErrNotOperator, func(ctx sdk.Context) error { return f.k.AcceptCustody(ctx, stranger(), v.Id) })
	})
	t.Run("second vault while one is open", func(t *testing.T) {
		f.check.Fails(types.ErrProviderHasVault, func(ctx sdk.Context) error {
			_, err := f.msg.CreateVault(ctx, &types.MsgCreateVault{Operator: owner(), Provider: owner(), Terms: defaultTerms(), Governance: defaultGov()})
			return err
		})
	})
}

func TestDepositRefusals(t *testing.T) {
	f := setup(t)
	terms := defaultTerms()
	terms.DepositCap = sdkmath.NewInt(5_000_000)
	v := f.vault(terms)
	f.deposit(investor(1), v.Id, 4_000_000)
	f.check.Fails(types.ErrBelowMinDeposit, func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, investor(2), v.Id, sdk.NewInt64Coin("ugld", 999))
		return err
	})
	f.check.Fails(types.ErrAboveCap, func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, investor(2), v.Id, sdk.NewInt64Coin("ugld", 1_000_001))
		return err
	})
	f.check.Fails(types.ErrVaultNotFound, func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, investor(2), 99, sdk.NewInt64Coin("ugld", 1_000))
		return err
	})
	f.check.Fails(sdkerrInvalidCoins, func(ctx sdk.Context) error {
		_, err := f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: investor(2), VaultId: v.Id, Amount: sdk.NewInt64Coin("uusdc", 1_000)})
		return err
	})
}

// TestDepositMintingZeroSharesRefused builds a vault where one share is worth more than a small
// deposit: early exits leave their fees with the one share that remains.
func TestDepositMintingZeroSharesRefused(t *testing.T) {
	f := setup(t)
	terms := defaultTerms()
	terms.MinDeposit = sdkmath.NewInt(1)
	terms.EarlyExitFeeBps = 2000
	terms.LiquidityReserveBps = 0
	v := f.vault(terms)
	p := f.deposit(investor(1), v.Id, 1_000_000)
	f.check.OK(func(ctx sdk.Context) error {
		_, _, err := f.k.Exit(ctx, investor(1), p.Id, p.Shares.SubRaw(1))
		return err
	}, &types.EventExited{})
	v = f.getVault(v.Id)
	require.Equal(t, "1", v.TotalShares.String())
	require.True(t, v.Liquid.GT(sdkmath.NewInt(150_000)), v.Liquid.String())
	f.check.Fails(types.ErrZeroShares, func(ctx sdk.Context) error {
		_, err := f.k.Deposit(ctx, investor(2), v.Id, sdk.NewInt64Coin("ugld", 100))
		return err
	})
}

var sdkerrInvalidCoins = sdkerrors.ErrInvalidCoins
