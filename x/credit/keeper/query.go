package keeper

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/guild-network/guild/x/credit/types"
	"github.com/guild-network/guild/x/internal/modkit"
)

type queryServer struct{ Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the query server over k.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k} }

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Pool(ctx context.Context, req *types.QueryPoolRequest) (*types.QueryPoolResponse, error) {
	params, err := q.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	pool, err := q.GetPool(ctx, req.Denom)
	if err != nil {
		return nil, err
	}
	return &types.QueryPoolResponse{Pool: q.poolView(ctx, params, pool)}, nil
}

func (q queryServer) Pools(ctx context.Context, _ *types.QueryPoolsRequest) (*types.QueryPoolsResponse, error) {
	params, err := q.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	res := &types.QueryPoolsResponse{}
	err = q.pools.Walk(ctx, nil, func(_ string, p types.Pool) (bool, error) {
		res.Pools = append(res.Pools, q.poolView(ctx, params, p))
		return false, nil
	})
	return res, err
}

func (q queryServer) Agent(ctx context.Context, req *types.QueryAgentRequest) (*types.QueryAgentResponse, error) {
	params, err := q.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	a, err := q.GetAgent(ctx, req.AgentId)
	if err != nil {
		return nil, err
	}
	res := &types.QueryAgentResponse{Agent: a}
	it, err := q.loans.Iterate(ctx, collections.NewPrefixedPairRange[uint64, string](a.Id))
	if err != nil {
		return nil, err
	}
	loans, err := it.Values()
	if err != nil {
		return nil, err
	}
	for _, l := range loans {
		pool, err := q.loadPool(ctx, params, l.Denom)
		if err != nil {
			return nil, err
		}
		debt := types.DebtOf(l.Scaled, pool.BorrowIndex)
		cc, err := q.Keeper.ChainCollateral(ctx, a, l.Denom)
		if err != nil {
			return nil, err
		}
		seen := cc.Total
		res.Loans = append(res.Loans, types.LoanView{Loan: l, Debt: debt, Interest: sdkmath.MaxInt(debt.Sub(l.Principal), sdkmath.ZeroInt()),
			ChainCollateral: seen, ChainDtl: sdkmath.LegacyNewDec(int64(types.DTLBps(debt, seen))).QuoInt64(types.BpsDenominator)})
	}
	return res, nil
}

func (q queryServer) Agents(ctx context.Context, req *types.QueryAgentsRequest) (*types.QueryAgentsResponse, error) {
	if req.Owner != "" {
		ids, err := q.agents.Indexes.Owner.PrimaryKeys(ctx, req.Owner, 0)
		if err != nil {
			return nil, err
		}
		res := &types.QueryAgentsResponse{}
		for _, id := range ids {
			a, err := q.agents.Get(ctx, id)
			if err != nil {
				return nil, err
			}
			res.Agents = append(res.Agents, a)
		}
		return res, nil
	}
	agents, page, err := query.CollectionPaginate(ctx, q.agents, req.Pagination,
		func(_ uint64, a types.Agent) (types.Agent, error) { return a, nil })
	if err != nil {
		return nil, err
	}
	return &types.QueryAgentsResponse{Agents: agents, Pagination: page}, nil
}

// MaxBorrow answers GLIF's users' question "why can I only borrow this much?": the largest
// borrow now and which limit binds.
func (q queryServer) MaxBorrow(ctx context.Context, req *types.QueryMaxBorrowRequest) (*types.QueryMaxBorrowResponse, error) {
	params, err := q.params.Get(ctx)
	if err != nil {
		return nil, err
	}
	a, err := q.GetAgent(ctx, req.AgentId)
	if err != nil {
		return nil, err
	}
	var collateral *sdkmath.Int
	if req.CollateralValue != "" {
		c, ok := sdkmath.NewIntFromString(req.CollateralValue)
		if !ok || c.IsNegative() {
			return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidRequest, "collateral_value %q", req.CollateralValue)
		}
		collateral = &c
	}
	return q.Keeper.MaxBorrow(ctx, params, a, req.Denom, collateral)
}

