package loadgen

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
	"github.com/cosmos/cosmos-sdk/types/query"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"google.golang.org/grpc/metadata"

	markettypes "github.com/guild-network/guild/x/market/types"
)

// ErrVerify is returned (wrapped) when a check of the chain after a run fails.
var ErrVerify = errors.New("verification failed")

// VerifyHashes looks every committed transaction of a hashes file up on the node behind cctx,
// by hash, and checks it is at the recorded height with code 0. It returns how many it checked.
func VerifyHashes(ctx context.Context, cctx client.Context, cs []Committed) (int, error) {
	node, err := cctx.GetNode()
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		raw, err := hex.DecodeString(c.Hash)
		if err != nil {
			return 0, fmt.Errorf("%w: hash %q: %v", ErrVerify, c.Hash, err)
		}
		res, err := node.Tx(ctx, raw, false)
		if err != nil {
			return 0, fmt.Errorf("%w: tx %s (height %d): %v", ErrVerify, c.Hash, c.Height, err)
		}
		if res.Height != c.Height || res.TxResult.Code != 0 {
			return 0, fmt.Errorf("%w: tx %s reported committed at %d is at %d with code %d", ErrVerify, c.Hash, c.Height, res.Height, res.TxResult.Code)
		}
	}
	return len(cs), nil
}

// MarketCheck is what CheckMarket read at one height.
type MarketCheck struct {
	Height     int64
	Accounts   int // escrow accounts
	LiveLeases int
	Held       map[string]sdkmath.LegacyDec // per denom: Σ balances + Σ owed by live leases
	Escrow     map[string]sdkmath.Int       // the escrow module account's bank balance
}

// CheckMarket reads x/market through queries at one height (every escrow account of every
// account on chain, every live lease, the totals and the escrow module's balance) and checks
// the market's invariants from outside:
//
//   - per denom, escrow module balance = deposited − withdrawn − paid − fees (the totals)
//     = Σ account balances settled to the block + Σ over live leases of unclaimed + billed but
//     not yet accrued (types.Accrued up to the account's settled time), exactly;
//   - no lease is billed past its account's settled time.
func CheckMarket(ctx context.Context, cctx client.Context, height int64) (MarketCheck, error) {
	mc := MarketCheck{Height: height, Held: map[string]sdkmath.LegacyDec{}, Escrow: map[string]sdkmath.Int{}}
	hctx := metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, fmt.Sprint(height))
	cctx = cctx.WithHeight(height)
	market := markettypes.NewQueryClient(cctx)
	add := func(denom string, v sdkmath.LegacyDec) {
		if cur, ok := mc.Held[denom]; ok {
			mc.Held[denom] = cur.Add(v)
		} else {
			mc.Held[denom] = v
		}
	}
	// Every account on chain, then its escrow accounts settled to the block.
	settled := map[string]int64{} // tenant/denom → settled_at
	auth := authtypes.NewQueryClient(cctx)
	var key []byte
	for {
		res, err := auth.Accounts(hctx, &authtypes.QueryAccountsRequest{Pagination: &query.PageRequest{Key: key, Limit: 200}})
		if err != nil {
			return mc, fmt.Errorf("%w: accounts: %v", ErrVerify, err)
		}
		for _, any := range res.Accounts {
			var acc authtypes.AccountI
			if err := cctx.InterfaceRegistry.UnpackAny(any, &acc); err != nil {
				return mc, fmt.Errorf("%w: account: %v", ErrVerify, err)
			}
			views, err := market.Account(hctx, &markettypes.QueryAccountRequest{Tenant: acc.GetAddress().String()})
			if err != nil {
				return mc, fmt.Errorf("%w: escrow of %s: %v", ErrVerify, acc.GetAddress(), err)
			}
			for _, v := range views.Accounts {
				a := v.Account
				mc.Accounts++
				add(a.Denom, a.Balance)
				settled[a.Tenant+"/"+a.Denom] = a.SettledAt
			}
		}
		if key = res.Pagination.GetNextKey(); len(key) == 0 {
			break
		}
	}
	// Every live lease.
	for _, state := range []markettypes.LeaseState{markettypes.LEASE_STATE_PENDING, markettypes.LEASE_STATE_ACTIVE, markettypes.LEASE_STATE_GRACE, markettypes.LEASE_STATE_CLOSING} {
		key = nil
		for {
			res, err := market.Leases(hctx, &markettypes.QueryLeasesRequest{State: state, Pagination: &query.PageRequest{Key: key, Limit: 500}})
			if err != nil {
				return mc, fmt.Errorf("%w: %s leases: %v", ErrVerify, state, err)
			}
			for _, l := range res.Leases {
				mc.LiveLeases++
				add(l.Denom, l.Unclaimed)
				if !markettypes.IsBilling(l.State) {
					continue
				}
				at, ok := settled[l.Tenant+"/"+l.Denom]
				if !ok {
					return mc, fmt.Errorf("%w: lease %d is billed but its account %s/%s does not exist", ErrVerify, l.Id, l.Tenant, l.Denom)
				}
				if l.BilledUntil > at {
					return mc, fmt.Errorf("%w: lease %d billed until %d, past its account's settled time %d", ErrVerify, l.Id, l.BilledUntil, at)
				}
				add(l.Denom, markettypes.Accrued(l.Rate, l.BilledUntil, at))
			}
			if key = res.Pagination.GetNextKey(); len(key) == 0 {
				break
			}
		}
	}
	totals, err := market.Totals(hctx, &markettypes.QueryTotalsRequest{})
	if err != nil {
		return mc, fmt.Errorf("%w: totals: %v", ErrVerify, err)
	}
	escrowAddr := authtypes.NewModuleAddress(markettypes.ModuleName).String()
	bank := banktypes.NewQueryClient(cctx)
	for _, t := range totals.Totals {
		b, err := bank.Balance(hctx, &banktypes.QueryBalanceRequest{Address: escrowAddr, Denom: t.Denom})
		if err != nil {
			return mc, fmt.Errorf("%w: escrow balance: %v", ErrVerify, err)
		}
		mc.Escrow[t.Denom] = b.Balance.Amount
		flows := t.Deposited.Sub(t.Withdrawn).Sub(t.PaidToProviders).Sub(t.Fees)
		if !flows.Equal(b.Balance.Amount) {
			return mc, fmt.Errorf("%w: %s: totals say %s held, escrow account has %s", ErrVerify, t.Denom, flows, b.Balance.Amount)
		}
		held, ok := mc.Held[t.Denom]
		if !ok {
			held = sdkmath.LegacyZeroDec()
		}
		if !held.Equal(sdkmath.LegacyNewDecFromInt(b.Balance.Amount)) {
			return mc, fmt.Errorf("%w: %s: accounts and leases hold %s, escrow account has %s", ErrVerify, t.Denom, held, b.Balance.Amount)
		}
	}
	return mc, nil
}
