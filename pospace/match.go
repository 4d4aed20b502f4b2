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

// matchRows[p][c][m] = m·C + ((2m+p)² + c) mod C. For a left entry with rl = yl mod BC,
// j = rl / C and c = rl mod C, target m is j·C + matchRows[p][c][m], minus BC if that reaches BC
// (that is, when j+m wraps around B).
var matchRows = func() (t [2][paramC][paramM]uint16) {
	for p := range 2 {
		for c := range paramC {
			for m := range paramM {
				t[p][c][m] = uint16(m*paramC + (int(squareModC[p][m])+c)%paramC)
			}
		}
	}
	return t
}()
