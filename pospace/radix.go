package pospace

// radixSort sorts keys in ascending order with an LSD radix sort, using tmp (at least as long as
// keys) as scratch space. Only the low keyBits bits of each key may be set. The sort is stable.
func radixSort(keys, tmp []uint64, keyBits uint) {
	n := len(keys)
	if n < 2 || keyBits == 0 {
		return
	}
	tmp = tmp[:n]
	passes := (keyBits + 11) / 12
	digit := (keyBits + passes - 1) / passes
	size := 1 << digit
	mask := uint64(size - 1)
	counts := make([]int, size)
	src, dst := keys, tmp
	for p := range passes {
		shift := digit * p
		clear(counts)
		for _, k := range src {
			counts[(k>>shift)&mask]++
		}
		sum := 0
		for i, c := range counts {
			counts[i] = sum
			sum += c
		}
		for _, k := range src {
			d := (k >> shift) & mask
			dst[counts[d]] = k
			counts[d]++
		}
		src, dst = dst, src
	}
	if passes%2 == 1 {
		copy(keys, tmp)
	}
}
