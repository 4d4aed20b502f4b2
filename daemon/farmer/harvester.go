package farmer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// Plot is one plot file the harvester farms.
type Plot struct {
	Path           string
	ID             pospace.PlotID
	K              uint32
	PoolContractID uint64
	PublicKey      []byte
	Size           int64
	prover         *pospace.Prover
}

// Proof is a proof the harvester found for a signage point, with its required iterations at
// the difficulty it was judged at.
type Proof struct {
	Plot          *Plot
	SPHeight      int64
	SPHash        [32]byte
	Proof         []byte
	Quality       [32]byte
	RequiredIters uint64
	Difficulty    uint64
}

// PoolClient receives partials: every proof good enough at its pool contract's pool difficulty.
// The pool server's client (daemon/pool) implements it; a farmer without pools uses none.
// Implementations must be safe for concurrent use and must not block for long (queue the work).
type PoolClient interface {
	// Difficulty returns the pool difficulty for a pool contract, or 0 when the contract does not
	// farm to a pool this client serves (then no partial is looked for).
	Difficulty(poolContractID uint64) uint64
	// SubmitPartial hands over a partial (a Proof judged at Difficulty(contract)).
	SubmitPartial(ctx context.Context, p Proof) error
}

// Harvester answers signage points from a set of plots: the plot filter first, then the quality
// strings (a few reads each), then full proofs only for qualities that win at the network
// difficulty or count as partials at a pool difficulty.
type Harvester struct {
	plots []*Plot
}

// ErrNoPlots is returned when no plot file is found.
var ErrNoPlots = errors.New("no plots found")

// OpenHarvester opens every *.plot file in dirs whose pool contract key is one of contracts.
// Plots bound to another pool contract are reported in skipped.
func OpenHarvester(dirs []string, contracts []uint64) (h *Harvester, skipped []string, err error) {
	keys := map[[32]byte]uint64{}
	for _, id := range contracts {
		keys[farmingtypes.PoolContractKey(id)] = id
	}
	h = &Harvester{}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".plot") {
				continue
			}
			path := filepath.Join(dir, e.Name())
			prover, err := pospace.OpenProver(path)
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("%s: %v", path, err))
				continue
			}
			hdr := prover.Header()
			contract, ok := keys[hdr.PoolContractID]
			if !ok {
				prover.Close()
				skipped = append(skipped, fmt.Sprintf("%s: bound to pool contract key %x, not one of %v", path, hdr.PoolContractID[:4], contracts))
				continue
			}
			st, err := os.Stat(path)
			if err != nil {
				prover.Close()
				return nil, nil, err
			}
			pub := hdr.PlotPublicKey
			h.plots = append(h.plots, &Plot{
				Path: path, ID: hdr.PlotID, K: uint32(hdr.K), PoolContractID: contract,
				PublicKey: pub[:], Size: st.Size(), prover: prover,
			})
		}
	}
	sort.Slice(h.plots, func(i, j int) bool { return h.plots[i].Path < h.plots[j].Path })
	if len(h.plots) == 0 {
		return nil, skipped, fmt.Errorf("%w in %v", ErrNoPlots, dirs)
	}
	return h, skipped, nil
}

// Plots lists the plots.
func (h *Harvester) Plots() []*Plot { return h.plots }

// Close closes every plot.
func (h *Harvester) Close() error {
	var errs []error
	for _, p := range h.plots {
		errs = append(errs, p.prover.Close())
	}
	h.plots = nil
	return errors.Join(errs...)
}

// Lookup answers one signage point. It returns the proofs that win at the signage point's
// difficulty (below params.sp_interval_iters) and the partials (good enough at the pool's
// difficulty from pool, which may be nil), and how many plots passed the filter.
func (h *Harvester) Lookup(params farmingtypes.Params, sp farmingtypes.SignagePoint, pool PoolClient) (wins, partials []Proof, passed int, err error) {
	spHash := [32]byte(sp.Hash)
	for _, p := range h.plots {
		if !farmingtypes.PassesFilter(p.ID, spHash, params.PlotFilterBits) {
			continue
		}
		passed++
		challenge := farmingtypes.ProofChallenge(p.ID, spHash)
		qualities, err := p.prover.Qualities(challenge)
		if err != nil {
			return nil, nil, passed, fmt.Errorf("%s: %w", p.Path, err)
		}
		var poolDiff uint64
		if pool != nil {
			poolDiff = pool.Difficulty(p.PoolContractID)
		}
		for i, q := range qualities {
			iters, err := farmingtypes.RequiredIterations(params, q, p.K, sp.Difficulty, spHash)
			if err != nil {
				return nil, nil, passed, err
			}
			win := iters < params.SpIntervalIters
			var poolIters uint64
			partial := false
			if poolDiff > 0 {
				if poolIters, err = farmingtypes.RequiredIterations(params, q, p.K, poolDiff, spHash); err != nil {
					return nil, nil, passed, err
				}
				partial = poolIters < params.SpIntervalIters
			}
			if !win && !partial {
				continue
			}
			proof, err := p.prover.Proof(challenge, i)
			if err != nil {
				return nil, nil, passed, fmt.Errorf("%s: proof %d: %w", p.Path, i, err)
			}
			base := Proof{Plot: p, SPHeight: sp.Height, SPHash: spHash, Proof: proof, Quality: q}
			if win {
				w := base
				w.RequiredIters, w.Difficulty = iters, sp.Difficulty
				wins = append(wins, w)
			}
			if partial {
				pp := base
				pp.RequiredIters, pp.Difficulty = poolIters, poolDiff
				partials = append(partials, pp)
			}
		}
	}
	sort.Slice(wins, func(i, j int) bool { return wins[i].RequiredIters < wins[j].RequiredIters })
	return wins, partials, passed, nil
}
