package modkit

import (
	"context"

	"cosmossdk.io/collections"
)

// OneRead returns the indexes of an IndexedMap as a single collections.Index that reads the old
// object at most once per write. collections.IndexedMap hands each index its own lazy getter,
// so a map with n indexes reads and decodes the previous object n times on every Set and
// Remove; grouped, it is read and decoded once and every index sees the same value. Use it as
// the whole of an Indexes type's IndexesList:
//
//	func (i LeaseIndexes) IndexesList() []collections.Index[uint64, types.Lease] {
//		return modkit.OneRead[uint64, types.Lease](i.Tenant, i.Provider, …)
//	}
//
// The indexes run in the order given, as the IndexedMap would run them.
func OneRead[PK, V any](idx ...collections.Index[PK, V]) []collections.Index[PK, V] {
	return []collections.Index[PK, V]{group[PK, V](idx)}
}

type group[PK, V any] []collections.Index[PK, V]

// once memoizes a lazy getter: the first call reads, later calls return the same result.
func once[V any](get func() (V, error)) func() (V, error) {
	var (
		v    V
		err  error
		done bool
	)
	return func() (V, error) {
		if !done {
			v, err = get()
			done = true
		}
		return v, err
	}
}

// Reference implements collections.Index.
func (g group[PK, V]) Reference(ctx context.Context, pk PK, v V, lazyOld func() (V, error)) error {
	old := once(lazyOld)
	for _, i := range g {
		if err := i.Reference(ctx, pk, v, old); err != nil {
			return err
		}
	}
	return nil
}

// Unreference implements collections.Index.
func (g group[PK, V]) Unreference(ctx context.Context, pk PK, lazyOld func() (V, error)) error {
	old := once(lazyOld)
	for _, i := range g {
		if err := i.Unreference(ctx, pk, old); err != nil {
			return err
		}
	}
	return nil
}
