package agent

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	sdk "github.com/cosmos/cosmos-sdk/types"
	dto "github.com/prometheus/client_model/go"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/agent/driver"
	"github.com/guild-network/guild/daemon/agent/store"
	"github.com/guild-network/guild/internal/clock"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

const nodeID = 1

// harness is a reconciler over a fake chain, fake drivers, a real SQLite store and a fake clock.
type harness struct {
	t       *testing.T
	chain   *fakeChain
	vol     *fakeDriver
	proc    *fakeDriver
	store   *store.Store
	path    string
	clock   *clock.Fake
	rec     *Reconciler
	metrics *Metrics
	// txTimeout is the [chain] tx_timeout the reconciler gets (the default unless a test
	// changes it before restart).
	txTimeout time.Duration
}

func newHarness(t *testing.T) *harness {
	h := &harness{
		t: t, chain: newFakeChain(nodeID), vol: newFakeDriver(driver.Volume), proc: newFakeDriver(driver.Process),
		path: filepath.Join(t.TempDir(), "agent.db"), clock: clock.NewFake(time.Unix(1_800_000_000, 0)),
		txTimeout: DefaultChainConfig("").TxTimeout.D(),
	}
	h.restart()
	return h
}

// restart builds a new reconciler on the same store, as a restarted agent would (the fake
// drivers keep their workloads, as real processes and files would).
func (h *harness) restart() {
	if h.store != nil {
		require.NoError(h.t, h.store.Close())
	}
	st, err := store.Open(h.path)
	require.NoError(h.t, err)
	h.store = st
	h.t.Cleanup(func() { _ = st.Close() })
	h.metrics = NewMetrics(prometheus.NewRegistry())
	cfg := TestConfig(h.t.TempDir()).Loop
	drivers := map[string]driver.Driver{driver.Volume: h.vol, driver.Process: h.proc}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h.rec = NewReconciler(h.chain, st, drivers, h.clock, log, h.metrics, cfg, h.txTimeout,
		Node{ID: nodeID, Account: "guild1node", Provider: "guild1provider"})
	require.NoError(h.t, h.rec.Start(context.Background()))
}

// step runs one reconciler step at the chain's current height.
func (h *harness) step() error {
	return h.rec.Step(context.Background(), h.chain.head())
}

func (h *harness) mustStep() {
	h.t.Helper()
	require.NoError(h.t, h.step())
}

func (h *harness) workload(id uint64) store.Workload {
	w, err := h.store.Workload(context.Background(), id)
	require.NoError(h.t, err)
	return w
}

func reports(f *fakeChain) []*markettypes.MsgReportDeployment {
	return sent[*markettypes.MsgReportDeployment](f)
}

func TestDeployAndReport(t *testing.T) {
	h := newHarness(t)
	h.chain.book(1, 2, 3, `{"driver":"volume"}`)
	h.chain.book(2, 1, 1, `{"command":["sleep","1"]}`)
	h.mustStep()

	require.Equal(t, 1, h.vol.count("deploy", 1))
	require.Equal(t, 1, h.proc.count("deploy", 2), "a VM offer goes to the process driver")
	rs := reports(h.chain)
	require.Len(t, rs, 2)
	require.Len(t, h.chain.txs, 2, "both reports in one transaction (after the heartbeat)")
	for _, r := range rs {
		require.Equal(t, "guild1node", r.NodeAccount)
		require.Equal(t, markettypes.DEPLOYMENT_RESULT_DEPLOYED, r.Result)
	}
	require.Equal(t, markettypes.LEASE_STATE_ACTIVE, h.chain.state(1))
	require.Contains(t, h.chain.lease(1).DeployInfo, `"size":3221225472`, "units × the offer's storage")
	w := h.workload(1)
	require.Equal(t, store.Running, w.Phase)
	require.Equal(t, store.ReportDeployed, w.Report)
	require.Positive(t, w.ReportedHeight)
	booked, err := h.store.Booked(context.Background(), 1)
	require.NoError(t, err)
	require.EqualValues(t, 2, booked, "booking height from the creation event")
	require.EqualValues(t, 2, counter(t, h.metrics.Reports.WithLabelValues("deployed")))

	// Nothing more to do: no second deploy, no second report.
	h.mustStep()
	h.clock.Advance(time.Second)
	h.mustStep()
	require.Equal(t, 1, h.vol.count("deploy", 1))
	require.Len(t, reports(h.chain), 2)
	require.True(t, h.rec.Health().OK)
}

