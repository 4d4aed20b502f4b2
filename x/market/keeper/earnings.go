package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/market/types"
)

// EarningsKey is (provider, denom).
type EarningsKey = collections.Pair[string, string]

// EarningsIndex is a collections.Index of the leases map that keeps, per (provider, denom), the
// sums of types.ProviderEarnings over the provider's live leases. The IndexedMap calls it on
// every write and delete of a lease, so each change costs O(1) (subtract the old lease's share,
// add the new one's) and the aggregate can never drift from the leases; CheckInvariants
// recomputes it from them.
type EarningsIndex struct {
	sums collections.Map[EarningsKey, types.ProviderEarnings]
}

var _ collections.Index[uint64, types.Lease] = (*EarningsIndex)(nil)

// NewEarningsIndex registers the aggregate in the schema.
func NewEarningsIndex(sb *collections.SchemaBuilder, cdc codec.BinaryCodec) *EarningsIndex {
	return &EarningsIndex{sums: collections.NewMap(sb, types.ProviderEarningsKey, "provider_earnings",
		collections.PairKeyCodec(collections.StringKey, collections.StringKey), codec.CollValue[types.ProviderEarnings](cdc))}
}

// share is what one lease adds to its provider's aggregate, and whether it adds anything (only
// live leases do). Every field is exact: rate has 18 decimals and billed_until is whole seconds.
func share(l types.Lease) (count uint64, unclaimed, rate, rateTime sdkmath.LegacyDec, ok bool) {
	z := sdkmath.LegacyZeroDec()
	if !types.IsLive(l.State) {
		return 0, z, z, z, false
	}
	unclaimed = l.Unclaimed
	if unclaimed.IsNil() {
		unclaimed = z
	}
	rate, rateTime = z, z
	if types.IsBilling(l.State) {
		rate, rateTime = l.Rate, l.Rate.MulInt64(l.BilledUntil)
	}
	return 1, unclaimed, rate, rateTime, true
}

// add adds (sign > 0) or subtracts (sign < 0) one lease's share to its provider's aggregate.
func (i *EarningsIndex) add(ctx context.Context, l types.Lease, sign int64) error {
	if !types.IsLive(l.State) {
		return nil
	}
	return i.update(ctx, l.Provider, l.Denom, func(e *types.ProviderEarnings) error { return apply(e, l, sign) })
}

// apply adds or subtracts one lease's share to an aggregate row.
func apply(e *types.ProviderEarnings, l types.Lease, sign int64) error {
	n, u, r, rt, ok := share(l)
	if !ok {
		return nil
	}
	if sign > 0 {
		e.LiveLeases += n
		e.Unclaimed, e.BillingRate, e.BillingRateTime = e.Unclaimed.Add(u), e.BillingRate.Add(r), e.BillingRateTime.Add(rt)
		return nil
	}
	if e.LiveLeases < n {
		return fmt.Errorf("provider earnings %s/%s: removing lease %d from an empty aggregate", l.Provider, l.Denom, l.Id)
	}
	e.LiveLeases -= n
	e.Unclaimed, e.BillingRate, e.BillingRateTime = e.Unclaimed.Sub(u), e.BillingRate.Sub(r), e.BillingRateTime.Sub(rt)
	return nil
}

// update reads one aggregate row (a zero row if there is none), changes it and writes it back
// once, removing it when no live lease is left in it.
func (i *EarningsIndex) update(ctx context.Context, provider, denom string, change func(*types.ProviderEarnings) error) error {
	key := collections.Join(provider, denom)
	e, err := i.sums.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		z := sdkmath.LegacyZeroDec()
		e, err = types.ProviderEarnings{Provider: provider, Denom: denom, Unclaimed: z, BillingRate: z, BillingRateTime: z}, nil
	}
	if err != nil {
		return err
	}
	if err := change(&e); err != nil {
		return err
	}
	if e.LiveLeases == 0 {
		return i.sums.Remove(ctx, key)
	}
	return i.sums.Set(ctx, key, e)
}

// sameShare reports whether two versions of a lease add exactly the same to the same aggregate
// row (or both add nothing), so that a write between them leaves the aggregate as it is.
func sameShare(a, b types.Lease) bool {
	na, ua, ra, rta, oka := share(a)
	nb, ub, rb, rtb, okb := share(b)
	if !oka || !okb {
		return oka == okb
	}
	return a.Provider == b.Provider && a.Denom == b.Denom && na == nb &&
		ua.Equal(ub) && ra.Equal(rb) && rta.Equal(rtb)
}

