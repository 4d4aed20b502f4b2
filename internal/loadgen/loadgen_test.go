package loadgen

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseMix(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  Mix
		cycle []Kind
		err   bool
	}{
		{in: "bank", want: Mix{KindBank: 1}, cycle: []Kind{KindBank}},
		{in: "bank=2,book", want: Mix{KindBank: 2, KindBook: 1}, cycle: []Kind{KindBank, KindBook, KindBank}},
		{in: "claim=1, book=1 ,bank=1", want: Mix{KindBank: 1, KindBook: 1, KindClaim: 1}, cycle: []Kind{KindBank, KindBook, KindClaim}},
		{in: "book,book", want: Mix{KindBook: 2}, cycle: []Kind{KindBook, KindBook}},
		{in: "stake", err: true},
		{in: "bank=x", err: true},
		{in: "bank=-1", err: true},
		{in: "bank=0", err: true},
		{in: "", err: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			m, err := ParseMix(tc.in)
			if tc.err {
				require.ErrorIs(t, err, ErrConfig)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, m)
			require.Equal(t, tc.cycle, m.Cycle())
			again, err := ParseMix(m.String())
			require.NoError(t, err)
			require.Equal(t, m, again)
		})
	}
}

func TestConfigValidateBasic(t *testing.T) {
	ok := TestConfig()
	ok.RPCs, ok.ChainID = []string{"127.0.0.1:26657"}, "guild-dev-1"
	require.NoError(t, ok.ValidateBasic())
	for name, edit := range map[string]func(*Config){
		"no rpc":          func(c *Config) { c.RPCs = nil },
		"no chain id":     func(c *Config) { c.ChainID = "" },
		"no senders":      func(c *Config) { c.Senders = 0 },
		"empty mix":       func(c *Config) { c.Mix = Mix{} },
		"unbounded":       func(c *Config) { c.Txs, c.Duration = 0, 0 },
		"negative txs":    func(c *Config) { c.Txs, c.Duration = -1, time.Second },
		"no in-flight":    func(c *Config) { c.InFlight = 0 },
		"claims no lease": func(c *Config) { c.LeasesPerSender = 0 },
		"no gas":          func(c *Config) { c.Gas = 0 },
		"no seed":         func(c *Config) { c.Seed = "" },
		"no funder":       func(c *Config) { c.Funder = "" },
		"market no node":  func(c *Config) { c.Node = "" },
		"no offer units":  func(c *Config) { c.OfferUnits = 0 },
		"no poll":         func(c *Config) { c.Poll = 0 },
	} {
		t.Run(name, func(t *testing.T) {
			c := ok
			c.Mix = Mix{KindBank: 1, KindBook: 1, KindClaim: 1}
			edit(&c)
			require.ErrorIs(t, c.ValidateBasic(), ErrConfig)
		})
	}
	// A bank-only mix needs neither leases nor the market keys.
	bank := ok
	bank.Mix, bank.LeasesPerSender, bank.Provider, bank.Node, bank.OfferUnits = Mix{KindBank: 1}, 0, "", "", 0
	require.NoError(t, bank.ValidateBasic())
}

func TestPercentile(t *testing.T) {
	ms := func(vs ...int) []time.Duration {
		var out []time.Duration
		for _, v := range vs {
			out = append(out, time.Duration(v)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100..1, unsorted on purpose
	}
	for _, tc := range []struct {
		name string
		ds   []time.Duration
		p    int
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"p50 of 1..100", ms(hundred...), 50, 50 * time.Millisecond},
		{"p90 of 1..100", ms(hundred...), 90, 90 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p100 is max", ms(3, 9, 1), 100, 9 * time.Millisecond},
		{"p50 of 4 is the 2nd", ms(40, 10, 30, 20), 50, 20 * time.Millisecond},
		{"p51 of 4 is the 3rd", ms(40, 10, 30, 20), 51, 30 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]time.Duration(nil), tc.ds...)
			require.Equal(t, tc.want, Percentile(tc.ds, tc.p))
			require.Equal(t, in, tc.ds, "input not reordered")
		})
	}
}

func TestReasonOf(t *testing.T) {
	a := reasonOf("sdk", 32, "account sequence mismatch, expected 7, got 5: incorrect account sequence")
	b := reasonOf("sdk", 32, "account sequence mismatch, expected 1200, got 3: incorrect account sequence")
	require.Equal(t, "sdk/32: account sequence mismatch", a)
	require.Equal(t, a, b, "numbers do not split a reason")
	require.Equal(t, "market/9: lease N is CLOSED", reasonOf("market", 9, "lease 12 is CLOSED: nothing to claim"))
	require.Equal(t, "account of sender N", reasonOf("", 0, "account of sender 3 (guild1xyz): post failed"), "no address in a reason")
	require.Equal(t, "post failed", reasonOf("", 0, "post failed: Post \"http://127.0.0.1:1\": connection refused"))
}

