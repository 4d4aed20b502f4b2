package e2e

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type bestJSON struct {
	PoolContractID string `json:"pool_contract_id"`
	RewardAddress  string `json:"reward_address"`
	RequiredIters  string `json:"required_iters"`
}

type spJSON struct {
	Height         string    `json:"height"`
	Awarded        bool      `json:"awarded"`
	Reward         string    `json:"reward"`
	ProofsAccepted int       `json:"proofs_accepted"`
	Best           *bestJSON `json:"best"`
}

type poolContractJSON struct {
	ID            string `json:"id"`
	Owner         string `json:"owner"`
	State         string `json:"state"`
	Target        string `json:"target"`
	LeavingUntil  string `json:"leaving_until"`
	Balance       string `json:"balance"`
	TotalWon      string `json:"total_won"`
	TotalAbsorbed string `json:"total_absorbed"`
}

func farmInt(t *testing.T, s string) int64 {
	t.Helper()
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	require.NoError(t, err, s)
	return n
}

// winLedger follows the kept signage points and remembers every award: the reward of each won
// signage point by pool contract, so that the test can check payouts to the last unit.
type winLedger struct {
	won map[int64]spJSON
}

func (l *winLedger) poll(t *testing.T, d *Devnet, at ...string) {
	t.Helper()
	var res struct {
		SignagePoints []spJSON `json:"signage_points"`
	}
	args := []string{"farming", "signage-points", "--page-limit", "200"}
	if len(at) == 1 {
		args = append(args, "--height", at[0])
	}
	d.Query(&res, args...)
	for _, sp := range res.SignagePoints {
		if sp.Awarded && sp.Best != nil {
			l.won[farmInt(t, sp.Height)] = sp
		}
	}
}

// shares sums the farmer's 1/8 (rounded down) and the pool's rest over contract id's wins.
func (l *winLedger) shares(t *testing.T, id string) (farmer, pool int64, n int, carried bool) {
	for _, sp := range l.won {
		if sp.Best.PoolContractID != id {
			continue
		}
		r := farmInt(t, sp.Reward)
		farmer += r / 8
		pool += r - r/8
		n++
		carried = carried || r > 1_000_000
	}
	return
}

func (d *Devnet) poolContract(t *testing.T, id string, at ...string) poolContractJSON {
	t.Helper()
	var res struct {
		PoolContract poolContractJSON `json:"pool_contract"`
	}
	args := []string{"farming", "pool-contract", id}
	if len(at) == 1 {
		args = append(args, "--height", at[0])
	}
	d.Query(&res, args...)
	return res.PoolContract
}

// balanceAt is addr's ugld balance at height h.
func (d *Devnet) balanceAt(t *testing.T, addr, h string) int64 {
	t.Helper()
	var res struct {
		Balance struct {
			Amount string `json:"amount"`
		} `json:"balance"`
	}
	d.Query(&res, "bank", "balance", addr, "ugld", "--height", h)
	return farmInt(t, res.Balance.Amount)
}

// checkPayouts checks, at one height, that contract id's reward address holds exactly the sum of
// 1/8 of each of its wins and the contract exactly the sum of the 7/8.
func checkPayouts(t *testing.T, d *Devnet, l *winLedger, id, reward string) (wins int, carried bool) {
	t.Helper()
	h := strconv.FormatInt(d.Height(), 10)
	l.poll(t, d, h)
	farmerShare, poolShare, n, carried := l.shares(t, id)
	require.Equal(t, farmerShare, d.balanceAt(t, reward, h), "1/8 of each win to the reward address (height %s)", h)
	require.Equal(t, poolShare, farmInt(t, d.poolContract(t, id, h).TotalWon), "7/8 of each win to the pool contract (height %s)", h)
	return n, carried
}