func TestGracePausesTopUpResumesCloseTearsDown(t *testing.T) {
	h := newHarness(t)
	h.chain.book(1, 2, 1, "")
	h.mustStep()
	require.Equal(t, driver.StateRunning, h.vol.get(1))

	h.chain.setState(1, markettypes.LEASE_STATE_GRACE)
	h.mustStep()
	require.Equal(t, driver.StatePaused, h.vol.get(1))
	require.Equal(t, store.Paused, h.workload(1).Phase)
	h.mustStep()
	require.Equal(t, 1, h.vol.count("pause", 1), "pausing happens once")

	h.chain.setState(1, markettypes.LEASE_STATE_ACTIVE)
	h.mustStep()
	require.Equal(t, driver.StateRunning, h.vol.get(1))
	require.Equal(t, store.Running, h.workload(1).Phase)

	h.chain.setState(1, markettypes.LEASE_STATE_CLOSING)
	h.mustStep()
	require.Equal(t, driver.StateRunning, h.vol.get(1), "a lease under notice keeps running")

	h.chain.setState(1, markettypes.LEASE_STATE_CLOSED)
	h.mustStep()
	require.Equal(t, driver.StateMissing, h.vol.get(1))
	require.Equal(t, store.Removed, h.workload(1).Phase)
	h.mustStep()
	require.Equal(t, 1, h.vol.count("teardown", 1), "a removed workload is not torn down again")
	all, err := h.store.Workloads(context.Background())
	require.NoError(t, err)
	require.Empty(t, all)
}

func TestBadInputEndsInFailedReport(t *testing.T) {
	h := newHarness(t)
	h.chain.book(1, 1, 1, `not json at all`)
	h.chain.book(2, 2, 1, `{"driver":"container"}`)
	h.chain.book(3, 2, 1, "")
	h.vol.errs[3] = errors.New("volume of 1073741824 bytes: " + driver.ErrNoCapacity.Error() + strings.Repeat(" and more", 20))
	h.vol.errs[3] = errors.Join(driver.ErrNoCapacity, h.vol.errs[3])
	h.mustStep()

	rs := reports(h.chain)
	require.Len(t, rs, 3)
	for _, r := range rs {
		require.Equal(t, markettypes.DEPLOYMENT_RESULT_FAILED, r.Result, "lease %d", r.LeaseId)
		require.NotEmpty(t, r.Info)
		require.LessOrEqual(t, len(r.Info), 64, "the report text is cut to the chain's max_report_text")
	}
	require.Contains(t, h.chain.lease(1).DeployInfo, "invalid deployment")
	require.Contains(t, h.chain.lease(2).DeployInfo, "driver not enabled")
	require.Contains(t, h.chain.lease(3).DeployInfo, "not enough capacity")
	require.Zero(t, h.proc.count("deploy", 1), "unparsable data never reaches a driver")
	for id := uint64(1); id <= 3; id++ {
		require.Equal(t, markettypes.LEASE_STATE_CLOSED, h.chain.state(id))
		require.Equal(t, store.Failed, h.workload(id).Phase)
	}

	// The chain closed them: the failed workloads are cleaned up.
	h.mustStep()
	require.Equal(t, store.Removed, h.workload(1).Phase)
	require.Equal(t, store.Removed, h.workload(2).Phase)
	require.Equal(t, store.Removed, h.workload(3).Phase)
	require.Equal(t, 1, h.vol.count("teardown", 3))
}

func TestTransientFailureRetriesWithBackoff(t *testing.T) {
	h := newHarness(t)
	h.chain.book(1, 2, 1, "")
	h.vol.errs[1] = errors.New("disk busy")
	require.Error(t, h.step())
	require.Empty(t, reports(h.chain), "a transient failure is not reported")
	require.Equal(t, store.Deploying, h.workload(1).Phase)
	require.Equal(t, "disk busy", h.workload(1).Error)

	h.mustStepIgnoringRetry()
	require.Equal(t, 1, h.vol.count("deploy", 1), "no retry before the backoff")
	h.clock.Advance(time.Second)
	require.Error(t, h.step())
	require.Equal(t, 2, h.vol.count("deploy", 1))
	h.clock.Advance(time.Second)
	h.mustStepIgnoringRetry()
	require.Equal(t, 2, h.vol.count("deploy", 1), "the backoff doubled")

	delete(h.vol.errs, 1)
	h.clock.Advance(2 * time.Second)
	h.mustStep()
	require.Equal(t, 3, h.vol.count("deploy", 1))
	require.Len(t, reports(h.chain), 1)
	require.Equal(t, markettypes.LEASE_STATE_ACTIVE, h.chain.state(1))
}

func (h *harness) mustStepIgnoringRetry() { _ = h.step() }

