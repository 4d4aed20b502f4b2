package e2e

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool"
	"github.com/guild-network/guild/daemon/pool/payout"
	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
	"github.com/guild-network/guild/internal/chainclient"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// chainView reads balances and pool contracts in process (milliseconds, where a CLI query is a
// process start): checkExact compares the pool's records with the chain between two reads of
// the store, which must be close together while payouts keep moving.
type chainView struct {
	t    *testing.T
	bank banktypes.QueryClient
	farm farmingtypes.QueryClient
}

func newChainView(t *testing.T, d *Devnet) *chainView {
	c, err := chainclient.New(chainclient.Config{RPC: d.Info.RPC, ChainID: d.Info.ChainID, KeyringDir: d.Home})
	require.NoError(t, err)
	return &chainView{t: t, bank: banktypes.NewQueryClient(c.Context()), farm: farmingtypes.NewQueryClient(c.Context())}
}

func (v *chainView) balance(addr string) int64 {
	res, err := v.bank.Balance(context.Background(), &banktypes.QueryBalanceRequest{Address: addr, Denom: "ugld"})
	require.NoError(v.t, err)
	return res.Balance.Amount.Int64()
}

func (v *chainView) contract(id uint64) farmingtypes.PoolContract {
	res, err := v.farm.PoolContract(context.Background(), &farmingtypes.QueryPoolContractRequest{Id: id})
	require.NoError(v.t, err)
	return res.PoolContract
}

// absorbed is a contract's total absorbed.
func (v *chainView) absorbed(id uint64) int64 { return v.contract(id).TotalAbsorbed.Int64() }

// poolRounds reads GET /payouts.
func poolRounds(t *testing.T, url string) []protocol.Round {
	t.Helper()
	resp, err := http.Get(url + "/payouts?limit=200")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var rs protocol.Rounds
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&rs))
	return rs.Rounds
}

// partialPoints sums the difficulty of a farmer's recorded partials received in (after, upTo].
func partialPoints(ps []store.Partial, after, upTo int64) uint64 {
	var n uint64
	for _, p := range ps {
		if p.Timestamp > after && p.Timestamp <= upTo {
			n += p.Difficulty
		}
	}
	return n
}

// checkRounds checks every payout round the pool published (GET /payouts) against its own
// terms and against the pool's records:
//   - the split replays exactly: fee = ceil(total · fee_bps / 10 000), each farmer's credit =
//     floor((total − fee) · points / Σ points), dust the remainder (payout.Distribute);
//   - each farmer's points in a PPLNS round are its recorded partials' difficulties in the
//     round's window (up to a second of partials still in the writer when the round was planned);
//   - with a minimum payout of one unit, the payout the round planned for a farmer is exactly its
//     credit, and a farmer without credit got no payout from it;
//   - both farmers earned points (their ratio is logged).
func checkRounds(t *testing.T, url string, openStore func() store.Store, launchers map[string]store.Key, farmers []*poolFarmer) {
	t.Helper()
	ctx := context.Background()
	rounds := poolRounds(t, url)
	require.NotEmpty(t, rounds)
	s := openStore()
	defer s.Close()
	partials := map[store.Key][]store.Partial{}
	payouts := map[store.Key]map[uint64]uint64{} // launcher → round → amount
	for _, f := range farmers {
		lid := launchers[f.contract]
		ps, err := s.RecentPartials(ctx, lid, 1_000_000)
		require.NoError(t, err)
		partials[lid] = ps
		pays, err := s.FarmerPayouts(ctx, lid, 100_000)
		require.NoError(t, err)
		payouts[lid] = map[uint64]uint64{}
		for _, p := range pays {
			payouts[lid][p.RoundID] += p.Amount
		}
	}
	for _, r := range rounds {
		shares := make([]payout.Share, len(r.Shares))
		credit := map[string]uint64{}
		for i, sh := range r.Shares {
			shares[i] = payout.Share{Farmer: sh.LauncherID.Hex(), Points: sh.Points}
			credit[sh.LauncherID.Hex()] = sh.Credit
		}
		split, err := payout.Distribute(r.Total, r.FeeBps, shares)
		require.NoError(t, err, "round %d", r.ID)
		fee := new(big.Int).Mul(new(big.Int).SetUint64(r.Total), big.NewInt(int64(r.FeeBps)))
		fee.Add(fee, big.NewInt(9_999)).Div(fee, big.NewInt(10_000)) // rounded up: the pool's favour
		require.Equal(t, fee.Uint64(), r.Fee, "round %d: fee", r.ID)
		require.Equal(t, split.Fee, r.Fee, "round %d", r.ID)
		require.Equal(t, split.Dust, r.Dust, "round %d", r.ID)
		var credited uint64
		for _, c := range split.Credits {
			require.Equal(t, c.Amount, credit[c.Farmer], "round %d farmer %s", r.ID, c.Farmer)
			credited += c.Amount
		}
		require.Equal(t, r.Credited, credited, "round %d", r.ID)
		require.Equal(t, r.Total, r.Fee+r.Credited+r.Dust, "round %d", r.ID)
		require.Equal(t, string(store.PPLNS), r.Scheme)
		for _, f := range farmers {
			lid := launchers[f.contract]
			var pts uint64
			for _, sh := range r.Shares {
				if store.Key(sh.LauncherID) == lid {
					pts = sh.Points
				}
			}
			lo := partialPoints(partials[lid], r.WindowStart, r.CreatedAt-2)
			hi := partialPoints(partials[lid], r.WindowStart, r.CreatedAt)
			require.True(t, lo <= pts && pts <= hi, "round %d contract %s: %d points, partials in its window %d…%d", r.ID, f.contract, pts, lo, hi)
			require.Equal(t, credit[hex.EncodeToString(lid[:])], payouts[lid][r.ID], "round %d contract %s: payout = credit", r.ID, f.contract)
		}
	}
	one := partialPoints(partials[launchers[farmers[0].contract]], 0, 1<<62)
	two := partialPoints(partials[launchers[farmers[1].contract]], 0, 1<<62)
	t.Logf("%d rounds replayed; points: 1 plot %d, 2 plots %d (%d partials, %d)", len(rounds), one, two,
		len(partials[launchers[farmers[0].contract]]), len(partials[launchers[farmers[1].contract]]))
	// Proportional to the plots in expectation only, so no band on this ratio (a run has 10 to
	// 50 partials per plot): checkPartialsExact requires instead that the pool credited exactly
	// the partials the plots make, and TestPartialsGrowWithPlots (daemon/farmer) shows over
	// 3,000 fixed signage points that two plots make twice the partials of one.
	require.Positive(t, one)
	require.Positive(t, two)
}

