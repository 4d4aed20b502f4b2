// Package payout is the pool's money math as pure functions: the pool fee, the split of a round's
// rewards by points (PPLNS or proportional: the caller chooses whose points count), the minimum
// payout with carry, and batching. All amounts are integer base units; nothing is created or lost:
// total = fee + Σ credits + dust, and the dust is carried into the next round.
package payout

import (
	"errors"
	"fmt"
	"math/bits"
	"sort"
)

// MaxFeeBps bounds the pool fee: 100 % in basis points.
const MaxFeeBps = 10_000

// ErrNoPoints is returned when no share has points: the round's rewards carry to the next round.
var ErrNoPoints = errors.New("no points to pay")

// ErrInvalidFee is returned for a fee above 100 %.
var ErrInvalidFee = errors.New("invalid pool fee")

// Share is one farmer's points in a round.
type Share struct {
	Farmer string // the farmer's key (its launcher id)
	Points uint64
}

// Credit is what a farmer is owed from a round.
type Credit struct {
	Farmer string
	Amount uint64
}

// Split is a round's distribution.
type Split struct {
	Total   uint64   // the round's rewards, dust carried from the previous round included
	Fee     uint64   // the pool's fee
	Credits []Credit // per farmer, sorted by farmer key, zero credits omitted
	Dust    uint64   // rounding remainder, carried into the next round
}

// Fee returns ceil(total · feeBps / 10 000): the fee rounds in the pool's favour.
func Fee(total uint64, feeBps uint32) (uint64, error) {
	if feeBps > MaxFeeBps {
		return 0, fmt.Errorf("%w: %d bps is above %d", ErrInvalidFee, feeBps, MaxFeeBps)
	}
	hi, lo := bits.Mul64(total, uint64(feeBps))
	q, r := bits.Div64(hi, lo, MaxFeeBps) // hi < 10 000 since feeBps ≤ 10 000
	if r != 0 {
		q++
	}
	return q, nil
}

// mulDiv returns floor(a · b / c) for b ≤ c (so the result fits in 64 bits).
func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, c)
	return q
}

// Distribute splits total among the shares by points after the fee: farmer i gets
// floor((total − fee) · pointsᵢ / Σ points), rounding down, and the remainder is dust carried
// into the next round. Shares of one farmer are summed; shares with zero points are ignored.
//
// Worked example: total 1 000 003, fee 100 bps → fee = ceil(10 000.03) = 10 001, left 990 002;
// points a = 2, b = 1 → a gets floor(990 002 · 2/3) = 660 001, b gets floor(330 000.67) = 330 000,
// dust = 1. 10 001 + 660 001 + 330 000 + 1 = 1 000 003.
func Distribute(total uint64, feeBps uint32, shares []Share) (Split, error) {
	fee, err := Fee(total, feeBps)
	if err != nil {
		return Split{}, err
	}
	points := map[string]uint64{}
	var sum uint64
	for _, s := range shares {
		if s.Points == 0 {
			continue
		}
		if sum+s.Points < sum {
			return Split{}, fmt.Errorf("points overflow")
		}
		sum += s.Points
		points[s.Farmer] += s.Points
	}
	if sum == 0 {
		return Split{}, ErrNoPoints
	}
	keys := make([]string, 0, len(points))
	for k := range points {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	dist := total - fee
	out := Split{Total: total, Fee: fee}
	var paid uint64
	for _, k := range keys {
		amt := mulDiv(dist, points[k], sum)
		if amt == 0 {
			continue
		}
		out.Credits = append(out.Credits, Credit{Farmer: k, Amount: amt})
		paid += amt
	}
	out.Dust = dist - paid
	return out, nil
}

// Due returns the farmers whose balance reached the minimum payout; the others' balances carry.
// A zero minimum pays every positive balance.
func Due(balances []Credit, minPayout uint64) (pay, carry []Credit) {
	for _, b := range balances {
		switch {
		case b.Amount == 0:
		case b.Amount >= minPayout:
			pay = append(pay, b)
		default:
			carry = append(carry, b)
		}
	}
	return pay, carry
}

// Batches cuts n payouts into consecutive batches of at most perTx (one transaction each).
func Batches(n, perTx int) [][2]int {
	if perTx <= 0 {
		perTx = 1
	}
	var out [][2]int
	for start := 0; start < n; start += perTx {
		out = append(out, [2]int{start, min(n, start+perTx)})
	}
	return out
}
