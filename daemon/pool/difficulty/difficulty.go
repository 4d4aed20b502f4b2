// Package difficulty is pool-reference's per-farmer difficulty adjustment (get_new_difficulty)
// as a pure function with integer math.
package difficulty

import "math/big"

// Partial is one recorded partial as the adjustment sees it.
type Partial struct {
	Timestamp  int64  // unix seconds the pool received it
	Difficulty uint64 // the farmer's difficulty when it was submitted
}

// Target is what the adjustment aims for: Count partials per Seconds (pool-reference's
// number_of_partials_target 300 and time_target 86 400).
type Target struct {
	Count   int
	Seconds int64
}

// DefaultTarget is pool-reference's: 300 partials a day.
func DefaultTarget() Target { return Target{Count: 300, Seconds: 86_400} }

// Next returns the farmer's new difficulty from its most recent partials (newest first, at most
// target.Count of them), its current difficulty, the time now and the pool's minimum. The rules,
// in pool-reference's order:
//
//  1. no partials: keep;
//  2. any recent partial at another difficulty (it changed recently): keep;
//  3. more than 3 h since the newest: max(min, d / 5);
//  4. more than 1 h since the newest: max(min, floor(d / 1.5));
//  5. fewer than target.Count partials spanning less than target.Seconds: keep;
//  6. otherwise, with t = newest − oldest scaled by target.Count / n when n < target.Count:
//     max(min, floor(d · target.Seconds / t)).
//
// Every division rounds down. Example: 300 partials 200 s apart at difficulty 20 span 59 800 s,
// so the new difficulty is floor(20 · 86 400 / 59 800) = 28.
func Next(recent []Partial, current uint64, now int64, minDifficulty uint64, target Target) uint64 {
	n := len(recent)
	if n == 0 {
		return current
	}
	for _, p := range recent {
		if p.Difficulty != current {
			return current
		}
	}
	newest, oldest := recent[0].Timestamp, recent[n-1].Timestamp
	since := now - newest
	if since > 3*3600 {
		return max(minDifficulty, current/5)
	}
	if since > 3600 {
		return max(minDifficulty, current*2/3)
	}
	span := newest - oldest
	if n < target.Count && span < target.Seconds {
		return current
	}
	if span < 1 {
		span = 1
	}
	// d · T / (span · N / n) = d · T · n / (span · N), in big integers (d · T · n overflows 64 bits
	// for large difficulties).
	num := new(big.Int).SetUint64(current)
	num.Mul(num, big.NewInt(target.Seconds))
	den := big.NewInt(span)
	if n < target.Count {
		num.Mul(num, big.NewInt(int64(n)))
		den.Mul(den, big.NewInt(int64(target.Count)))
	}
	num.Quo(num, den)
	if !num.IsUint64() {
		return ^uint64(0)
	}
	return max(minDifficulty, num.Uint64())
}
