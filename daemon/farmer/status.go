package farmer

import (
	"context"
	"encoding/hex"
	"math/big"
	"time"

	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// Status is what `guildd farmer status` shows.
type Status struct {
	Plots      []PlotStatus `json:"plots"`
	SpaceBytes int64        `json:"space_bytes"`
	Difficulty uint64       `json:"difficulty"`
	LatestSP   int64        `json:"latest_signage_point"`
	RecentWins []Win        `json:"recent_wins"`
	// ExpectedSPsPerWin is 1 / Σ over plots of 2^−filter_bits · min(1, sp_interval_iters ·
	// (2k+1)·2^(k−1) / (difficulty · 2^dcf_bits)): about one proof per plot and challenge, each
	// winning with that probability (exact rational arithmetic, printed with 1 decimal).
	ExpectedSPsPerWin  string `json:"expected_signage_points_per_win"`
	BlockSeconds       string `json:"block_seconds"`
	EstimatedTimeToWin string `json:"estimated_time_to_win"`
}

// PlotStatus describes one plot.
type PlotStatus struct {
	Path           string `json:"path"`
	PlotID         string `json:"plot_id"`
	K              uint32 `json:"k"`
	PoolContractID uint64 `json:"pool_contract_id"`
	SizeBytes      int64  `json:"size_bytes"`
}

// Win is a kept signage point won by one of the plots or paid to the reward address.
type Win struct {
	SPHeight       int64  `json:"sp_height"`
	PlotID         string `json:"plot_id"`
	PoolContractID uint64 `json:"pool_contract_id"`
	Reward         string `json:"reward"`
	Awarded        bool   `json:"awarded"`
}

// ComputeStatus reads the chain and the harvester's plots.
func ComputeStatus(ctx context.Context, chain Chain, h *Harvester, rewardAddress string) (Status, error) {
	var st Status
	params, err := chain.Params(ctx)
	if err != nil {
		return st, err
	}
	fs, err := chain.State(ctx)
	if err != nil {
		return st, err
	}
	st.Difficulty = fs.Difficulty
	ours := map[string]bool{}
	for _, p := range h.Plots() {
		st.Plots = append(st.Plots, PlotStatus{Path: p.Path, PlotID: p.ID.String(), K: p.K, PoolContractID: p.PoolContractID, SizeBytes: p.Size})
		st.SpaceBytes += p.Size
		ours[string(p.ID[:])] = true
	}
	sps, err := chain.RecentSignagePoints(ctx, 100)
	if err != nil {
		return st, err
	}
	for _, sp := range sps {
		if sp.Best != nil && (ours[string(sp.Best.PlotId)] || sp.Best.RewardAddress == rewardAddress) {
			st.RecentWins = append(st.RecentWins, Win{
				SPHeight: sp.Height, PlotID: hex.EncodeToString(sp.Best.PlotId), PoolContractID: sp.Best.PoolContractId,
				Reward: sp.Reward.String() + params.RewardDenom, Awarded: sp.Awarded,
			})
		}
	}
	if len(sps) > 0 {
		st.LatestSP = sps[0].Height
	}
	perWin := ExpectedSPsPerWin(params, fs.Difficulty, h.Plots())
	if perWin == nil {
		st.ExpectedSPsPerWin, st.EstimatedTimeToWin = "never", "never"
		return st, nil
	}
	st.ExpectedSPsPerWin = perWin.FloatString(1)
	if n := len(sps); n >= 2 && sps[0].Time > sps[n-1].Time {
		block := big.NewRat(sps[0].Time-sps[n-1].Time, int64(sps[0].Height-sps[n-1].Height))
		st.BlockSeconds = block.FloatString(2)
		secs := new(big.Rat).Mul(perWin, block)
		whole := new(big.Int).Quo(secs.Num(), secs.Denom())
		st.EstimatedTimeToWin = (time.Duration(whole.Int64()) * time.Second).String()
	}
	return st, nil
}

// ExpectedSPsPerWin is 1 / (expected wins per signage point), nil without plots.
func ExpectedSPsPerWin(p farmingtypes.Params, difficulty uint64, plots []*Plot) *big.Rat {
	wins := new(big.Rat)
	dcf := new(big.Int).Lsh(big.NewInt(1), uint(p.DifficultyConstantFactorBits))
	den := new(big.Int).Mul(new(big.Int).SetUint64(max(difficulty, 1)), dcf)
	filter := new(big.Int).Lsh(big.NewInt(1), uint(p.PlotFilterBits))
	one := big.NewRat(1, 1)
	for _, pl := range plots {
		eps := new(big.Int).Lsh(big.NewInt(int64(2*pl.K+1)), uint(pl.K-1))
		pw := new(big.Rat).SetFrac(new(big.Int).Mul(new(big.Int).SetUint64(p.SpIntervalIters), eps), den)
		if pw.Cmp(one) > 0 {
			pw = one
		}
		wins.Add(wins, pw.Quo(pw, new(big.Rat).SetInt(filter)))
	}
	if wins.Sign() == 0 {
		return nil
	}
	return wins.Inv(wins)
}
