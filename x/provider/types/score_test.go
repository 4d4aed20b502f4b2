package types_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    types.Reputation
		want uint32
	}{
		{"new provider", types.Reputation{}, 1000},
		{"only completed", types.Reputation{LeasesCompleted: 50}, 1000},
		{"one failure", types.Reputation{DeployFailures: 1}, 333},                                                                           // 1000·1/3
		{"one timeout", types.Reputation{DeployTimeouts: 1}, 250},                                                                           // 1000·1/4
		{"one report", types.Reputation{MisbehaviourReports: 1}, 200},                                                                       // 1000·1/5
		{"one early close", types.Reputation{EarlyCloses: 1}, 333},                                                                          // 1000·1/3
		{"worked example", types.Reputation{LeasesCompleted: 9, DeployFailures: 1, MisbehaviourReports: 1}, 625},                            // 1000·10/16
		{"mixed", types.Reputation{LeasesCompleted: 99, DeployFailures: 1, DeployTimeouts: 1, MisbehaviourReports: 1, EarlyCloses: 1}, 900}, // 1000·100/111 = 900.9
		{"floor", types.Reputation{LeasesCompleted: 1, DeployFailures: 1}, 500},                                                             // 1000·2/4
		{"many bad", types.Reputation{MisbehaviourReports: 1_000_000}, 0},                                                                   // 1000/4_000_001
		{"max counters", types.Reputation{LeasesCompleted: math.MaxUint64, DeployFailures: math.MaxUint64, DeployTimeouts: math.MaxUint64, MisbehaviourReports: math.MaxUint64, EarlyCloses: math.MaxUint64}, 83}, // ≈ 1000/12
		{"max completed", types.Reputation{LeasesCompleted: math.MaxUint64}, 1000},
		{"max reports only", types.Reputation{MisbehaviourReports: math.MaxUint64}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := types.Score(tc.r)
			require.Equal(t, tc.want, got)
			require.LessOrEqual(t, got, uint32(types.MaxScore))
		})
	}
}

func TestScoreMonotonic(t *testing.T) {
	base := types.Reputation{LeasesCompleted: 20, DeployFailures: 2, DeployTimeouts: 1, MisbehaviourReports: 1, EarlyCloses: 1}
	s := types.Score(base)
	better := base
	better.LeasesCompleted++
	require.GreaterOrEqual(t, types.Score(better), s)
	for _, worse := range []func(*types.Reputation){
		func(r *types.Reputation) { r.DeployFailures++ },
		func(r *types.Reputation) { r.DeployTimeouts++ },
		func(r *types.Reputation) { r.MisbehaviourReports++ },
		func(r *types.Reputation) { r.EarlyCloses++ },
	} {
		r := base
		worse(&r)
		require.Less(t, types.Score(r), s)
	}
}