// checkLeave makes farmer 2 leave the pool on chain and checks: the contract is LEAVING_POOL
// with the pool still its target for the relative lock, then SELF_POOLING; the pool marks the
// farmer as no member and credits none of its partials after that; the pool received (and
// recorded) what the contract won up to the lock's end and nothing after; the contract's later
// rewards go to its owner (absorbed by a third party, so the owner's balance moves by exactly that
// amount); and the pool's books still match the chain to the unit.
func checkLeave(t *testing.T, d *Devnet, v *chainView, cfg pool.Config, openStore func() store.Store, launchers map[string]store.Key,
	farmers []*poolFarmer, paid func(store.Store, *poolFarmer) (uint64, uint64, int), wait func(time.Duration, string, func() bool)) {
	t.Helper()
	ctx := context.Background()
	f := farmers[1]
	lid := launchers[f.contract]
	out, err := d.CLI("keys", "show", f.owner, "-a", "--keyring-backend", "test")
	require.NoError(t, err)
	owner := strings.TrimSpace(string(out))
	d.Tx(f.owner, "farming", "leave-pool", f.contract)
	c := d.poolContract(t, f.contract)
	require.Equal(t, "POOL_STATE_LEAVING_POOL", c.State)
	require.Equal(t, cfg.Pool.Address, c.Target, "the pool keeps receiving for the relative lock")
	until := farmInt(t, c.LeavingUntil)
	require.Positive(t, until)
	wait(30*time.Second, "the relative lock to end", func() bool {
		return d.poolContract(t, f.contract).State == "POOL_STATE_SELF_POOLING"
	})
	c = d.poolContract(t, f.contract)
	require.Equal(t, owner, c.Target)
	// What the pool received from contract 2, ending with the payout at the lock's end.
	fromLeaver := farmInt(t, c.TotalAbsorbed)
	var left time.Time
	wait(30*time.Second, "the pool to see the farmer leave", func() bool {
		s := openStore()
		defer s.Close()
		fr, err := s.Farmer(ctx, lid)
		require.NoError(t, err)
		left = time.Now()
		return !fr.IsMember
	})
	// It keeps farming: its contract wins for itself now.
	wait(60*time.Second, "contract 2 to win while self-pooling", func() bool {
		c := d.poolContract(t, f.contract)
		return farmInt(t, c.Balance) > 0
	})
	{
		s := openStore()
		ps, err := s.RecentPartials(ctx, lid, 10)
		require.NoError(t, err)
		s.Close()
		require.NotEmpty(t, ps)
		require.LessOrEqual(t, ps[0].Timestamp, left.Unix(), "no partial credited after the pool saw the farmer leave")
	}
	before := d.Balance(owner, "ugld")
	res := d.Tx("tenant", "farming", "absorb", f.contract, owner)
	amount := farmInt(t, strings.Trim(res.Attr("guild.farming.v1.EventAbsorbed", "amount"), `"`))
	require.Positive(t, amount)
	require.Equal(t, before+amount, d.Balance(owner, "ugld"), "the owner received its contract's rewards, to the unit")
	c = d.poolContract(t, f.contract)
	require.Equal(t, fromLeaver+amount, farmInt(t, c.TotalAbsorbed), "nothing else left the contract")
	// The pool's books: it recorded contract 1's absorptions and contract 2's up to the lock.
	checkExact(t, v, openStore, farmers, paid, cfg.Pool.FeeBps, func() int64 { return v.absorbed(1) + fromLeaver })
	t.Logf("contract 2 left at height %d: the pool received %d from it, its owner %d after", until, fromLeaver, amount)
}
