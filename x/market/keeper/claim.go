package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/market/types"
)

// ClaimLease pays what one lease owes to its provider's beneficiary: whole units rounded down
// (the fraction is carried in the lease), less the community fee rounded up (types.Payout).
// Anyone may call it: the money can only go to the beneficiary. It returns the net payout and
// the fee.
func (k Keeper) ClaimLease(ctx context.Context, leaseID uint64) (net, fee sdk.Coin, err error) {
	l, err := k.GetLease(ctx, leaseID)
	if err != nil {
		return net, fee, err
	}
	if err := claimable(l); err != nil {
		return net, fee, err
	}
	err = atomic(ctx, func(ctx context.Context) error {
		net, fee, err = k.claim(ctx, l)
		return err
	})
	return net, fee, err
}

// claimable refuses leases that have nothing to claim: PENDING (never billed) and CLOSED (paid
// in full at close).
func claimable(l types.Lease) error {
	switch l.State {
	case types.LEASE_STATE_ACTIVE, types.LEASE_STATE_CLOSING, types.LEASE_STATE_GRACE:
		return nil
	}
	return errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s: nothing to claim", l.Id, l.State)
}

// claim settles the tenant, bills the lease to now and pays it.
func (k Keeper) claim(ctx context.Context, l types.Lease) (sdk.Coin, sdk.Coin, error) {
	a, err := k.touchAccount(ctx, l.Tenant, l.Denom)
	if err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	// touchAccount may have moved this lease to GRACE or closed it; work on the stored copy.
	if l, err = k.leases.Get(ctx, l.Id); err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	k.accrue(&a, &l)
	net, fee, err := k.pay(ctx, &l)
	if err != nil {
		return net, fee, err
	}
	if err := k.leases.Set(ctx, l.Id, l); err != nil {
		return net, fee, err
	}
	return net, fee, k.saveAccount(ctx, a)
}

// ProviderClaim is what ClaimProvider paid.
type ProviderClaim struct {
	Paid, Fees sdk.Coins
	// Leases is the number of leases claimed; Next, when not 0, is the start_after of the next
	// page.
	Leases uint32
	Next   uint64
}

// ClaimProvider claims a bounded page of a provider's live leases: at most
// min(limit, max_claim_page) of them (limit 0: max_claim_page) with ids above startAfter.
// PENDING leases in the page are skipped (nothing is billed before deployment).
func (k Keeper) ClaimProvider(ctx context.Context, provider string, startAfter uint64, limit uint32) (ProviderClaim, error) {
	var res ProviderClaim
	params, err := k.params.Get(ctx)
	if err != nil {
		return res, err
	}
	if _, err := k.provider.GetProvider(ctx, provider); err != nil {
		return res, err
	}
	page := params.MaxClaimPage
	if limit != 0 && limit < page {
		page = limit
	}
	// Reading one more than the page tells whether another page follows.
	it, err := k.leases.Indexes.LiveByProvider.Iterate(ctx,
		collections.NewPrefixedPairRange[string, uint64](provider).StartExclusive(startAfter))
	if err != nil {
		return res, err
	}
	var pageIDs []uint64
	for ; it.Valid(); it.Next() {
		key, err := it.Key()
		if err != nil {
			it.Close()
			return res, err
		}
		if uint32(len(pageIDs)) == page {
			res.Next = pageIDs[len(pageIDs)-1]
			break
		}
		pageIDs = append(pageIDs, key.K2())
	}
	it.Close()
	err = atomic(ctx, func(ctx context.Context) error {
		for _, id := range pageIDs {
			l, err := k.leases.Get(ctx, id)
			if err != nil {
				return err
			}
			if l.State == types.LEASE_STATE_PENDING || l.State == types.LEASE_STATE_CLOSED {
				continue // closed: an earlier lease's settlement closed it, and paid it in full
			}
			net, fee, err := k.claim(ctx, l)
			if err != nil {
				return err
			}
			res.Paid = res.Paid.Add(net)
			res.Fees = res.Fees.Add(fee)
			res.Leases++
		}
		return nil
	})
	if err != nil {
		return ProviderClaim{}, err
	}
	return res, nil
}
