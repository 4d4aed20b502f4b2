package modkit

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/collections/codec"
)

// UniqueIndex is a collections.Index that maps each object's ref key to its primary key and
// refuses a second object under the same ref key. It is the unique counterpart of NewIndex:
// the store layout of collections' indexes.Unique (ref key → primary key under the prefix), but
// a write that keeps the object's ref key writes nothing, where indexes.Unique deletes and
// re-inserts the entry on every write.
type UniqueIndex[RK, PK, V any] struct {
	name     string
	refCodec codec.KeyCodec[RK]
	pkCodec  codec.KeyCodec[PK]
	keys     collections.Map[RK, PK]
	ref      func(pk PK, v V) RK
}

var _ collections.Index[uint64, struct{}] = (*UniqueIndex[uint64, uint64, struct{}])(nil)

// NewUniqueIndex registers the index in the schema. ref must be a pure function of the object.
func NewUniqueIndex[RK, PK, V any](
	sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec codec.KeyCodec[RK], pkCodec codec.KeyCodec[PK],
	ref func(pk PK, v V) RK,
) *UniqueIndex[RK, PK, V] {
	return &UniqueIndex[RK, PK, V]{
		name:     name,
		refCodec: refCodec,
		pkCodec:  pkCodec,
		keys:     collections.NewMap(sb, prefix, name, refCodec, codec.KeyToValueCodec(pkCodec)),
		ref:      ref,
	}
}

// Reference implements collections.Index. An object that keeps its ref key writes nothing; a
// new ref key already held by another object fails with collections.ErrConflict.
func (i *UniqueIndex[RK, PK, V]) Reference(ctx context.Context, pk PK, v V, lazyOld func() (V, error)) error {
	newRK := i.ref(pk, v)
	old, err := lazyOld()
	switch {
	case err == nil:
		oldRK := i.ref(pk, old)
		same, err := sameKey(i.refCodec, oldRK, newRK)
		if err != nil || same {
			return err
		}
		if err := i.keys.Remove(ctx, oldRK); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	has, err := i.keys.Has(ctx, newRK)
	if err != nil {
		return err
	}
	if has {
		return fmt.Errorf("%w: index %s: %s is taken", collections.ErrConflict, i.name, i.refCodec.Stringify(newRK))
	}
	return i.keys.Set(ctx, newRK, pk)
}

// Unreference implements collections.Index.
func (i *UniqueIndex[RK, PK, V]) Unreference(ctx context.Context, pk PK, lazyOld func() (V, error)) error {
	old, err := lazyOld()
	if err != nil {
		return err
	}
	return i.keys.Remove(ctx, i.ref(pk, old))
}

// MatchExact returns the primary key of the object under rk, or collections.ErrNotFound.
func (i *UniqueIndex[RK, PK, V]) MatchExact(ctx context.Context, rk RK) (PK, error) {
	return i.keys.Get(ctx, rk)
}

// Verify checks the index against its objects in both directions: every object's ref key
// maps to its primary key, and every entry maps to an object that derives it. each must hand
// every object of the map to fn. It is an invariant and test helper: it walks the whole map and
// the whole index.
func (i *UniqueIndex[RK, PK, V]) Verify(ctx context.Context, each func(fn func(pk PK, v V) error) error) error {
	objects := 0
	err := each(func(pk PK, v V) error {
		objects++
		rk := i.ref(pk, v)
		got, err := i.keys.Get(ctx, rk)
		if errors.Is(err, collections.ErrNotFound) {
			return fmt.Errorf("index %s: entry %s missing for its object", i.name, i.refCodec.Stringify(rk))
		}
		if err != nil {
			return err
		}
		if same, err := sameKey(i.pkCodec, got, pk); err != nil || !same {
			if err != nil {
				return err
			}
			return fmt.Errorf("index %s: entry %s points at %s, not at its object %s", i.name,
				i.refCodec.Stringify(rk), i.pkCodec.Stringify(got), i.pkCodec.Stringify(pk))
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Every object found its own entry, so a surplus entry is one no object derives.
	it, err := i.keys.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	keys, err := it.Keys()
	if err != nil {
		return err
	}
	if len(keys) != objects {
		return fmt.Errorf("index %s: %d entries, objects derive %d (stale entries)", i.name, len(keys), objects)
	}
	return nil
}
