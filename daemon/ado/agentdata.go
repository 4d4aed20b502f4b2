package ado

import (
	"context"
	"fmt"
	"slices"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	credittypes "github.com/guild-network/guild/x/credit/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Snapshot is the ADO's view of an agent in one denom, after the requested action.
type Snapshot struct {
	Agent  credittypes.Agent
	Params credittypes.Params
	Denom  string
	// Debt is the agent's debt in Denom before the action.
	Debt sdkmath.Int
	// ChainSeen is what the chain sees the agent hold in Denom before the action.
	ChainSeen sdkmath.Int
	// CollateralBefore is the collateral value before the action.
	CollateralBefore sdkmath.Int
	Data             credittypes.AgentData
}

// Formulas (all amounts in the snapshot's denom, the pool's):
//
//	liquid                         = the agent account's balance
//	bonds(online|standby)          = Σ bonds of its providers' nodes whose effective status is online or standby
//	bonds(offline)                 = Σ bonds of the nodes that are offline (stored, or heartbeat stale)
//	earnings                       = Σ its providers' unclaimed market earnings in the denom, as
//	                                 the chain counts them (x/market's lower bound net of the
//	                                 community fee; 0 for a provider with more live leases than
//	                                 the default waterfall claims)
//	agent_value                    = liquid + all bonds + earnings          (what the chain sees)
//	collateral_value               = liquid + bonds(online|standby) + bonds(offline) / 2 + earnings
//	                                 (an offline node's bond is at risk of slashing: half counts;
//	                                 earnings are already a lower bound, so they count in full)
//	expected_daily_fault_penalties = bonds(offline) / 100                   (1% a day of what is at risk)
//	expected_daily_rewards         = Σ over offers on online nodes priced in the denom of
//	                                 units_booked × price × 86,400, rounded down
//	live_sectors / faulty_sectors  = Σ units_booked of offers on online|standby / offline nodes
//	qa_power                       = Σ cpu_milli of online nodes' capacity
//	principal                      = the loan's principal after the action
//	gcred                          = 100 − DTL% after the action, within 0…100
//	green_score                    = 0 (Guild has no energy data yet)
//
// then adjusted for the action: a borrow adds its value to liquid (the funds land in the
// agent), a withdrawal takes it away, removing a provider drops that provider's nodes.
const offlineHaircutDiv = 2

// ComputeSnapshot reads the chain and computes the snapshot for a request.
func ComputeSnapshot(ctx context.Context, ch Chain, r Request) (Snapshot, error) {
	pres, err := ch.Credit().Params(ctx, &credittypes.QueryParamsRequest{})
	if err != nil {
		return Snapshot{}, err
	}
	ares, err := ch.Credit().Agent(ctx, &credittypes.QueryAgentRequest{AgentId: r.Agent})
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Agent: ares.Agent, Params: pres.Params, Debt: sdkmath.ZeroInt()}
	value, err := parseValue(r.Value)
	if err != nil {
		return s, err
	}
	principal := sdkmath.ZeroInt()
	s.Denom = value.Denom
	for _, l := range ares.Loans {
		if s.Denom == "" {
			s.Denom = l.Loan.Denom
		}
		if l.Loan.Denom == s.Denom {
			s.Debt, principal = l.Debt, l.Loan.Principal
		}
	}
	if s.Denom == "" && len(s.Params.LendingDenoms) > 0 {
		s.Denom = s.Params.LendingDenoms[0]
	}
	cres, err := ch.Credit().ChainCollateral(ctx, &credittypes.QueryChainCollateralRequest{AgentId: r.Agent, Denom: s.Denom})
	if err != nil {
		return s, err
	}
	s.ChainSeen = cres.Total
	liquid := cres.Liquid
	earnings := sdkmath.ZeroInt()
	for _, p := range cres.Providers {
		if r.Action == credittypes.ActionRemoveProvider && p.Provider == r.Target {
			continue
		}
		earnings = earnings.Add(p.Earnings)
	}
	onBonds, offBonds := sdkmath.ZeroInt(), sdkmath.ZeroInt()
	var live, faulty, qa uint64
	rewards := sdkmath.LegacyZeroDec()
	for _, p := range s.Agent.Providers {
		if r.Action == credittypes.ActionRemoveProvider && p == r.Target {
			continue
		}
		nres, err := ch.Provider().Nodes(ctx, &providertypes.QueryNodesRequest{Provider: p})
		if err != nil {
			return s, err
		}
		online := map[uint64]bool{}
		for _, n := range nres.Nodes {
			one, err := ch.Provider().Node(ctx, &providertypes.QueryNodeRequest{Id: n.Id})
			if err != nil {
				return s, err
			}
			up := one.EffectiveStatus != providertypes.NODE_STATUS_OFFLINE
			online[n.Id] = up
			bond := sdkmath.ZeroInt()
			if n.Bond.Denom == s.Denom {
				bond = n.Bond.Amount
			}
			if up {
				onBonds = onBonds.Add(bond)
				if one.EffectiveStatus == providertypes.NODE_STATUS_ONLINE {
					qa += n.Capacity.CpuMilli
				}
			} else {
				offBonds = offBonds.Add(bond)
			}
		}
		ores, err := ch.Provider().Offers(ctx, &providertypes.QueryOffersRequest{Provider: p})
		if err != nil {
			return s, err
		}
		for _, o := range ores.Offers {
			if online[o.NodeId] {
				live += o.UnitsBooked
				if o.Price.Denom == s.Denom {
					rewards = rewards.Add(o.Price.Amount.MulInt64(int64(o.UnitsBooked) * 86400))
				}
			} else {
				faulty += o.UnitsBooked
			}
		}
	}
	s.CollateralBefore = liquid.Add(onBonds).Add(offBonds.QuoRaw(offlineHaircutDiv)).Add(earnings)
	after := s.CollateralBefore
	agentValue := liquid.Add(onBonds).Add(offBonds).Add(earnings)
	switch r.Action {
	case credittypes.ActionBorrow:
		after, agentValue = after.Add(value.Amount), agentValue.Add(value.Amount)
		principal = principal.Add(value.Amount)
	case credittypes.ActionWithdraw:
		after, agentValue = after.Sub(value.Amount), agentValue.Sub(value.Amount)
	}
	if after.IsNegative() {
		after = sdkmath.ZeroInt()
	}
	if agentValue.IsNegative() {
		agentValue = sdkmath.ZeroInt()
	}
	debtAfter := s.Debt
	if r.Action == credittypes.ActionBorrow {
		debtAfter = debtAfter.Add(value.Amount)
	}
	gcred := int64(100) - int64(min(credittypes.DTLBps(debtAfter, after)/100, 100))
	s.Data = credittypes.AgentData{
		AgentValue:                  agentValue,
		CollateralValue:             after,
		ExpectedDailyFaultPenalties: offBonds.QuoRaw(100),
		ExpectedDailyRewards:        rewards.TruncateInt(),
		Gcred:                       uint64(gcred),
		QaPower:                     qa,
		Principal:                   principal,
		FaultySectors:               faulty,
		LiveSectors:                 live,
		GreenScore:                  0,
	}
	return s, nil
}

