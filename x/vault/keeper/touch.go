package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/guild-network/guild/x/internal/modkit"
	providertypes "github.com/guild-network/guild/x/provider/types"
	"github.com/guild-network/guild/x/vault/types"
)

// touched is a vault brought up to date in memory — pledges reconciled with the bonds x/provider
// reports, untracked income booked — with the writes that make it so, not yet done. Operations
// load it, run all their checks on it, and only then commit it and make their own writes.
type touched struct {
	v       types.Vault
	account sdk.AccAddress
	// pledge records to write (amount zero: remove).
	pledges []types.Pledge
	fees    []feeSend
	events  []proto.Message
	booked  sdk.Coins
}

type feeSend struct {
	to     string
	amount sdk.Coin
}

// touch loads vault id and brings it up to date in memory, writing nothing.
func (k Keeper) touch(ctx context.Context, id uint64) (*touched, error) {
	v, err := k.GetVault(ctx, id)
	if err != nil {
		return nil, err
	}
	t := &touched{v: v, account: types.VaultAddress(id)}
	if err := k.reconcile(ctx, t); err != nil {
		return nil, err
	}
	if err := k.bookIncome(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// reconcile compares each pledge with the node's bond: a bond below the pledge was slashed, and
// the vault's pledge (which ranks before any bond the vault did not place) falls to it; a node
// that no longer exists returned its bond to the vault account, which becomes liquid again (up to
// what arrived). The loss lowers principal assets, and so the share price, for every holder.
// It visits at most the provider's nodes (bounded by x/provider's max_nodes_per_provider).
// A vault with nothing pledged has no pledge records (each record is positive and they add up
// to Pledged: CheckInvariants), so it skips the walk: a prefix iterator costs a database
// iterator, whose set-up grows with the size of the whole database (goleveldb seeks every
// level's tables), even over an empty range.
func (k Keeper) reconcile(ctx context.Context, t *touched) error {
	if t.v.Pledged.IsZero() {
		return nil
	}
	it, err := k.pledges.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](t.v.Id))
	if err != nil {
		return err
	}
	records, err := it.Values()
	if err != nil {
		return err
	}
	for _, p := range records {
		n, err := k.provider.GetNode(ctx, p.NodeId)
		if errors.Is(err, providertypes.ErrNodeNotFound) {
			// Removed by the operator: x/provider returned its bond to the vault account, so
			// what arrived (up to the pledge) is liquid again; the rest was lost before removal.
			untracked := k.bank.GetBalance(ctx, t.account, types.PrincipalDenom).Amount.Sub(t.v.Tracked(types.PrincipalDenom))
			back := sdkmath.MinInt(p.Amount, sdkmath.MaxInt(untracked, sdkmath.ZeroInt()))
			t.v.Liquid = t.v.Liquid.Add(back)
			t.v.Pledged = t.v.Pledged.Sub(p.Amount)
			t.events = append(t.events, &types.EventUnpledged{VaultId: t.v.Id, NodeId: p.NodeId, Amount: back.String()})
			if loss := p.Amount.Sub(back); loss.IsPositive() {
				t.events = append(t.events, &types.EventPledgeSlashed{VaultId: t.v.Id, NodeId: p.NodeId, Loss: loss.String()})
			}
			p.Amount = sdkmath.ZeroInt()
			t.pledges = append(t.pledges, p)
			continue
		}
		if err != nil {
			return err
		}
		have := sdkmath.ZeroInt()
		if n.Bond.Denom == types.PrincipalDenom && !n.Bond.Amount.IsNil() {
			have = n.Bond.Amount
		}
		if have.GTE(p.Amount) {
			continue
		}
		loss := p.Amount.Sub(have)
		t.v.Pledged = t.v.Pledged.Sub(loss)
		t.events = append(t.events, &types.EventPledgeSlashed{VaultId: t.v.Id, NodeId: p.NodeId, Loss: loss.String()})
		p.Amount = have
		t.pledges = append(t.pledges, p)
	}
	return nil
}

// bookIncome books the untracked increase of the vault account's balance in each reward denom.
func (k Keeper) bookIncome(ctx context.Context, t *touched) error {
	params, err := k.params.Get(ctx)
	if err != nil {
		return err
	}
	for _, denom := range params.RewardDenoms {
		bal := k.bank.GetBalance(ctx, t.account, denom).Amount
		tracked := t.v.Tracked(denom)
		if bal.LT(tracked) {
			return errorsmod.Wrapf(types.ErrInvariant, "vault %d holds %s%s, its books say %s", t.v.Id, bal, denom, tracked)
		}
		income := bal.Sub(tracked)
		if !income.IsPositive() {
			continue
		}
		split, toHolders, parked := t.v.BookIncome(denom, income)
		for _, f := range []struct {
			to  string
			amt sdkmath.Int
		}{{t.v.Operator, split.Operator}, {t.v.Terms.DatasetRecipient, split.Dataset}, {t.v.Terms.DeviceRecipient, split.Device}} {
			if f.amt.IsPositive() {
				t.fees = append(t.fees, feeSend{to: f.to, amount: sdk.NewCoin(denom, f.amt)})
			}
		}
		t.booked = t.booked.Add(sdk.NewCoin(denom, income))
		t.events = append(t.events, &types.EventHarvested{
			VaultId: t.v.Id, Denom: denom, Income: income.String(), OperatorFee: split.Operator.String(),
			DatasetFee: split.Dataset.String(), DeviceFee: split.Device.String(), ToHolders: toHolders.String(), Parked: parked.String(),
		})
	}
	return nil
}

// commit makes the writes of a touch (pledge records, fee payments, events). The caller saves
// the vault itself, after its own changes.
func (k Keeper) commit(ctx context.Context, t *touched) error {
	for _, p := range t.pledges {
		key := collections.Join(p.VaultId, p.NodeId)
		if p.Amount.IsPositive() {
			if err := k.pledges.Set(ctx, key, p); err != nil {
				return err
			}
		} else if err := k.pledges.Remove(ctx, key); err != nil {
			return err
		}
	}
	t.pledges = nil
	for _, f := range t.fees {
		to, err := storedAddress(f.to)
		if err != nil {
			return err
		}
		if err := k.bank.SendCoins(ctx, t.account, to, sdk.NewCoins(f.amount)); err != nil {
			return errorsmod.Wrapf(err, "vault %d: fee %s to %s", t.v.Id, f.amount, f.to)
		}
	}
	t.fees = nil
	if err := modkit.EmitAll(ctx, t.events...); err != nil {
		return err
	}
	t.events = nil
	return nil
}

// saveVault writes a vault (its indexes follow).
func (k Keeper) saveVault(ctx context.Context, v types.Vault) error {
	return k.vaults.Set(ctx, v.Id, v)
}

// storedAddress decodes an address this module checked when it stored it (the operator, the fee
// recipients). It decodes the bech32 string only: sdk.AccAddressFromBech32 first calls
// sdk.GetConfig, which in SDK v0.54 reads the executable's path and the host name (two system
// calls) on every call — a fifth of a harvest's CPU time with three fee recipients.
func storedAddress(s string) (sdk.AccAddress, error) {
	_, bz, err := bech32.DecodeAndConvert(s)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvariant, "stored address %q: %v", s, err)
	}
	return bz, nil
}
