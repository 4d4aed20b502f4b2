package modkit

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/codec"
)

// PartialIndex is a collections.Index over the objects of an IndexedMap for which ref says so:
// each such object is indexed once under (ref key, primary key). It is the one shape of every
// derived set and queue in Guild's modules:
//
//   - a live set: ref key = owner, present while the object is live;
//   - a time or height queue: ref key = the due time or height, present while the object waits.
//
// The IndexedMap keeps it on every write and delete of an object, so an index entry can never be
// stale: a queue walk never meets an entry whose object moved on, and CheckInvariants can compare
// the index with a recomputation from the objects in both directions.
type PartialIndex[RK, PK, V any] struct {
	name     string
	refCodec codec.KeyCodec[RK]
	keys     collections.KeySet[collections.Pair[RK, PK]]
	ref      func(pk PK, v V) (RK, bool)
}

var _ collections.Index[uint64, struct{}] = (*PartialIndex[uint64, uint64, struct{}])(nil)

// NewPartialIndex registers the index in the schema. ref returns the object's ref key and
// whether the object belongs in the index at all. ref must be a pure function of the object.
func NewPartialIndex[RK, PK, V any](
	sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec codec.KeyCodec[RK], pkCodec codec.KeyCodec[PK],
	ref func(pk PK, v V) (RK, bool),
) *PartialIndex[RK, PK, V] {
	return &PartialIndex[RK, PK, V]{
		name:     name,
		refCodec: refCodec,
		keys: collections.NewKeySet(sb, prefix, name,
			collections.PairKeyCodec(refCodec, pkCodec), collections.WithKeySetSecondaryIndex()),
		ref: ref,
	}
}

// NewIndex registers an index that holds every object of the map under ref(pk, v): the shape
// of indexes.Multi (same store layout: the pair (ref key, primary key) under the prefix), but a
// write that keeps the object's ref key writes nothing, where indexes.Multi deletes and
// re-inserts the entry on every write.
func NewIndex[RK, PK, V any](
	sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec codec.KeyCodec[RK], pkCodec codec.KeyCodec[PK],
	ref func(pk PK, v V) RK,
) *PartialIndex[RK, PK, V] {
	return NewPartialIndex(sb, prefix, name, refCodec, pkCodec, func(pk PK, v V) (RK, bool) { return ref(pk, v), true })
}

