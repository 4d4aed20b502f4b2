package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/loadgen"
)

// TestLoad runs `guildd load` against a single-validator devnet (without the demo agent, which
// would deploy the bookings itself): a small mixed run commits every transaction it sent, `guildd
// load verify` finds each at its height and the market invariants hold through queries; a second
// run with the same seed reuses the funded senders; a bad mix is refused before anything is sent.
func TestLoad(t *testing.T) {
	dir := t.TempDir()
	d := StartDevnet(t, Options{BlockTime: 300 * time.Millisecond, ExtraArgs: []string{"--without", "agent"}})
	waitFor(t, "the demo provider", 2*time.Minute, func() bool { return strings.Contains(d.Log(), "demo provider") })

	hashes, summary := filepath.Join(dir, "hashes.txt"), filepath.Join(dir, "summary.json")
	out, err := d.CLI("load", "--txs", "60", "--senders", "4", "--hashes", hashes, "--json", summary)
	require.NoError(t, err)
	t.Logf("guildd load:\n%s", out)
	require.Contains(t, string(out), "funded 4 of 4 senders")

	var sum loadgen.Summary
	bz, err := os.ReadFile(summary)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(bz, &sum))
	require.Equal(t, 60, sum.Submitted)
	require.Equal(t, 60, sum.Committed, "rejected %v failed %v lost %v", sum.Rejected, sum.Failed, sum.Lost)
	require.Equal(t, map[loadgen.Kind]int{loadgen.KindBank: 20, loadgen.KindBook: 20, loadgen.KindClaim: 20}, sum.CommittedByKind)
	require.Empty(t, sum.Failed)
	require.Zero(t, sum.Uncommitted)
	require.Positive(t, sum.TPS)
	require.LessOrEqual(t, sum.Latency.P50, sum.Latency.P99)
	require.Positive(t, sum.Blocks.Count)
	cs, err := loadgen.ReadHashes(hashes)
	require.NoError(t, err)
	require.Len(t, cs, 60)

	out, err = d.CLI("load", "verify", hashes)
	require.NoError(t, err)
	require.Contains(t, string(out), "60 committed transactions found at their heights")
	require.Contains(t, string(out), "market invariants hold")

	// The same seed: the senders are funded already and keep their escrow and leases.
	out, err = d.CLI("load", "--txs", "8", "--senders", "4", "--mix", "bank", "--json", summary)
	require.NoError(t, err)
	require.Contains(t, string(out), "funded 0 of 4 senders")
	bz, err = os.ReadFile(summary)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(bz, &sum))
	require.Equal(t, 8, sum.CommittedByKind[loadgen.KindBank])

	out, err = d.CLI("load", "--txs", "8", "--mix", "stake")
	require.Error(t, err)
	require.Contains(t, err.Error(), `unknown kind "stake"`)
	require.NotContains(t, string(out), "funded")
}
