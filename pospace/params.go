package pospace

// Parameters of Chia's v1 construction. They are fixed by the proof format: changing any of them
// makes proofs incompatible with Chia's.
const (
	// ExtraBits is the number of bits by which f values are longer than k (kExtraBits in chiapos).
	ExtraBits = 6
	// paramM is the number of match targets per left entry (2^ExtraBits).
	paramM = 1 << ExtraBits
	// paramB and paramC define the match function; paramBC is the size of a y bucket.
	paramB  = 119
	paramC  = 127
	paramBC = paramB * paramC

	// ProofXs is the number of x values in a proof (2^(tables−1)).
	ProofXs = 64
	// Tables is the number of tables of a plot.
	Tables = 7
)

// Limits on the space parameter k.
const (
	// MinK is the smallest k that Verify accepts. Chia itself only plots k ≥ 18 and only accepts
	// k ≥ 32 on its mainnet; smaller plots are useful for tests.
	MinK = 10
	// MinPlotK is the smallest k the plotter makes. Below about k = 16 the tables shrink quickly
	// (a table has about count²/2^k matches, and each BC-group boundary loses some), so small
	// plots have few proofs: k = 12 has about 0.02 per challenge, k = 14 about 0.5, k = 18 about
	// 0.95.
	MinPlotK = 12
	// MaxK is the largest k that Verify accepts (the output metadata of table 4, 4k bits, must fit
	// in a 256-bit hash after the k+6 bits of f).
	MaxK = 50
	// MaxPlotK is the largest k the plotter makes.
	MaxPlotK = 32
)

// vecLens[t]·k is the number of metadata bits of each input entry of table t (that is, the
// metadata of table t−1); vecLens[t+1]·k is the metadata size of the entries of table t.
var vecLens = [Tables + 2]uint{0, 0, 1, 2, 4, 4, 3, 2, 0}

// metaBits returns the size in bits of the metadata stored with the entries of table t.
func metaBits(k uint, t int) uint {
	if t == 1 {
		return k
	}
	return vecLens[t+1] * k
}
