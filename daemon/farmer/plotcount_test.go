package farmer

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// seededPlot returns the path of a k=18 plot of the ed25519 key made from seed, bound to pool
// contract 1, plotted once and cached in the temp directory.
func seededPlot(t *testing.T, seed byte) string {
	t.Helper()
	s := sha256.Sum256([]byte{'p', 'l', 'o', 't', seed})
	key := ed25519.NewKeyFromSeed(s[:])
	pub := []byte(key.Public().(ed25519.PublicKey))
	id, err := farmingtypes.PlotID(1, pub)
	require.NoError(t, err)
	cache := filepath.Join(os.TempDir(), "guild-farmer-test-plots")
	path := filepath.Join(cache, pospace.PlotFileName(18, id))
	if p, err := pospace.OpenProver(path); err == nil {
		p.Close()
		return path
	}
	require.NoError(t, os.MkdirAll(cache, 0o755))
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	_, err = pospace.CreatePlot(context.Background(), tmp, pospace.PlotOptions{
		K: 18, PlotID: id, PoolContractID: farmingtypes.PoolContractKey(1), PlotPublicKey: [32]byte(pub),
	})
	require.NoError(t, err)
	require.NoError(t, os.Rename(tmp, path))
	return path
}

// TestPartialsGrowWithPlots: over 3,000 fixed signage points, at the devnet's parameters and a
// pool difficulty of 1, the partials the harvester finds (every proof good enough for the pool)
// are the sum of what each plot finds on its own, and two plots find about twice what one
// finds. Fixed plots and fixed challenges: the counts are the same on every run, so the band
// is not a statistical one that a run could fall out of.
func TestPartialsGrowWithPlots(t *testing.T) {
	params := farmingtypes.DevnetParams()
	plots := []string{seededPlot(t, 1), seededPlot(t, 2), seededPlot(t, 3)}
	count := func(paths ...string) int {
		dir := t.TempDir()
		for _, p := range paths {
			require.NoError(t, os.Symlink(p, filepath.Join(dir, filepath.Base(p))))
		}
		h, skipped, err := OpenHarvester([]string{dir}, []uint64{1})
		require.NoError(t, err)
		require.Empty(t, skipped)
		defer h.Close()
		require.Len(t, h.Plots(), len(paths))
		pool := &fakePool{diff: 1}
		n := 0
		for i := 0; i < 3000; i++ {
			var seed [8]byte
			binary.BigEndian.PutUint64(seed[:], uint64(i))
			sum := sha256.Sum256(seed[:])
			sp := farmingtypes.SignagePoint{Height: int64(i + 1), Hash: sum[:], Difficulty: 1}
			_, partials, _, err := h.Lookup(params, sp, pool)
			require.NoError(t, err)
			for _, p := range partials {
				// each is good enough at the pool's difficulty, as the pool checks it
				ev, err := farmingtypes.EvaluateProof(params, 1, p.Plot.PublicKey, p.Plot.K, p.Proof, [32]byte(sp.Hash), 1)
				require.NoError(t, err)
				require.Less(t, ev.RequiredIters, params.SpIntervalIters)
			}
			n += len(partials)
		}
		return n
	}
	a, b, c := count(plots[0]), count(plots[1]), count(plots[2])
	one, two, three := a, count(plots[1], plots[2]), count(plots...)
	t.Logf("partials over 3000 signage points: plots alone %d, %d, %d; 1 plot %d, 2 plots %d, 3 plots %d", a, b, c, one, two, three)
	require.Equal(t, b+c, two, "two plots find what each finds alone")
	require.Equal(t, a+b+c, three)
	require.Greater(t, one, 100, "enough partials for the ratio to mean something")
	ratio := float64(two) / float64(one)
	require.InDelta(t, 2.0, ratio, 0.4, "2 plots : 1 plot = %d : %d", two, one)
	require.InDelta(t, 1.5, float64(three)/float64(two), 0.3, "3 plots : 2 plots = %d : %d", three, two)
}