func TestCrashRecovery(t *testing.T) {
	ctx := context.Background()
	t.Run("crash during deploy: deployed again (idempotently) and reported once", func(t *testing.T) {
		h := newHarness(t)
		h.chain.book(1, 2, 1, "")
		// What a crash inside Deploy leaves: the intent and an open journal entry.
		require.NoError(t, h.store.PutWorkload(ctx, store.Workload{LeaseID: 1, Driver: driver.Volume, Phase: store.Deploying,
			Hash: "", Resources: providertypes.Resources{StorageBytes: 1 << 30}}))
		_, err := h.store.Begin(ctx, 1, "deploy", driver.Volume, h.clock.Now())
		require.NoError(t, err)
		h.restart()
		open, err := h.store.Journal(ctx, "interrupted", 0)
		require.NoError(t, err)
		require.Len(t, open, 1)
		h.mustStep()
		require.Equal(t, 1, h.vol.count("deploy", 1))
		require.Len(t, reports(h.chain), 1)
		require.Equal(t, markettypes.LEASE_STATE_ACTIVE, h.chain.state(1))
	})
	t.Run("crash after deploy, before the report", func(t *testing.T) {
		h := newHarness(t)
		h.chain.book(1, 2, 1, "")
		h.chain.submitErr = errors.New("node down")
		require.Error(t, h.step())
		require.Equal(t, store.Running, h.workload(1).Phase)
		require.Equal(t, store.ReportDeployed, h.workload(1).Report)
		h.chain.submitErr = nil
		h.restart()
		h.clock.Advance(time.Minute)
		h.mustStep()
		require.Len(t, reports(h.chain), 1)
		require.Equal(t, 2, h.vol.count("deploy", 1), "re-attached once through the idempotent deploy")
		require.Equal(t, markettypes.LEASE_STATE_ACTIVE, h.chain.state(1))
	})
	t.Run("crash after the report landed, before it was recorded", func(t *testing.T) {
		h := newHarness(t)
		h.chain.book(1, 2, 1, "")
		require.NoError(t, h.store.PutWorkload(ctx, store.Workload{LeaseID: 1, Driver: driver.Volume, Phase: store.Running,
			Report: store.ReportDeployed, Hash: "68", Data: ""}))
		h.chain.setState(1, markettypes.LEASE_STATE_ACTIVE)
		h.restart()
		h.mustStep()
		require.Empty(t, reports(h.chain), "a lease no longer pending is not reported again")
		require.EqualValues(t, -1, h.workload(1).ReportedHeight)
	})
	t.Run("crash while pausing, then the lease closed while the agent was down", func(t *testing.T) {
		h := newHarness(t)
		h.chain.book(1, 2, 1, "")
		h.mustStep()
		h.chain.setState(1, markettypes.LEASE_STATE_GRACE)
		h.vol.failed["pause"] = errors.New("killed")
		require.Error(t, h.step())
		require.Equal(t, store.Pausing, h.workload(1).Phase)
		delete(h.vol.failed, "pause")
		h.chain.setState(1, markettypes.LEASE_STATE_CLOSED)
		h.restart()
		h.mustStep()
		require.Equal(t, driver.StateMissing, h.vol.get(1))
		require.Equal(t, store.Removed, h.workload(1).Phase)
	})
	t.Run("paused workloads are re-attached paused after a restart", func(t *testing.T) {
		h := newHarness(t)
		h.chain.book(1, 1, 1, `{"command":["true"]}`)
		h.mustStep()
		h.chain.setState(1, markettypes.LEASE_STATE_GRACE)
		h.mustStep()
		h.restart()
		h.mustStep()
		require.Equal(t, 2, h.proc.count("pause", 1), "pause again hands the paused workload to the new driver")
		require.Equal(t, 1, h.proc.count("deploy", 1), "never deployed a second time")
		require.Equal(t, driver.StatePaused, h.proc.get(1))
	})
}

func TestDeploymentUpdateRedeploys(t *testing.T) {
	h := newHarness(t)
	h.chain.book(1, 1, 1, `{"command":["sleep","10"]}`)
	h.mustStep()
	h.chain.mu.Lock()
	h.chain.leases[1].Deployment = markettypes.Deployment{Hash: []byte("new"), Data: `{"command":["sleep","20"]}`}
	h.chain.height++
	h.chain.mu.Unlock()
	h.mustStep()
	require.Equal(t, 2, h.proc.count("deploy", 1))
	require.Equal(t, `{"command":["sleep","20"]}`, h.proc.data[1])
	require.Equal(t, "6e6577", h.workload(1).Hash)
	h.mustStep()
	require.Equal(t, 2, h.proc.count("deploy", 1))
}

