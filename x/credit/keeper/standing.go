package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/guild-network/guild/x/market/types"

	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

// Evidence kinds recorded in EventAgentStateChanged.
const (
	EvidenceCredential = "credential"
	EvidenceChain      = "chain"
)

// maxClaimPages bounds the pages of leases claimed per provider at default.
const maxClaimPages = 10

// proveAbove checks that an agent's DTL is above thresholdBps, either from a credential for
// action (its collateral_value, capped by what the chain sees) or, with none, from the chain's
// own evidence: debt above thresholdBps of everything the agent visibly holds — which no honest
// valuation can exceed, so the evidence is sound. It returns the evidence kind and, for a
// credential, its hash to burn.
func (k Keeper) proveAbove(ctx context.Context, params types.Params, a types.Agent, sc *types.SignedCredential, action string, thresholdBps uint32) (string, []byte, types.Credential, error) {
	none := func(types.QueryChainCollateralResponse) sdkmath.Int { return sdkmath.ZeroInt() }
	if sc != nil {
		cred, hash, pos, err := k.checkPositionCredential(ctx, params, a, *sc, action, "", none)
		if err != nil {
			return "", nil, cred, err
		}
		if types.WithinDTL(pos.debt, cred.Data.CollateralValue, thresholdBps) {
			return "", nil, cred, errorsmod.Wrapf(types.ErrNoEvidence, "agent %d: debt %s against collateral %s is %d bps, not above %d bps",
				a.Id, pos.debt, cred.Data.CollateralValue, types.DTLBps(pos.debt, cred.Data.CollateralValue), thresholdBps)
		}
		return EvidenceCredential, hash, cred, nil
	}
	denom, err := k.openLoanDenom(ctx, a.Id)
	if err != nil {
		return "", nil, types.Credential{}, err
	}
	if denom == "" {
		return "", nil, types.Credential{}, errorsmod.Wrapf(types.ErrNoEvidence, "agent %d owes nothing", a.Id)
	}
	pool, err := k.loadPool(ctx, params, denom)
	if err != nil {
		return "", nil, types.Credential{}, err
	}
	loan, err := k.loan(ctx, a.Id, denom)
	if err != nil {
		return "", nil, types.Credential{}, err
	}
	debt := types.DebtOf(loan.Scaled, pool.BorrowIndex)
	cc, err := k.ChainCollateral(ctx, a, denom)
	if err != nil {
		return "", nil, types.Credential{}, err
	}
	seen := cc.Total
	if types.WithinDTL(debt, seen, thresholdBps) {
		return "", nil, types.Credential{}, errorsmod.Wrapf(types.ErrNoEvidence,
			"agent %d: debt %s%s against the %s%s the chain sees it hold is %d bps, not above %d bps; a credential can prove a lower value",
			a.Id, debt, denom, seen, denom, types.DTLBps(debt, seen), thresholdBps)
	}
	return EvidenceChain, nil, types.Credential{}, nil
}

func (k Keeper) setState(ctx context.Context, a *types.Agent, to types.AgentState, evidence string) error {
	from := a.State
	a.State = to
	if err := k.agents.Set(ctx, a.Id, *a); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventAgentStateChanged{AgentId: a.Id, From: from, To: to, Evidence: evidence})
}

// PutOnAdministration moves a HEALTHY agent whose DTL is above administration_dtl to
// ADMINISTRATION, where borrowing and withdrawing are blocked and anyone may pay. Anyone may
// send it, with a credential or on the chain's evidence.
func (k Keeper) PutOnAdministration(ctx context.Context, agentID uint64, sc *types.SignedCredential) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	a, err := k.GetAgent(ctx, agentID)
	if err != nil {
		return err
	}
	if a.State != types.AGENT_STATE_HEALTHY {
		return errorsmod.Wrapf(types.ErrInvalidState, "agent %d is %s", agentID, a.State)
	}
	evidence, hash, cred, err := k.proveAbove(ctx, params, a, sc, types.ActionPutOnAdministration, params.AdministrationDtlBps)
	if err != nil {
		return err
	}
	if hash != nil {
		if err := k.burn(ctx, agentID, hash, cred); err != nil {
			return err
		}
	}
	return k.setState(ctx, &a, types.AGENT_STATE_ADMINISTRATION, evidence)
}

// SetRecovered returns an agent on ADMINISTRATION to HEALTHY, with a credential showing DTL
// within max_dtl and faults within tolerance (owner or operator).
func (k Keeper) SetRecovered(ctx context.Context, signer string, agentID uint64, sc types.SignedCredential) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	a, err := k.controlledAgent(ctx, agentID, signer)
	if err != nil {
		return err
	}
	if a.State != types.AGENT_STATE_ADMINISTRATION {
		return errorsmod.Wrapf(types.ErrInvalidState, "agent %d is %s, not on administration", agentID, a.State)
	}
	cred, hash, pos, err := k.checkPositionCredential(ctx, params, a, sc, types.ActionSetRecovered, "",
		func(types.QueryChainCollateralResponse) sdkmath.Int { return sdkmath.ZeroInt() })
	if err != nil {
		return err
	}
	if err := checkHealthy(params, cred, pos.debt, types.ErrDTLExceeded); err != nil {
		return err
	}
	if err := k.burn(ctx, agentID, hash, cred); err != nil {
		return err
	}
	return k.setState(ctx, &a, types.AGENT_STATE_HEALTHY, EvidenceCredential)
}