// Reference implements collections.Index. A write that changes nothing in the lease's share
// (a deployment report, a claim of zero, any write of a closed lease) touches no aggregate; a
// write within one (provider, denom) row reads and writes that row once.
func (i *EarningsIndex) Reference(ctx context.Context, _ uint64, l types.Lease, lazyOld func() (types.Lease, error)) error {
	old, err := lazyOld()
	switch {
	case err == nil:
		if sameShare(old, l) {
			return nil
		}
		if types.IsLive(old.State) && types.IsLive(l.State) && old.Provider == l.Provider && old.Denom == l.Denom {
			return i.update(ctx, l.Provider, l.Denom, func(e *types.ProviderEarnings) error {
				if err := apply(e, old, -1); err != nil {
					return err
				}
				return apply(e, l, +1)
			})
		}
		if err := i.add(ctx, old, -1); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	return i.add(ctx, l, +1)
}

// Unreference implements collections.Index.
func (i *EarningsIndex) Unreference(ctx context.Context, _ uint64, lazyOld func() (types.Lease, error)) error {
	old, err := lazyOld()
	if err != nil {
		return err
	}
	return i.add(ctx, old, -1)
}

// Verify recomputes the aggregate from every lease and compares it both ways (invariant helper:
// it walks every lease).
func (i *EarningsIndex) Verify(ctx context.Context, each func(fn func(uint64, types.Lease) error) error) error {
	want := map[string]types.ProviderEarnings{}
	var order []string
	if err := each(func(_ uint64, l types.Lease) error {
		n, u, r, rt, ok := share(l)
		if !ok {
			return nil
		}
		k := l.Provider + "/" + l.Denom
		e, seen := want[k]
		if !seen {
			z := sdkmath.LegacyZeroDec()
			e = types.ProviderEarnings{Provider: l.Provider, Denom: l.Denom, Unclaimed: z, BillingRate: z, BillingRateTime: z}
			order = append(order, k)
		}
		e.LiveLeases += n
		e.Unclaimed, e.BillingRate, e.BillingRateTime = e.Unclaimed.Add(u), e.BillingRate.Add(r), e.BillingRateTime.Add(rt)
		want[k] = e
		return nil
	}); err != nil {
		return err
	}
	got := 0
	if err := i.sums.Walk(ctx, nil, func(key EarningsKey, e types.ProviderEarnings) (bool, error) {
		got++
		w, ok := want[key.K1()+"/"+key.K2()]
		if !ok {
			return true, fmt.Errorf("provider earnings %s/%s: stale aggregate (no live lease)", key.K1(), key.K2())
		}
		if e.LiveLeases != w.LiveLeases || !e.Unclaimed.Equal(w.Unclaimed) || !e.BillingRate.Equal(w.BillingRate) || !e.BillingRateTime.Equal(w.BillingRateTime) {
			return true, fmt.Errorf("provider earnings %s/%s: stored %v, leases give %v", key.K1(), key.K2(), e, w)
		}
		return false, nil
	}); err != nil {
		return err
	}
	if got != len(order) {
		return fmt.Errorf("provider earnings: %d aggregates stored, leases derive %d", got, len(order))
	}
	return nil
}

// ProviderEarnings is what a provider has earned in denom and not yet claimed, in O(denoms):
// one aggregate read per payment denom and the head of the funds queue. The figure is a lower
// bound of what ClaimProvider over all its pages pays the beneficiary now:
//
//	τ     = min(now, the earliest funded_until of any billed account)   (every billed tenant has paid through τ)
//	gross = max(unclaimed, unclaimed + τ × billing_rate − billing_rate_time)
//	net   = floor((gross − n) × (10000 − community_fee_bps) / 10000) − n, at least 0
//
// where n is the number of live leases in denom: each lease's payout rounds down (loses < 1)
// and its fee rounds up (costs < 1 more than the exact share). Past τ a tenant may have run out
// before the end blocker saw it, so nothing after τ is counted.
func (k Keeper) ProviderEarnings(ctx context.Context, provider, denom string) (types.Earnings, error) {
	out := types.Earnings{Gross: sdkmath.LegacyZeroDec(), Net: sdkmath.ZeroInt()}
	params, err := k.params.Get(ctx)
	if err != nil {
		return out, err
	}
	var mine types.ProviderEarnings
	found := false
	if err := k.leases.Indexes.Earnings.sums.Walk(ctx, collections.NewPrefixedPairRange[string, string](provider),
		func(key EarningsKey, e types.ProviderEarnings) (bool, error) {
			out.LiveLeases += e.LiveLeases
			if key.K2() == denom {
				mine, found = e, true
			}
			return false, nil
		}); err != nil {
		return out, err
	}
	if page := uint64(params.MaxClaimPage); page > 0 {
		out.ClaimPages = (out.LiveLeases + page - 1) / page
	}
	if !found {
		return out, nil
	}
	tau := modkit.BlockTime(ctx)
	it, err := k.accounts.Indexes.Funds.Iterate(ctx, nil)
	if err != nil {
		return out, err
	}
	if it.Valid() {
		key, err := it.Key()
		if err != nil {
			it.Close()
			return out, err
		}
		tau = min(tau, key.K1())
	}
	it.Close()
	gross := mine.Unclaimed.Add(mine.BillingRate.MulInt64(tau)).Sub(mine.BillingRateTime)
	if gross.LT(mine.Unclaimed) {
		gross = mine.Unclaimed
	}
	out.Gross = gross
	out.Net = types.NetEarnings(gross, mine.LiveLeases, params.CommunityFeeBps)
	return out, nil
}

// earningsRows returns a provider's aggregate rows, one per denom with a live lease, in denom
// order.
func (k Keeper) earningsRows(ctx context.Context, provider string) ([]types.ProviderEarnings, error) {
	it, err := k.leases.Indexes.Earnings.sums.Iterate(ctx, collections.NewPrefixedPairRange[string, string](provider))
	if err != nil {
		return nil, err
	}
	return it.Values()
}

// ProviderMarket is x/market as a module holding providers as collateral (x/credit) sees it:
// the provider claim exactly as the message server runs it, and the earnings reader.
type ProviderMarket struct {
	k  Keeper
	ms types.MsgServer
}

// NewProviderMarket wraps the keeper.
func NewProviderMarket(k Keeper) ProviderMarket { return ProviderMarket{k: k, ms: NewMsgServerImpl(k)} }

// ClaimProvider runs MsgClaimProvider.
func (m ProviderMarket) ClaimProvider(ctx context.Context, msg *types.MsgClaimProvider) (*types.MsgClaimProviderResponse, error) {
	return m.ms.ClaimProvider(ctx, msg)
}

// ProviderEarnings is Keeper.ProviderEarnings.
func (m ProviderMarket) ProviderEarnings(ctx context.Context, provider, denom string) (types.Earnings, error) {
	return m.k.ProviderEarnings(ctx, provider, denom)
}
