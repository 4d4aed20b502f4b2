package pospace

// The match function. Entries are grouped by y/BC ("BC groups"). A left entry yl in group g and
// a right entry yr in group g+1 match when, for some m < 64,
//
//	yr mod BC == ((j + m) mod B)·C + (((2m + p)² + rl) mod C)
//
// with p = g mod 2, rl = yl mod BC and j = rl / C.

// squareModC[p][m] = (2m+p)² mod C.
var squareModC = func() (t [2][paramM]uint16) {
	for p := range 2 {
		for m := range paramM {
			v := 2*m + p
			t[p][m] = uint16(v * v % paramC)
		}
	}
	return t
}()

// matches reports whether the entries with f values yl (left) and yr (right) match. Because
// (j+m) mod B determines m for m < B, at most one m needs checking.
func matches(yl, yr uint64) bool {
	gl, gr := yl/paramBC, yr/paramBC
	if gl+1 != gr {
		return false
	}
	rl, rr := yl-gl*paramBC, yr-gr*paramBC
	jl, jr := rl/paramC, rr/paramC
	m := (jr + paramB - jl) % paramB
	if m >= paramM {
		return false
	}
	return (uint64(squareModC[gl%2][m])+rl)%paramC == rr%paramC
}

// matchTargets calls fn with the 64 values of (yr mod BC) that match a left entry whose
// f value has local part rl = yl mod BC in a group of parity p.
func matchTargets(p, rl uint64, fn func(target uint64)) {
	j, c := rl/paramC, rl%paramC
	sq := &squareModC[p]
	for m := range uint64(paramM) {
		jj := j + m
		if jj >= paramB {
			jj -= paramB
		}
		v := uint64(sq[m]) + c
		if v >= paramC {
			v -= paramC
		}
		fn(jj*paramC + v)
	}
}