// Refusal is a pre-check failure: the action would fail on chain, so no credential is issued.
type Refusal struct {
	Code   string // a stable machine-readable code, e.g. "dtl", "liquidity", "state"
	Reason string
}

func (r *Refusal) Error() string { return r.Code + ": " + r.Reason }

func refuse(code, format string, args ...any) *Refusal {
	return &Refusal{Code: code, Reason: fmt.Sprintf(format, args...)}
}

// Precheck says whether the action would pass on chain with the snapshot's data, and why not.
func Precheck(ctx context.Context, ch Chain, r Request, s Snapshot) error {
	p, a, d := s.Params, s.Agent, s.Data
	faultsOK := credittypes.FaultsWithin(d.FaultySectors, d.LiveSectors, p.FaultToleranceBps)
	value, _ := parseValue(r.Value)
	switch r.Action {
	case credittypes.ActionBorrow:
		if !faultsOK {
			return refuse("faults", "%d faulty units against %d live is above the %d bps tolerance", d.FaultySectors, d.LiveSectors, p.FaultToleranceBps)
		}
		m, err := ch.Credit().MaxBorrow(ctx, &credittypes.QueryMaxBorrowRequest{AgentId: a.Id, Denom: value.Denom, CollateralValue: s.CollateralBefore.String()})
		if err != nil {
			return err
		}
		if value.Amount.GT(m.Max) {
			return refuse(m.Binding, "at most %s%s can be borrowed now: %s", m.Max, value.Denom, m.Reason)
		}
	case credittypes.ActionWithdraw:
		if a.State != credittypes.AGENT_STATE_HEALTHY {
			return refuse("state", "agent %d is %s: withdrawals are blocked", a.Id, a.State)
		}
		if s.Debt.IsPositive() && value.Denom == s.Denom {
			if !faultsOK {
				return refuse("faults", "%d faulty units against %d live", d.FaultySectors, d.LiveSectors)
			}
			if !credittypes.WithinDTL(s.Debt, d.CollateralValue, p.MaxDtlBps) {
				return refuse("dtl", "after withdrawing %s, debt %s against collateral %s would be %d bps (max %d)",
					value, s.Debt, d.CollateralValue, credittypes.DTLBps(s.Debt, d.CollateralValue), p.MaxDtlBps)
			}
		}
	case credittypes.ActionRemoveProvider:
		if !slices.Contains(a.Providers, r.Target) {
			return refuse("not_agent_provider", "agent %d does not hold provider %s", a.Id, r.Target)
		}
		if a.State != credittypes.AGENT_STATE_HEALTHY {
			return refuse("state", "agent %d is %s", a.Id, a.State)
		}
		if s.Debt.IsPositive() && !credittypes.WithinDTL(s.Debt, d.CollateralValue, p.MaxDtlBps) {
			return refuse("dtl", "without %s, debt %s against collateral %s would be %d bps (max %d)",
				r.Target, s.Debt, d.CollateralValue, credittypes.DTLBps(s.Debt, d.CollateralValue), p.MaxDtlBps)
		}
	case credittypes.ActionSetRecovered:
		if a.State != credittypes.AGENT_STATE_ADMINISTRATION {
			return refuse("state", "agent %d is %s, not on administration", a.Id, a.State)
		}
		if !faultsOK || !credittypes.WithinDTL(s.Debt, d.CollateralValue, p.MaxDtlBps) {
			return refuse("dtl", "debt %s against collateral %s is %d bps (recovery needs at most %d) with %d faulty of %d live units",
				s.Debt, d.CollateralValue, credittypes.DTLBps(s.Debt, d.CollateralValue), p.MaxDtlBps, d.FaultySectors, d.LiveSectors)
		}
	case credittypes.ActionPutOnAdministration, credittypes.ActionSetDefault:
		threshold := p.AdministrationDtlBps
		if r.Action == credittypes.ActionSetDefault {
			threshold = p.LiquidationDtlBps
			if a.State == credittypes.AGENT_STATE_DEFAULT {
				return refuse("state", "agent %d is already in default", a.Id)
			}
		} else if a.State != credittypes.AGENT_STATE_HEALTHY {
			return refuse("state", "agent %d is %s", a.Id, a.State)
		}
		if credittypes.WithinDTL(s.Debt, d.CollateralValue, threshold) {
			return refuse("dtl", "debt %s against collateral %s is %d bps, not above %d", s.Debt, d.CollateralValue,
				credittypes.DTLBps(s.Debt, d.CollateralValue), threshold)
		}
	default:
		return refuse("action", "%q is not a credentialed action (one of %v)", r.Action, credittypes.CredentialActions)
	}
	return nil
}

func parseValue(v string) (sdk.Coin, error) {
	if v == "" {
		return sdk.Coin{Amount: sdkmath.ZeroInt()}, nil
	}
	c, err := sdk.ParseCoinNormalized(v)
	if err != nil {
		return sdk.Coin{}, fmt.Errorf("%w: value %q: %v", ErrMalformed, v, err)
	}
	return c, nil
}