// SetDefault puts an agent whose DTL is above liquidation_dtl in DEFAULT, for good, and
// liquidates it: it claims its providers' market earnings (paid to the agent, their
// beneficiary), seizes their node bonds into the agent, and pays from the agent's funds in the
// loan's denom interest, principal and the liquidation fee; it returns every remaining coin to
// the owner, writes off what stays unpaid against the pool's share price, and hands the
// providers back to the owner (proposed owner and beneficiary). Anyone may send it.
func (k Keeper) SetDefault(ctx context.Context, agentID uint64, sc *types.SignedCredential) ([]types.Liquidation, error) {
	params, err := k.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	a, err := k.GetAgent(ctx, agentID)
	if err != nil {
		return nil, err
	}
	if a.State == types.AGENT_STATE_DEFAULT {
		return nil, errorsmod.Wrapf(types.ErrInvalidState, "agent %d is already in default", agentID)
	}
	evidence, hash, cred, err := k.proveAbove(ctx, params, a, sc, types.ActionSetDefault, params.LiquidationDtlBps)
	if err != nil {
		return nil, err
	}
	if hash != nil {
		if err := k.burn(ctx, agentID, hash, cred); err != nil {
			return nil, err
		}
	}
	if err := k.setState(ctx, &a, types.AGENT_STATE_DEFAULT, evidence); err != nil {
		return nil, err
	}
	addr := sdk.MustAccAddressFromBech32(a.Address)
	for _, p := range a.Providers {
		if err := k.claimEarnings(ctx, p); err != nil {
			return nil, err
		}
		if _, err := k.provider.SeizeBonds(ctx, p, a.Address); err != nil {
			return nil, errorsmod.Wrapf(err, "seizing the bonds of %s", p)
		}
	}
	denom, err := k.openLoanDenom(ctx, agentID)
	if err != nil {
		return nil, err
	}
	var out []types.Liquidation
	if denom != "" {
		l, err := k.liquidateLoan(ctx, params, a, denom)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if rest := k.bank.GetAllBalances(ctx, addr); !rest.IsZero() {
		if err := k.bank.SendCoins(ctx, addr, sdk.MustAccAddressFromBech32(a.Owner), rest); err != nil {
			return nil, err
		}
	}
	for _, p := range a.Providers {
		if err := k.releaseProvider(ctx, a, p); err != nil {
			return nil, err
		}
	}
	a.Providers = nil
	return out, k.agents.Set(ctx, agentID, a)
}

// claimEarnings claims a provider's live leases, a bounded number of pages.
func (k Keeper) claimEarnings(ctx context.Context, provider string) error {
	var after uint64
	for range maxClaimPages {
		res, err := k.market.ClaimProvider(ctx, &markettypes.MsgClaimProvider{Sender: k.moduleAddr.String(), Provider: provider, StartAfter: after})
		if err != nil {
			return errorsmod.Wrapf(err, "claiming the earnings of %s", provider)
		}
		if res.Next == 0 {
			return nil
		}
		after = res.Next
	}
	return nil
}

// liquidateLoan runs the waterfall of one loan against the agent's funds in its denom.
func (k Keeper) liquidateLoan(ctx context.Context, params types.Params, a types.Agent, denom string) (types.Liquidation, error) {
	pool, err := k.loadPool(ctx, params, denom)
	if err != nil {
		return types.Liquidation{}, err
	}
	loan, err := k.loan(ctx, a.Id, denom)
	if err != nil {
		return types.Liquidation{}, err
	}
	addr := sdk.MustAccAddressFromBech32(a.Address)
	recovered := k.bank.GetBalance(ctx, addr, denom).Amount
	p, l := types.SplitLiquidation(loan, pool.BorrowIndex, recovered, params.TreasuryBps, params.LiquidationFeeBps)
	if toPool := p.Interest.Sub(p.Treasury).Add(p.Principal); toPool.IsPositive() {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, addr, types.ModuleName, sdk.NewCoins(sdk.NewCoin(denom, toPool))); err != nil {
			return l, err
		}
	}
	if toTreasury := p.Treasury.Add(l.Fee); toTreasury.IsPositive() {
		if err := k.distr.FundCommunityPool(ctx, sdk.NewCoins(sdk.NewCoin(denom, toTreasury)), addr); err != nil {
			return l, err
		}
	}
	principal := loan.Principal
	applyToPool(&pool, &loan, p)
	// What stays unpaid leaves the books: the principal from the pool's total, the whole scaled
	// debt already went with ScaledRepaid. The loss lowers the share price.
	pool.TotalPrincipal = pool.TotalPrincipal.Sub(principal.Sub(p.Principal))
	pool.PrincipalWrittenOff = pool.PrincipalWrittenOff.Add(l.PrincipalWrittenOff)
	pool.InterestWrittenOff = pool.InterestWrittenOff.Add(l.InterestWrittenOff)
	pool.LiquidationFees = pool.LiquidationFees.Add(l.Fee)
	loan.Principal, loan.Scaled = sdkmath.ZeroInt(), sdkmath.LegacyZeroDec()
	if err := k.saveLoan(ctx, loan); err != nil {
		return l, err
	}
	if err := k.savePool(ctx, params, pool); err != nil {
		return l, err
	}
	return l, modkit.Emit(ctx, &types.EventLiquidated{AgentId: a.Id, Liquidation: l})
}
