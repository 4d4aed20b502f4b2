package modkit

import (
	"context"

	"cosmossdk.io/collections"
)

// Due returns, in queue order, at most limit entries of a queue-shaped partial index whose ref
// key (a time or a height) is at most upTo. It reads before anything is handled, so handlers may
// write the objects (which moves or removes their entries) without disturbing the walk. A handler
// that leaves an object due keeps it at the head of the queue; it is met again next block, so
// per-block work stays bounded by limit whatever the queue holds.
func Due[RK, PK, V any](ctx context.Context, idx *PartialIndex[RK, PK, V], upTo RK, limit int) ([]collections.Pair[RK, PK], error) {
	if limit <= 0 {
		return nil, nil
	}
	it, err := idx.keys.Iterate(ctx, collections.NewPrefixUntilPairRange[RK, PK](upTo))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	out := make([]collections.Pair[RK, PK], 0, limit)
	for ; it.Valid() && len(out) < limit; it.Next() {
		key, err := it.Key()
		if err != nil {
			return nil, err
		}
		out = append(out, key)
	}
	return out, nil
}

// WalkDue hands at most limit due entries (ref key ≤ upTo) to fn, in queue order, and stops at
// fn's first error, which it returns with the entry's keys intact. It returns how many entries
// were handled.
func WalkDue[RK, PK, V any](ctx context.Context, idx *PartialIndex[RK, PK, V], upTo RK, limit int, fn func(rk RK, pk PK) error) (int, error) {
	due, err := Due(ctx, idx, upTo, limit)
	if err != nil {
		return 0, err
	}
	for n, key := range due {
		if err := fn(key.K1(), key.K2()); err != nil {
			return n, err
		}
	}
	return len(due), nil
}