// MaxBorrow computes the largest borrow of denom the agent could make now, given a collateral
// value (nil: the chain-seen collateral, which is the ceiling of any credential's).
func (k Keeper) MaxBorrow(ctx context.Context, params types.Params, a types.Agent, denom string, collateral *sdkmath.Int) (*types.QueryMaxBorrowResponse, error) {
	z := sdkmath.ZeroInt()
	res := &types.QueryMaxBorrowResponse{Max: z, Debt: z, CollateralValue: z, ChainCollateral: z, Dtl: sdkmath.LegacyZeroDec(),
		ByDtl: z, ByLiquidity: z, ByAgentCap: z, State: a.State}
	pool, err := k.loadPool(ctx, params, denom)
	if err != nil {
		return nil, err
	}
	loan, err := k.loan(ctx, a.Id, denom)
	if err != nil {
		return nil, err
	}
	res.Debt = types.DebtOf(loan.Scaled, pool.BorrowIndex)
	cc, err := k.ChainCollateral(ctx, a, denom)
	if err != nil {
		return nil, err
	}
	res.ChainCollateral = cc.Total
	res.CollateralValue = res.ChainCollateral
	if collateral != nil && collateral.LT(res.ChainCollateral) {
		res.CollateralValue = *collateral
	}
	res.Dtl = sdkmath.LegacyNewDec(int64(types.DTLBps(res.Debt, res.CollateralValue))).QuoInt64(types.BpsDenominator)
	res.ByDtl = types.BorrowByDTL(res.Debt, res.CollateralValue, params.MaxDtlBps)
	res.ByLiquidity = types.BorrowByLiquidity(pool.Liquid, types.PoolAssets(pool, params.TreasuryBps), params.MinLiquidityBps)
	byCap, capped := types.BorrowByCap(loan.Principal, params.MaxAgentPrincipal)
	if capped {
		res.ByAgentCap = byCap
	}
	open, err := k.openLoanDenom(ctx, a.Id)
	if err != nil {
		return nil, err
	}
	switch {
	case a.State != types.AGENT_STATE_HEALTHY:
		res.Binding, res.Reason = types.LimitState, fmt.Sprintf("agent %d is %s: borrowing is blocked until it is recovered", a.Id, a.State)
		return res, nil
	case open != "" && open != denom:
		res.Binding, res.Reason = types.LimitState, fmt.Sprintf("agent %d owes in %s; it borrows from one pool at a time", a.Id, open)
		return res, nil
	case !res.CollateralValue.IsPositive():
		res.Binding, res.Reason = types.LimitCollateral, fmt.Sprintf("agent %d holds no %s collateral the chain can see (liquid, bonds of its providers' nodes, or their unclaimed earnings)", a.Id, denom)
		return res, nil
	}
	res.Max, res.Binding = res.ByDtl, types.LimitDTL
	res.Reason = fmt.Sprintf("debt %s + borrow must stay within %d bps of collateral %s (borrowed funds count as collateral)", res.Debt, params.MaxDtlBps, res.CollateralValue)
	if res.ByLiquidity.LT(res.Max) {
		res.Max, res.Binding = res.ByLiquidity, types.LimitLiquidity
		res.Reason = fmt.Sprintf("the pool has %s%s liquid and keeps %d bps of its assets liquid", pool.Liquid, denom, params.MinLiquidityBps)
	}
	if capped && byCap.LT(res.Max) {
		res.Max, res.Binding = byCap, types.LimitAgentCap
		res.Reason = fmt.Sprintf("the per-agent cap is %s%s and the agent's principal is %s", params.MaxAgentPrincipal, denom, loan.Principal)
	}
	return res, nil
}

func (q queryServer) ChainCollateral(ctx context.Context, req *types.QueryChainCollateralRequest) (*types.QueryChainCollateralResponse, error) {
	a, err := q.GetAgent(ctx, req.AgentId)
	if err != nil {
		return nil, err
	}
	if err := sdk.ValidateDenom(req.Denom); err != nil {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidRequest, "denom: %v", err)
	}
	cc, err := q.Keeper.ChainCollateral(ctx, a, req.Denom)
	if err != nil {
		return nil, err
	}
	return &cc, nil
}

func (q queryServer) CredentialUsed(ctx context.Context, req *types.QueryCredentialUsedRequest) (*types.QueryCredentialUsedResponse, error) {
	hash, err := hex.DecodeString(req.Hash)
	if err != nil || len(hash) != 32 {
		return nil, errorsmod.Wrapf(sdkerrors.ErrInvalidRequest, "hash %q is not 32 bytes of hex", req.Hash)
	}
	u, err := q.used.Get(ctx, hash)
	if errors.Is(err, collections.ErrNotFound) {
		return &types.QueryCredentialUsedResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &types.QueryCredentialUsedResponse{Used: true, Record: &u}, nil
}

func (q queryServer) CredentialHash(ctx context.Context, req *types.QueryCredentialHashRequest) (*types.QueryCredentialHashResponse, error) {
	h, err := types.CredentialHash(modkit.ChainID(ctx), req.Credential)
	if err != nil {
		return nil, err
	}
	return &types.QueryCredentialHashResponse{Hash: h}, nil
}
