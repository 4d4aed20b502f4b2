package modkit

import (
	"context"

	"cosmossdk.io/collections"
)

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
