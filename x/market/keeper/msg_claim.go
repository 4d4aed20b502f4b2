package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/market/types"
)

// Claim pays what one lease owes to its provider's beneficiary. Anyone may send it: the money
// can only go to the beneficiary.
func (s msgServer) Claim(ctx context.Context, m *types.MsgClaim) (*types.MsgClaimResponse, error) {
	l, err := s.getLease(ctx, m.LeaseId)
	if err != nil {
		return nil, err
	}
	net, fee, err := s.claim(ctx, l)
	if err != nil {
		return nil, err
	}
	return &types.MsgClaimResponse{Paid: net, Fee: fee}, nil
}

// claim settles the tenant, bills the lease to now and pays it.
func (k Keeper) claim(ctx context.Context, l types.Lease) (sdk.Coin, sdk.Coin, error) {
	switch l.State {
	case types.LEASE_STATE_ACTIVE, types.LEASE_STATE_CLOSING, types.LEASE_STATE_GRACE:
	default:
		return sdk.Coin{}, sdk.Coin{}, errorsmod.Wrapf(types.ErrInvalidState, "lease %d is %s: nothing to claim", l.Id, l.State)
	}
	a, err := k.touchAccount(ctx, l.Tenant, l.Denom)
	if err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	// touchAccount may have moved this lease to GRACE or closed it; work on the stored copy.
	if l, err = k.Leases.Get(ctx, l.Id); err != nil {
		return sdk.Coin{}, sdk.Coin{}, err
	}
	k.accrue(&a, &l)
	net, fee, err := k.pay(ctx, &l)
	if err != nil {
		return net, fee, err
	}
	if err := k.Leases.Set(ctx, l.Id, l); err != nil {
		return net, fee, err
	}
	return net, fee, k.saveAccount(ctx, a)
}

// ClaimProvider claims a bounded page of a provider's live leases.
func (s msgServer) ClaimProvider(ctx context.Context, m *types.MsgClaimProvider) (*types.MsgClaimProviderResponse, error) {
	params, err := s.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.provider.GetProvider(ctx, m.Provider); err != nil {
		return nil, err
	}
	limit := params.MaxClaimPage
	if m.Limit != 0 && m.Limit < limit {
		limit = m.Limit
	}
	rng := collections.NewPrefixedPairRange[string, uint64](m.Provider).StartExclusive(m.StartAfter)
	it, err := s.LiveByProvider.Iterate(ctx, rng)
	if err != nil {
		return nil, err
	}
	var ids []uint64
	next := uint64(0)
	for ; it.Valid(); it.Next() {
		key, err := it.Key()
		if err != nil {
			it.Close()
			return nil, err
		}
		if uint32(len(ids)) == limit {
			next = ids[len(ids)-1]
			break
		}
		ids = append(ids, key.K2())
	}
	it.Close()
	res := &types.MsgClaimProviderResponse{Next: next}
	for _, id := range ids {
		l, err := s.Leases.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		if l.State == types.LEASE_STATE_PENDING {
			continue
		}
		net, fee, err := s.claim(ctx, l)
		if err != nil {
			return nil, err
		}
		res.Paid = res.Paid.Add(net)
		res.Fees = res.Fees.Add(fee)
		res.Leases++
	}
	return res, nil
}