// Reference implements collections.Index: it drops the old entry and adds the new one if the
// object belongs in the index. An object that keeps its ref key writes nothing (most writes of
// a live object leave its live-set and queue entries where they are).
func (i *PartialIndex[RK, PK, V]) Reference(ctx context.Context, pk PK, v V, lazyOld func() (V, error)) error {
	newRK, inNew := i.ref(pk, v)
	old, err := lazyOld()
	switch {
	case err == nil:
		if oldRK, inOld := i.ref(pk, old); inOld {
			if inNew {
				same, err := sameKey(i.refCodec, oldRK, newRK)
				if err != nil || same {
					return err
				}
			}
			if err := i.keys.Remove(ctx, collections.Join(oldRK, pk)); err != nil {
				return err
			}
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	if inNew {
		return i.keys.Set(ctx, collections.Join(newRK, pk))
	}
	return nil
}

// sameKey reports whether two keys have the same encoding (for a ref key: whether they give
// the same index entry, the primary key being the same on both sides).
func sameKey[K any](kc codec.KeyCodec[K], a, b K) (bool, error) {
	var bufA, bufB [64]byte
	ea, err := encodeRef(kc, a, bufA[:])
	if err != nil {
		return false, err
	}
	eb, err := encodeRef(kc, b, bufB[:])
	if err != nil {
		return false, err
	}
	return string(ea) == string(eb), nil
}

// encodeRef encodes a ref key into buf when it fits (the common case: times, heights, ids and
// addresses), into a new slice otherwise.
func encodeRef[RK any](kc codec.KeyCodec[RK], k RK, buf []byte) ([]byte, error) {
	n := kc.Size(k)
	if n > len(buf) {
		buf = make([]byte, n)
	}
	w, err := kc.Encode(buf[:n], k)
	return buf[:w], err
}

// Unreference implements collections.Index.
func (i *PartialIndex[RK, PK, V]) Unreference(ctx context.Context, pk PK, lazyOld func() (V, error)) error {
	old, err := lazyOld()
	if err != nil {
		return err
	}
	if rk, ok := i.ref(pk, old); ok {
		return i.keys.Remove(ctx, collections.Join(rk, pk))
	}
	return nil
}

// Has reports whether (rk, pk) is in the index.
func (i *PartialIndex[RK, PK, V]) Has(ctx context.Context, rk RK, pk PK) (bool, error) {
	return i.keys.Has(ctx, collections.Join(rk, pk))
}

// Ref is the ref key the index derives for an object, and whether it is indexed at all.
func (i *PartialIndex[RK, PK, V]) Ref(pk PK, v V) (RK, bool) { return i.ref(pk, v) }

// Iterate iterates over the index's (ref key, primary key) pairs in a range (nil for all).
func (i *PartialIndex[RK, PK, V]) Iterate(ctx context.Context, r collections.Ranger[collections.Pair[RK, PK]]) (collections.KeySetIterator[collections.Pair[RK, PK]], error) {
	return i.keys.Iterate(ctx, r)
}

// PrimaryKeys returns the primary keys indexed under one ref key, in order, at most limit of
// them (0: no limit).
func (i *PartialIndex[RK, PK, V]) PrimaryKeys(ctx context.Context, rk RK, limit int) ([]PK, error) {
	it, err := i.keys.Iterate(ctx, collections.NewPrefixedPairRange[RK, PK](rk))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []PK
	for ; it.Valid(); it.Next() {
		if limit > 0 && len(out) == limit {
			break
		}
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		out = append(out, key.K2())
	}
	return out, nil
}

// All returns every (ref key, primary key) pair; for invariants and genesis checks only.
func (i *PartialIndex[RK, PK, V]) All(ctx context.Context) ([]collections.Pair[RK, PK], error) {
	it, err := i.keys.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Keys()
}

// IterateRaw and KeyCodec make the index paginable with query.CollectionPaginate and friends.
func (i *PartialIndex[RK, PK, V]) IterateRaw(ctx context.Context, start, end []byte, order collections.Order) (collections.Iterator[collections.Pair[RK, PK], collections.NoValue], error) {
	return i.keys.IterateRaw(ctx, start, end, order)
}

// KeyCodec is the codec of (ref key, primary key).
func (i *PartialIndex[RK, PK, V]) KeyCodec() codec.KeyCodec[collections.Pair[RK, PK]] {
	return i.keys.KeyCodec()
}

// Verify checks the index against its objects in both directions: every object the ref function
// places in the index is there under its ref key, and every entry of the index belongs to such
// an object. each must hand every object of the map to fn (typically by iterating the map).
// It is an invariant and test helper: it walks the whole map and the whole index.
func (i *PartialIndex[RK, PK, V]) Verify(ctx context.Context, each func(fn func(pk PK, v V) error) error) error {
	kc := i.keys.KeyCodec()
	want := map[string]bool{}
	err := each(func(pk PK, v V) error {
		rk, ok := i.ref(pk, v)
		if !ok {
			return nil
		}
		key := collections.Join(rk, pk)
		b, err := collections.EncodeKeyWithPrefix(nil, kc, key)
		if err != nil {
			return err
		}
		want[string(b)] = true
		has, err := i.keys.Has(ctx, key)
		if err != nil {
			return err
		}
		if !has {
			return fmt.Errorf("index %s: entry %s missing for its object", i.name, kc.Stringify(key))
		}
		return nil
	})
	if err != nil {
		return err
	}
	all, err := i.All(ctx)
	if err != nil {
		return err
	}
	for _, key := range all {
		b, err := collections.EncodeKeyWithPrefix(nil, kc, key)
		if err != nil {
			return err
		}
		if !want[string(b)] {
			return fmt.Errorf("index %s: stale entry %s (no object derives it)", i.name, kc.Stringify(key))
		}
	}
	if len(all) != len(want) {
		return fmt.Errorf("index %s: %d entries, objects derive %d", i.name, len(all), len(want))
	}
	return nil
}
