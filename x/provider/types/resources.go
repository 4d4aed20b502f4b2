package types

import (
	"math/bits"

	errorsmod "cosmossdk.io/errors"
)

// IsZero reports whether every field of r is zero.
func (r Resources) IsZero() bool {
	return r.CpuMilli == 0 && r.MemoryBytes == 0 && r.StorageBytes == 0 && r.Gpus == 0
}

// FitsIn reports whether r is at most c in every field.
func (r Resources) FitsIn(c Resources) bool {
	return r.CpuMilli <= c.CpuMilli && r.MemoryBytes <= c.MemoryBytes &&
		r.StorageBytes <= c.StorageBytes && r.Gpus <= c.Gpus
}

// AtLeast reports whether r is at least min in every field.
func (r Resources) AtLeast(min Resources) bool {
	return min.FitsIn(r)
}

// Add returns r + o, or ErrOverflow if a field does not fit in 64 bits.
func (r Resources) Add(o Resources) (Resources, error) {
	var out Resources
	var c0, c1, c2, c3 uint64
	out.CpuMilli, c0 = bits.Add64(r.CpuMilli, o.CpuMilli, 0)
	out.MemoryBytes, c1 = bits.Add64(r.MemoryBytes, o.MemoryBytes, 0)
	out.StorageBytes, c2 = bits.Add64(r.StorageBytes, o.StorageBytes, 0)
	out.Gpus, c3 = bits.Add64(r.Gpus, o.Gpus, 0)
	if c0|c1|c2|c3 != 0 {
		return Resources{}, errorsmod.Wrapf(ErrOverflow, "%s + %s", r.Short(), o.Short())
	}
	return out, nil
}

// Sub returns r − o, or ErrOverflow if a field of o is larger than the same field of r.
func (r Resources) Sub(o Resources) (Resources, error) {
	var out Resources
	var b0, b1, b2, b3 uint64
	out.CpuMilli, b0 = bits.Sub64(r.CpuMilli, o.CpuMilli, 0)
	out.MemoryBytes, b1 = bits.Sub64(r.MemoryBytes, o.MemoryBytes, 0)
	out.StorageBytes, b2 = bits.Sub64(r.StorageBytes, o.StorageBytes, 0)
	out.Gpus, b3 = bits.Sub64(r.Gpus, o.Gpus, 0)
	if b0|b1|b2|b3 != 0 {
		return Resources{}, errorsmod.Wrapf(ErrOverflow, "%s − %s is negative", r.Short(), o.Short())
	}
	return out, nil
}

// Mul returns n × r, or ErrOverflow if a field does not fit in 64 bits.
func (r Resources) Mul(n uint64) (Resources, error) {
	var out Resources
	var h0, h1, h2, h3 uint64
	h0, out.CpuMilli = bits.Mul64(r.CpuMilli, n)
	h1, out.MemoryBytes = bits.Mul64(r.MemoryBytes, n)
	h2, out.StorageBytes = bits.Mul64(r.StorageBytes, n)
	h3, out.Gpus = bits.Mul64(r.Gpus, n)
	if h0|h1|h2|h3 != 0 {
		return Resources{}, errorsmod.Wrapf(ErrOverflow, "%d × %s", n, r.Short())
	}
	return out, nil
}

// Short is a compact human-readable form used in error messages.
func (r Resources) Short() string {
	return "{cpu_milli:" + u64(r.CpuMilli) + " memory_bytes:" + u64(r.MemoryBytes) +
		" storage_bytes:" + u64(r.StorageBytes) + " gpus:" + u64(r.Gpus) + "}"
}
