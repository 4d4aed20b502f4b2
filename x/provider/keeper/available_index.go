package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/codec"

	"github.com/guild-network/guild/x/provider/types"
)

// AvailableIndex is a partial index of the offers that take bookings (active, with free units),
// keyed by (kind, offer id). The IndexedMap maintains it on every write of an offer, so it can
// never drift from the offers themselves.
type AvailableIndex struct {
	keys collections.KeySet[collections.Pair[int32, uint64]]
}

var _ collections.Index[uint64, types.Offer] = (*AvailableIndex)(nil)

// NewAvailableIndex registers the index in the schema.
func NewAvailableIndex(sb *collections.SchemaBuilder) *AvailableIndex {
	return &AvailableIndex{keys: collections.NewKeySet(sb, types.AvailableOffersPrefix, "available_offers",
		collections.PairKeyCodec(collections.Int32Key, collections.Uint64Key),
		collections.WithKeySetSecondaryIndex())}
}

func availableKey(o types.Offer, id uint64) collections.Pair[int32, uint64] {
	return collections.Join(int32(o.Kind), id)
}

// Reference implements collections.Index: it drops the old entry and adds the new one if the
// offer is available.
func (i *AvailableIndex) Reference(ctx context.Context, pk uint64, v types.Offer, lazyOld func() (types.Offer, error)) error {
	old, err := lazyOld()
	switch {
	case err == nil:
		if err := i.keys.Remove(ctx, availableKey(old, pk)); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	if v.Available() {
		return i.keys.Set(ctx, availableKey(v, pk))
	}
	return nil
}

// Unreference implements collections.Index.
func (i *AvailableIndex) Unreference(ctx context.Context, pk uint64, lazyOld func() (types.Offer, error)) error {
	old, err := lazyOld()
	if err != nil {
		return err
	}
	return i.keys.Remove(ctx, availableKey(old, pk))
}

// IterateRaw and KeyCodec make the index paginable with query.CollectionFilteredPaginate.
func (i *AvailableIndex) IterateRaw(ctx context.Context, start, end []byte, order collections.Order) (collections.Iterator[collections.Pair[int32, uint64], collections.NoValue], error) {
	return i.keys.IterateRaw(ctx, start, end, order)
}

// KeyCodec is the codec of (kind, offer id).
func (i *AvailableIndex) KeyCodec() codec.KeyCodec[collections.Pair[int32, uint64]] {
	return i.keys.KeyCodec()
}
