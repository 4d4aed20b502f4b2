package farmer

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/pospace"
)

// BenchmarkLookup100Plots measures one signage-point lookup over 100 k=18 plots with the
// filter off, so every plot answers (the worst case; a 9-bit filter leaves 1 in 512). The plots
// are 100 provers over one plot file, each with its own file handle.
func BenchmarkLookup100Plots(b *testing.B) {
	dir := testPlotDir(b)
	matches, err := filepath.Glob(filepath.Join(dir, "*.plot"))
	require.NoError(b, err)
	h := &Harvester{}
	for range 100 {
		prover, err := pospace.OpenProver(matches[0])
		require.NoError(b, err)
		hdr := prover.Header()
		pub := hdr.PlotPublicKey
		h.plots = append(h.plots, &Plot{Path: matches[0], ID: hdr.PlotID, K: uint32(hdr.K), PoolContractID: 1, PublicKey: pub[:], prover: prover})
	}
	defer h.Close()
	params := testParams()
	params.DifficultyConstantFactorBits = 54 // devnet default: some proofs win, some do not
	chain := newFakeChain(params)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		chain.addSP(int64(i + 1))
		sp := chain.sps[int64(i+1)]
		if _, _, passed, err := h.Lookup(params, sp, nil); err != nil || passed != 100 {
			b.Fatal(err, passed)
		}
	}
}