// farmWait polls cond every 500 ms (after updating the ledger) until it holds or the timeout.
func farmWait(t *testing.T, d *Devnet, l *winLedger, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		l.poll(t, d)
		if cond() {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s\n%s", what, d.Log())
}

// TestFarming runs the devnet's demo farmer (three k=18 plots, self-pooling) and a second farmer
// with one k=18 plot on its own pool contract, and checks: wins are paid exactly 1/8 to the
// reward address and 7/8 to the pool contract, carried rewards included; the two compete and the
// better proof is the one kept and paid; join, absorb (to the target only, by anyone), leave with
// the relative lock while rewards still go to the pool, and the return to self-pooling; and the
// module's accounting invariant on the live chain.
func TestFarming(t *testing.T) {
	// No demo pool server: it would absorb contract 2's balance (its target is the pool's
	// address) before the test's own absorb; TestPool covers the server.
	d := StartDevnet(t, Options{ExtraArgs: []string{"--without", "pool"}})
	l := &winLedger{won: map[int64]spJSON{}}
	pool := d.Addr("pool")

	// The second farmer: its own key, a separate fee payer for its daemon's proofs (so they
	// never race the farmer's own transactions), a fresh reward address (its balance is only
	// rewards), an ed25519 plot key and its own pool contract.
	for _, k := range []string{"farmer2", "bot2", "reward2"} {
		_, err := d.CLI("keys", "add", k, "--keyring-backend", "test")
		require.NoError(t, err)
	}
	_, err := d.CLI("keys", "add", "f2plot", "--algo", "ed25519", "--keyring-backend", "test")
	require.NoError(t, err)
	addr := func(name string) string {
		out, err := d.CLI("keys", "show", name, "-a", "--keyring-backend", "test")
		require.NoError(t, err)
		return strings.TrimSpace(string(out))
	}
	farmer2, reward2 := addr("farmer2"), addr("reward2")
	d.Tx("tenant", "bank", "send", d.Addr("tenant"), farmer2, "100000000ugld")
	d.Tx("tenant", "bank", "send", d.Addr("tenant"), addr("bot2"), "100000000ugld")
	out, err := d.CLI("keys", "show", "f2plot", "--keyring-backend", "test", "--output", "json")
	require.NoError(t, err)
	var keyInfo struct {
		PubKey string `json:"pubkey"`
	}
	require.NoError(t, json.Unmarshal(out, &keyInfo))
	var pk struct {
		Key []byte `json:"key"`
	}
	require.NoError(t, json.Unmarshal([]byte(keyInfo.PubKey), &pk))
	require.Len(t, pk.Key, 32)
	res := d.Tx("farmer2", "farming", "create-pool-contract", hex.EncodeToString(pk.Key))
	require.Equal(t, "2", strings.Trim(res.Attr("guild.farming.v1.EventPoolContractCreated", "id"), `"`), "the demo contract is 1")

	plots := filepath.Join(d.Home, "plots2")
	_, err = d.CLI("plots", "create", "-k", "18", "--pool-contract", "2", "--key", "f2plot", "--dir", plots, "--keyring-backend", "test")
	require.NoError(t, err)
	data := filepath.Join(d.Home, "farmer2")
	f2flags := []string{"--home", d.Home,
		"--rpc", "tcp://" + d.ports["rpc"], "--chain-id", d.Info.ChainID, "--keyring-dir", d.Home, "--keyring-backend", "test",
		"--submitter", "bot2", "--plot-keys", "f2plot", "--plot-dirs", plots, "--reward-address", reward2,
		"--pool-contracts", "2", "--data-dir", data, "--listen", "", "--log-format", "text"}
	f2 := exec.Command(d.Bin, append([]string{"farmer", "run"}, f2flags...)...)
	logf, err := os.Create(filepath.Join(d.Home, "farmer2.log"))
	require.NoError(t, err)
	f2.Stdout, f2.Stderr = logf, logf
	require.NoError(t, f2.Start())
	t.Cleanup(func() { _ = f2.Process.Signal(syscall.SIGTERM); _ = f2.Wait(); logf.Close() })

	// Both farmers win; a signage point with two accepted proofs shows the competition: each
	// farmer submits at most once per signage point and only a better proof replaces the held one.
	farmWait(t, d, l, 75*time.Second, "wins by both farmers and a contested signage point", func() bool {
		_, _, n1, _ := l.shares(t, "1")
		_, _, n2, _ := l.shares(t, "2")
		contested := false
		for _, sp := range l.won {
			contested = contested || sp.ProofsAccepted >= 2
		}
		return n1 > 0 && n2 > 0 && contested
	})
	for _, sp := range l.won {
		if sp.ProofsAccepted >= 2 {
			require.Less(t, farmInt(t, sp.Best.RequiredIters), int64(587_500_000))
		}
	}

	// Exact payouts for contract 2 so far: its reward address holds only rewards.
	checkPayouts(t, d, l, "2", reward2)
	c := d.poolContract(t, "2")
	require.Equal(t, "POOL_STATE_SELF_POOLING", c.State)

	// Join: refused for a non-owner; the owner's self-pooling balance is paid to it first.
	_, err = d.TryTx("tenant", "farming", "join-pool", "2", pool, "https://pool.example.org", "60")
	require.ErrorIs(t, err, ErrTxFailed)
	// Read at the join's height and the one before: a signage point's award may land in the
	// join block's BeginBlock (before the join) or in any later block (after it).
	res = d.Tx("farmer2", "farming", "join-pool", "2", pool, "https://pool.example.org", "60")
	before, at := strconv.FormatInt(farmInt(t, res.Height)-1, 10), res.Height
	c = d.poolContract(t, "2", at)
	require.Equal(t, "POOL_STATE_FARMING_TO_POOL", c.State)
	require.Equal(t, pool, c.Target)
	require.Zero(t, farmInt(t, c.Balance), "the join paid out the whole self-pooling balance")
	paid := farmInt(t, res.Attr("guild.farming.v1.EventAbsorbed", "amount"))
	require.GreaterOrEqual(t, paid, farmInt(t, d.poolContract(t, "2", before).Balance), "at least the balance before the join block")
	fee := int64(0)
	if f := res.Attr("tx", "fee"); f != "" {
		fee = farmInt(t, strings.TrimSuffix(f, "ugld"))
	}
	require.Equal(t, d.balanceAt(t, farmer2, before)+paid-fee, d.balanceAt(t, farmer2, at),
		"the owner got exactly the self-pooling balance, minus the join's fee (its daemon's proofs are paid by bot2)")
	var members struct {
		PoolContracts []poolContractJSON `json:"pool_contracts"`
	}
	d.Query(&members, "farming", "pool-contracts-by-target", pool)
	require.Len(t, members.PoolContracts, 1)

	// A win while farming to the pool; absorb goes to the target only, and anyone may send it.
	wonAtJoin := farmInt(t, c.TotalWon)
	farmWait(t, d, l, 60*time.Second, "a win of contract 2 while in the pool", func() bool {
		return farmInt(t, d.poolContract(t, "2").Balance) > 0
	})
	_, err = d.TryTx("tenant", "farming", "absorb", "2", farmer2)
	require.ErrorIs(t, err, ErrTxFailed, "absorb to the owner while a pool is the target")
	poolBefore := d.Balance(pool, "ugld")
	absorbedBefore := farmInt(t, d.poolContract(t, "2").TotalAbsorbed)
	d.Tx("tenant", "farming", "absorb", "2", pool)
	c = d.poolContract(t, "2")
	absorbed := farmInt(t, c.TotalAbsorbed) - absorbedBefore
	require.Positive(t, absorbed)
	require.LessOrEqual(t, absorbed, farmInt(t, c.TotalWon)-wonAtJoin)
	require.Equal(t, absorbed, d.Balance(pool, "ugld")-poolBefore, "the pool received exactly the absorbed balance")

	// Leave: refused for a non-owner; the pool stays the target for the lock and keeps winning.
	_, err = d.TryTx("tenant", "farming", "leave-pool", "2")
	require.ErrorIs(t, err, ErrTxFailed)
	d.Tx("farmer2", "farming", "leave-pool", "2")
	c = d.poolContract(t, "2")
	require.Equal(t, "POOL_STATE_LEAVING_POOL", c.State)
	require.Equal(t, pool, c.Target)
	until := farmInt(t, c.LeavingUntil)
	wonAtLeave, absorbedAtLeave := farmInt(t, c.TotalWon), farmInt(t, c.TotalAbsorbed)
	poolBefore = d.Balance(pool, "ugld")
	farmWait(t, d, l, 60*time.Second, "a win during LEAVING_POOL", func() bool {
		c := d.poolContract(t, "2")
		return c.State == "POOL_STATE_LEAVING_POOL" && farmInt(t, c.Balance) > 0
	})
	d.WaitHeight(until + 1)
	c = d.poolContract(t, "2")
	require.Equal(t, "POOL_STATE_SELF_POOLING", c.State)
	require.Equal(t, farmer2, c.Target)
	// What the lock's end paid the pool: the balance at the leave plus what was won during the
	// lock (a win after the return to self-pooling stays in the balance, for the owner).
	paidToPool := farmInt(t, c.TotalAbsorbed) - absorbedAtLeave
	require.Positive(t, paidToPool)
	require.Equal(t, paidToPool, d.Balance(pool, "ugld")-poolBefore, "rewards won during LEAVING_POOL went to the pool")
	require.Greater(t, farmInt(t, c.TotalWon), wonAtLeave, "contract 2 won during the lock")
	require.Equal(t, farmInt(t, c.TotalWon), farmInt(t, c.TotalAbsorbed)+farmInt(t, c.Balance), "total_won = absorbed + balance")

	// Exact payouts over the whole run, carried rewards included, and the live invariant.
	n2, carried := checkPayouts(t, d, l, "2", reward2)
	_, _, n1, carried1 := l.shares(t, "1")
	require.True(t, carried || carried1, "some win included carried rewards")
	t.Logf("wins: demo farmer %d, farmer2 %d", n1, n2)
	out, err = exec.Command(d.Bin, append([]string{"farmer", "status", "--json"}, f2flags...)...).Output()
	require.NoError(t, err)
	var status struct {
		Plots      []struct{ K int } `json:"plots"`
		RecentWins []struct{}        `json:"recent_wins"`
		ETW        string            `json:"estimated_time_to_win"`
	}
	require.NoError(t, json.Unmarshal(out, &status), string(out))
	require.Len(t, status.Plots, 1)
	require.Equal(t, 18, status.Plots[0].K)
	require.NotEmpty(t, status.ETW)
	var st struct {
		State struct {
			Carried     string `json:"carried"`
			Minted      string `json:"minted"`
			PaidFarmers string `json:"paid_farmers"`
			Absorbed    string `json:"absorbed"`
			Difficulty  string `json:"difficulty"`
		} `json:"state"`
		ModuleBalance string `json:"module_balance"`
	}
	h := strconv.FormatInt(d.Height(), 10)
	d.Query(&st, "farming", "state", "--height", h)
	var all struct {
		PoolContracts []poolContractJSON `json:"pool_contracts"`
	}
	d.Query(&all, "farming", "pool-contracts", "--height", h)
	balances := int64(0)
	for _, pc := range all.PoolContracts {
		balances += farmInt(t, pc.Balance)
	}
	require.Equal(t, farmInt(t, st.State.Minted), farmInt(t, st.State.PaidFarmers)+farmInt(t, st.State.Absorbed)+farmInt(t, st.State.Carried)+balances,
		"minted = paid to farmers + absorbed + carried + pool balances (at height %s)", h)
	require.Equal(t, strconv.FormatInt(balances+farmInt(t, st.State.Carried), 10)+"ugld", st.ModuleBalance)
}
