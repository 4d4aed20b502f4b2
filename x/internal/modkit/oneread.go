package modkit

import (
	"context"

	"cosmossdk.io/collections"
)

// OneRead groups a map's indexes into the single collections.Index that an Indexes type's
// IndexesList should return, so that a write or a delete reads the stored (old) object once for
// all of them. collections.IndexedMap (v1.4.0) hands every index its own lazy getter of the old
// object, so a map with n indexes reads it from the store, pays the read's gas and decodes it n
// times on each Set or Remove. The group passes the first getter, which remembers its result, to
// every index in turn, in the order given; what each index writes is unchanged.
func OneRead[PK, V any](list ...collections.Index[PK, V]) []collections.Index[PK, V] {
	return []collections.Index[PK, V]{oneRead[PK, V](list)}
}

type oneRead[PK, V any] []collections.Index[PK, V]

// Reference implements collections.Index.
func (g oneRead[PK, V]) Reference(ctx context.Context, pk PK, v V, lazyOld func() (V, error)) error {
	for _, i := range g {
		if err := i.Reference(ctx, pk, v, lazyOld); err != nil {
			return err
		}
	}
	return nil
}

// Unreference implements collections.Index.
func (g oneRead[PK, V]) Unreference(ctx context.Context, pk PK, lazyOld func() (V, error)) error {
	for _, i := range g {
		if err := i.Unreference(ctx, pk, lazyOld); err != nil {
			return err
		}
	}
	return nil
}

// SkipUnchanged wraps an index whose entry for an object is (ref(object), primary key), such as
// collections' indexes.Multi built with the same ref function, so that rewriting an object whose
// ref key did not change writes nothing to the index. indexes.Multi deletes the old entry and
// sets the new one on every write even when they are the same key: two store operations, their
// gas, and a changed key for the tree to rehash at commit, for nothing. When ref fails on either
// object, or the object is new, the wrapped index decides (and reports the error).
func SkipUnchanged[RK comparable, PK, V any](idx collections.Index[PK, V], ref func(PK, V) (RK, error)) collections.Index[PK, V] {
	return skipUnchanged[RK, PK, V]{Index: idx, ref: ref}
}

type skipUnchanged[RK comparable, PK, V any] struct {
	collections.Index[PK, V]
	ref func(PK, V) (RK, error)
}

// Reference implements collections.Index.
func (s skipUnchanged[RK, PK, V]) Reference(ctx context.Context, pk PK, v V, lazyOld func() (V, error)) error {
	if old, err := lazyOld(); err == nil {
		was, errOld := s.ref(pk, old)
		is, errNew := s.ref(pk, v)
		if errOld == nil && errNew == nil && was == is {
			return nil
		}
	}
	return s.Index.Reference(ctx, pk, v, lazyOld)
}
