package e2e

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/farmer"
	"github.com/guild-network/guild/daemon/pool/store"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// fixedDifficulty is a farmer.PoolClient that only answers a difficulty: the harvester's
// Lookup then returns every proof good enough for the pool at it.
type fixedDifficulty uint64

func (d fixedDifficulty) Difficulty(uint64) uint64                        { return uint64(d) }
func (fixedDifficulty) SubmitPartial(context.Context, farmer.Proof) error { return nil }

// spStretch is a stretch of signage points lo…hi, read from the chain when it ended (the chain
// keeps only the recent ones).
type spStretch struct {
	lo, hi int64
	sps    []farmingtypes.SignagePoint
}

// signagePoints reads the signage points lo…hi.
func (v *chainView) signagePoints(lo, hi int64) spStretch {
	st := spStretch{lo: lo, hi: hi}
	for h := lo; h <= hi; h++ {
		res, err := v.farm.SignagePoint(context.Background(), &farmingtypes.QuerySignagePointRequest{Height: h})
		require.NoError(v.t, err, "signage point %d", h)
		st.sps = append(st.sps, res.SignagePoint)
	}
	return st
}

// latestSP is the chain's newest signage point height.
func (v *chainView) latestSP() int64 {
	res, err := v.farm.LatestSignagePoint(context.Background(), &farmingtypes.QueryLatestSignagePointRequest{})
	require.NoError(v.t, err)
	return res.SignagePoint.Height
}

// checkPartialsExact recomputes, from each farmer's plot files and the chain's signage points
// in the stretches lo…hi (when the pool server ran and both farmers were members), every proof
// good enough at the difficulty the pool recorded for the farmer, and requires, at every
// signage point the pool accepted a partial of the farmer for, the pool to have credited
// exactly those partials: one per (signage point, plot) that has such a proof (the pool refuses
// a plot's second proof for the same signage point as a duplicate), none lost and none extra,
// each at that difficulty, so that the farmer's points are the sum of those difficulties; no
// credited partial anywhere in the stretches may be one the plots do not make. Good-enough
// proofs at the stretches' other signage points are logged. It returns each farmer's partial count there (farmer 1 has one plot,
// farmer 2 two).
func checkPartialsExact(t *testing.T, v *chainView, openStore func() store.Store, launchers map[string]store.Key,
	farmers []*poolFarmer, stretches []spStretch, logs func() string) []int {
	t.Helper()
	ctx := context.Background()
	require.NotEmpty(t, stretches, "no stretch of signage points")
	pres, err := v.farm.Params(ctx, &farmingtypes.QueryParamsRequest{})
	require.NoError(t, err)
	params := pres.Params
	var sps []farmingtypes.SignagePoint
	var spans [][2]int64
	inStretch := map[[32]byte]int64{}
	for _, st := range stretches {
		spans = append(spans, [2]int64{st.lo, st.hi})
		for _, sp := range st.sps {
			sps = append(sps, sp)
			inStretch[[32]byte(sp.Hash)] = sp.Height
		}
	}
	s := openStore()
	defer s.Close()
	counts := make([]int, len(farmers))
	for i, f := range farmers {
		lid := launchers[f.contract]
		recorded, err := s.RecentPartials(ctx, lid, 1_000_000)
		require.NoError(t, err)
		require.NotEmpty(t, recorded)
		// The difficulty the pool judged this farmer's partials at: one value over the run (the
		// difficulty target is far more partials than a run makes), checked on every partial.
		diff := recorded[0].Difficulty
		credited := map[[2]store.Key]uint64{}
		accepted := map[store.Key]bool{} // the signage points the pool accepted this farmer's partials for
		var points uint64
		for _, p := range recorded {
			require.Equal(t, diff, p.Difficulty, "contract %s: the pool moved the difficulty", f.contract)
			if _, ok := inStretch[[32]byte(p.SPHash)]; ok {
				credited[[2]store.Key{p.SPHash, p.PlotID}] = p.Difficulty
				accepted[p.SPHash] = true
				points += p.Difficulty
			}
		}
		id, err := strconv.ParseUint(f.contract, 10, 64)
		require.NoError(t, err)
		h, skipped, err := farmer.OpenHarvester([]string{f.plots}, []uint64{id})
		require.NoError(t, err)
		require.Empty(t, skipped)
		want := map[[2]store.Key]bool{}
		for _, sp := range sps {
			_, partials, _, err := h.Lookup(params, sp, fixedDifficulty(diff))
			require.NoError(t, err)
			for _, p := range partials {
				want[[2]store.Key{store.Key(sp.Hash), store.Key(p.Plot.ID)}] = true
			}
		}
		require.NoError(t, h.Close())
		var lost, extra, elsewhere []string
		for k := range want {
			if _, ok := credited[k]; !ok {
				where := fmt.Sprintf("sp %d plot %x", inStretch[k[0]], k[1][:4])
				if accepted[k[0]] {
					lost = append(lost, where)
				} else {
					elsewhere = append(elsewhere, where)
				}
			}
		}
		for k := range credited {
			if !want[k] {
				extra = append(extra, fmt.Sprintf("sp %d plot %x", inStretch[k[0]], k[1][:4]))
			}
		}
		require.Empty(t, lost, "contract %s: good-enough proofs at signage points the pool credited the farmer for, not credited (stretches %v)\n%s", f.contract, spans, logs())
		require.Empty(t, extra, "contract %s: credited partials no plot of the farmer makes", f.contract)
		require.Equal(t, uint64(len(want)-len(elsewhere))*diff, points, "contract %s: points = the sum of the difficulties", f.contract)
		if len(elsewhere) > 0 {
			// A farmer that falls more than the claim window behind (a loaded machine) skips
			// signage points, and a partial the pool refused is not credited: logged, not failed.
			t.Logf("contract %s: %d good-enough proofs at signage points with no partial of the farmer credited: %v", f.contract, len(elsewhere), elsewhere)
		}
		counts[i] = len(credited)
	}
	t.Logf("%d signage points in stretches %v: partials credited exactly as the plots make them: 1 plot %d, 2 plots %d", len(sps), spans, counts[0], counts[1])
	return counts
}