func TestOneBadReportDoesNotHoldUpOthers(t *testing.T) {
	h := newHarness(t)
	h.chain.book(1, 2, 1, "")
	h.chain.book(2, 2, 1, "")
	// Lease 2 is cancelled between the agent's query and its report: the batch is refused.
	h.vol.errs[2] = nil
	orig := h.chain.leases[2]
	h.rec.chain = &cancelBeforeReport{fakeChain: h.chain, cancel: orig.Id}
	_ = h.step()
	require.Equal(t, markettypes.LEASE_STATE_ACTIVE, h.chain.state(1), "reported alone after the batch failed")
	require.Equal(t, markettypes.LEASE_STATE_CLOSED, h.chain.state(2))
}

// cancelBeforeReport closes a lease just before the first transaction with a report.
type cancelBeforeReport struct {
	*fakeChain
	cancel uint64
	done   bool
}

func (c *cancelBeforeReport) Submit(ctx context.Context, msgs ...sdk.Msg) (TxResult, error) {
	for _, m := range msgs {
		if _, ok := m.(*markettypes.MsgReportDeployment); ok && !c.done {
			c.done = true
			c.fakeChain.setState(c.cancel, markettypes.LEASE_STATE_CLOSED)
		}
	}
	return c.fakeChain.Submit(ctx, msgs...)
}

func TestHeartbeatAndClaimSchedules(t *testing.T) {
	h := newHarness(t)
	h.mustStep()
	require.Len(t, sent[*providertypes.MsgHeartbeat](h.chain), 1)
	require.Empty(t, sent[*markettypes.MsgClaimProvider](h.chain), "no claim while nothing is billed")
	h.mustStep()
	require.Len(t, sent[*providertypes.MsgHeartbeat](h.chain), 1, "not due again yet")

	h.clock.Advance(10 * time.Second) // the test heartbeat interval
	h.mustStep()
	hb := sent[*providertypes.MsgHeartbeat](h.chain)
	require.Len(t, hb, 2)
	require.Equal(t, "guild1node", hb[1].NodeAccount)
	require.EqualValues(t, nodeID, hb[1].NodeId)

	// The schedule survives a restart: no extra heartbeat.
	h.restart()
	h.mustStep()
	require.Len(t, sent[*providertypes.MsgHeartbeat](h.chain), 2)

	// With a billed lease the claim runs when due, paging until next is 0.
	h.chain.book(1, 2, 1, "")
	h.chain.claimNext = []uint64{7, 0}
	h.clock.Advance(30 * time.Second) // the test claim interval
	h.mustStep()                      // deploys and reports; the lease becomes ACTIVE
	h.clock.Advance(30 * time.Second)
	h.mustStep()
	claims := sent[*markettypes.MsgClaimProvider](h.chain)
	require.Len(t, claims, 2)
	require.Equal(t, "guild1provider", claims[0].Provider)
	require.Equal(t, "guild1node", claims[0].Sender)
	require.EqualValues(t, 0, claims[0].StartAfter)
	require.EqualValues(t, 7, claims[1].StartAfter)
	require.EqualValues(t, 10, counter(t, h.metrics.Claimed.WithLabelValues("uusdc")))

	// A failing heartbeat is retried soon, not after a whole interval.
	h.chain.submitErr = errors.New("down")
	h.clock.Advance(10 * time.Second)
	require.Error(t, h.step())
	h.chain.submitErr = nil
	h.clock.Advance(10 * time.Second)
	h.mustStep()
	require.Len(t, sent[*providertypes.MsgHeartbeat](h.chain), 5)
}

func TestHealthGoesStale(t *testing.T) {
	h := newHarness(t)
	require.False(t, h.rec.Health().OK, "not healthy before the first reconciliation")
	h.mustStep()
	require.True(t, h.rec.Health().OK)
	h.clock.Advance(2 * time.Minute)
	require.False(t, h.rec.Health().OK)
}

func TestCatchUpReadsMissedBookings(t *testing.T) {
	h := newHarness(t)
	h.mustStep()
	cursor, err := h.store.Cursor(context.Background())
	require.NoError(t, err)
	require.Equal(t, h.chain.head()-1, cursor, "the heartbeat's own block is read on the next step")
	// The agent is down while three leases are booked and a lot of blocks pass.
	for id := uint64(1); id <= 3; id++ {
		h.chain.book(id, 2, 1, "")
	}
	h.restart()
	h.mustStep()
	for id := uint64(1); id <= 3; id++ {
		booked, err := h.store.Booked(context.Background(), id)
		require.NoError(t, err)
		require.Positive(t, booked, "lease %d", id)
		require.Equal(t, markettypes.LEASE_STATE_ACTIVE, h.chain.state(id))
	}
	require.Len(t, h.chain.txs, 2, "a heartbeat, then one batch of three reports (the heartbeat schedule survived)")
}

// counter reads a counter's value.
func counter(t *testing.T, c prometheus.Counter) float64 {
	var m dto.Metric
	require.NoError(t, c.Write(&m))
	return m.GetCounter().GetValue()
}
