package modkit

import (
	"context"

	"cosmossdk.io/collections"
)

// Iterable is what Each walks: a collections.Map or IndexedMap.
type Iterable[K, V any] interface {
	Iterate(ctx context.Context, r collections.Ranger[K]) (collections.Iterator[K, V], error)
}

// Each hands every object of m to fn, in key order, and stops at fn's first error. With m
// bound, it is the each argument of PartialIndex.Verify and UniqueIndex.Verify:
//
//	eachLease := func(fn func(uint64, types.Lease) error) error { return modkit.Each(ctx, k.leases, fn) }
func Each[K, V any](ctx context.Context, m Iterable[K, V], fn func(K, V) error) error {
	it, err := m.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		kv, err := it.KeyValue()
		if err != nil {
			return err
		}
		if err := fn(kv.Key, kv.Value); err != nil {
			return err
		}
	}
	return nil
}