func TestSummarise(t *testing.T) {
	start := time.Unix(1000, 0)
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	outs := []Outcome{
		{Hash: "A", Kind: KindBank, Submitted: at(0), Seen: at(500), Height: 10},
		{Hash: "B", Kind: KindBook, Submitted: at(100), Seen: at(1100), Height: 11},
		{Hash: "C", Kind: KindClaim, Submitted: at(200), Seen: at(2000), Height: 12, Code: 5, Codespace: "market", Log: "lease 4 is CLOSED: nothing"},
		{Hash: "D", Kind: KindBank, Submitted: at(300)}, // never landed
	}
	blocks := []BlockStat{
		{Height: 9, Txs: 100}, // before the run: left out
		{Height: 10, Time: at(0), Txs: 1, Ours: 1, Bytes: 300, GasUsed: 1000},
		{Height: 11, Time: at(1000), Txs: 3, Ours: 1, Bytes: 900, GasUsed: 5000},
		{Height: 12, Time: at(2000), Txs: 2, Ours: 1, Bytes: 600, GasUsed: 3000},
	}
	st := newRunStats()
	st.count(&st.rejected, "sdk/32: account sequence mismatch")
	st.mempool(MempoolSample{At: 0.5, Size: 4})
	st.mempool(MempoolSample{At: 1, Size: 2})
	cfg := TestConfig()
	s := summarise(cfg, start, at(1500), 10, outs, blocks, &st)
	require.Equal(t, 4, s.Submitted)
	require.Equal(t, 2, s.Committed)
	require.Equal(t, 1, s.Uncommitted)
	require.Equal(t, map[string]int{"market/5: lease N is CLOSED": 1}, s.Failed)
	require.Equal(t, map[string]int{"sdk/32: account sequence mismatch": 1}, s.Rejected)
	require.InDelta(t, 1.1, s.MeasuredS, 1e-9) // to the last commit seen
	require.InDelta(t, 2/1.1, s.TPS, 1e-9)
	require.Equal(t, map[Kind]int{KindBank: 1, KindBook: 1}, s.CommittedByKind)
	require.Equal(t, Latency{P50: 500, P90: 1000, P99: 1000, Max: 1000}, s.Latency)
	require.Equal(t, Blocks{Count: 3, First: 10, Last: 12, MeanTxs: 2, MaxTxs: 3, MeanBytes: 600, MaxBytes: 900, MeanGas: 3000, MaxGas: 5000, MeanPeriod: 1}, s.Blocks)
	require.Equal(t, 4, s.Mempool.Max)
	require.InDelta(t, 3, s.Mempool.Mean, 1e-9)
}

func TestHashesRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hashes.txt")
	outs := []Outcome{
		{Hash: "BB", Kind: KindBook, Height: 12},
		{Hash: "AA", Kind: KindBank, Height: 11},
		{Hash: "CC", Kind: KindBank, Height: 12, Code: 3}, // failed: not committed
		{Hash: "DD", Kind: KindClaim},                     // not in a block
	}
	require.NoError(t, WriteHashes(path, outs))
	cs, err := ReadHashes(path)
	require.NoError(t, err)
	require.Equal(t, []Committed{{11, "AA", KindBank}, {12, "BB", KindBook}}, cs)

	require.NoError(t, os.WriteFile(path, []byte("12 AA\n"), 0o644))
	_, err = ReadHashes(path)
	require.Error(t, err)
	_, err = ReadHashes(filepath.Join(t.TempDir(), "missing"))
	require.True(t, errors.Is(err, os.ErrNotExist))
}

func TestShare(t *testing.T) {
	for _, tc := range []struct {
		txs, n int
		want   []int
	}{
		{60, 4, []int{15, 15, 15, 15}},
		{10, 4, []int{3, 3, 2, 2}},
		{2, 4, []int{1, 1, 0, 0}},
		{0, 3, []int{-1, -1, -1}},
	} {
		var got []int
		for i := 0; i < tc.n; i++ {
			got = append(got, Share(tc.txs, tc.n, i))
		}
		require.Equal(t, tc.want, got, "%d over %d", tc.txs, tc.n)
	}
}

func TestDeriveSender(t *testing.T) {
	a, b := DeriveSender("s", 0), DeriveSender("s", 0)
	require.Equal(t, a.Addr, b.Addr, "same seed and index, same account")
	require.NotEqual(t, a.Addr, DeriveSender("s", 1).Addr)
	require.NotEqual(t, a.Addr, DeriveSender("t", 0).Addr)
}

func TestTxHash(t *testing.T) {
	// SHA-256("abc"), upper-case as CometBFT prints it.
	require.Equal(t, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", TxHash([]byte("abc")))
}
