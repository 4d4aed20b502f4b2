package agent

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cosmos/gogoproto/proto"

	sdkmath "cosmossdk.io/math"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/daemon/agent/driver"
	markettypes "github.com/guild-network/guild/x/market/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// fakeChain is an in-memory chain with just enough of x/market: reports move PENDING leases to
// ACTIVE or CLOSED (refusing a whole transaction if one report is for a lease not pending, as
// the real chain does); each transaction is a block.
type fakeChain struct {
	mu        sync.Mutex
	height    int64
	node      uint64
	leases    map[uint64]*markettypes.Lease
	offers    map[uint64]providertypes.Offer
	events    map[int64][]proto.Message
	txs       [][]sdk.Msg
	submitErr error
	// txBudgets records, for each Submit, the time its context left for the transaction.
	txBudgets []time.Duration
	claimNext []uint64 // Next of successive claim responses
}

func newFakeChain(node uint64) *fakeChain {
	return &fakeChain{
		height: 1, node: node, leases: map[uint64]*markettypes.Lease{}, events: map[int64][]proto.Message{},
		offers: map[uint64]providertypes.Offer{
			1: {Id: 1, NodeId: node, Kind: providertypes.OFFER_KIND_VM, Resources: providertypes.Resources{CpuMilli: 1000, MemoryBytes: 1 << 30}},
			2: {Id: 2, NodeId: node, Kind: providertypes.OFFER_KIND_VOLUME, Resources: providertypes.Resources{StorageBytes: 1 << 30}},
		},
	}
}

// book creates a PENDING lease in a new block and emits its creation event.
func (f *fakeChain) book(id, offer, units uint64, data string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.height++
	f.leases[id] = &markettypes.Lease{Id: id, OfferId: offer, NodeId: f.node, Units: units, State: markettypes.LEASE_STATE_PENDING,
		Deployment: markettypes.Deployment{Hash: []byte("h" + data), Data: data}, Rate: sdkmath.LegacyOneDec()}
	f.events[f.height] = append(f.events[f.height], &markettypes.EventLeaseCreated{LeaseId: id, NodeId: f.node, OfferId: offer})
}

func (f *fakeChain) setState(id uint64, s markettypes.LeaseState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.height++
	f.leases[id].State = s
}

func (f *fakeChain) state(id uint64) markettypes.LeaseState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.leases[id].State
}

func (f *fakeChain) lease(id uint64) markettypes.Lease {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.leases[id]
}

func (f *fakeChain) head() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.height
}

// sent returns every message of a type sent so far.
func sent[T sdk.Msg](f *fakeChain) []T {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []T
	for _, tx := range f.txs {
		for _, m := range tx {
			if t, ok := m.(T); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

func (f *fakeChain) Height(context.Context) (int64, error) { return f.head(), nil }

func (f *fakeChain) Node(_ context.Context, id uint64) (providertypes.Node, error) {
	return providertypes.Node{Id: id}, nil
}

func (f *fakeChain) Offer(_ context.Context, id uint64) (providertypes.Offer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.offers[id]
	if !ok {
		return o, fmt.Errorf("offer %d not found", id)
	}
	return o, nil
}

func (f *fakeChain) NodeLeases(_ context.Context, node uint64, st markettypes.LeaseState) ([]markettypes.Lease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []markettypes.Lease
	for _, l := range f.leases {
		if l.NodeId == node && l.State == st {
			out = append(out, *l)
		}
	}
	return out, nil
}

func (f *fakeChain) Lease(_ context.Context, id uint64) (markettypes.Lease, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.leases[id]
	if !ok {
		return markettypes.Lease{}, ErrLeaseNotFound
	}
	return *l, nil
}

func (f *fakeChain) MarketParams(context.Context) (markettypes.Params, error) {
	p := markettypes.DefaultParams()
	p.MaxReportText = 64
	return p, nil
}

func (f *fakeChain) BlockEvents(_ context.Context, h int64) ([]proto.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.events[h], nil
}

func (f *fakeChain) Submit(ctx context.Context, msgs ...sdk.Msg) (TxResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if deadline, ok := ctx.Deadline(); ok {
		f.txBudgets = append(f.txBudgets, time.Until(deadline))
	} else {
		f.txBudgets = append(f.txBudgets, 0)
	}
	if f.submitErr != nil {
		return TxResult{}, f.submitErr
	}
	for _, m := range msgs {
		if r, ok := m.(*markettypes.MsgReportDeployment); ok {
			if l := f.leases[r.LeaseId]; l == nil || l.State != markettypes.LEASE_STATE_PENDING {
				return TxResult{}, fmt.Errorf("lease %d is not pending: %w", r.LeaseId, errors.ErrUnsupported)
			}
		}
	}
	f.height++
	res := TxResult{Height: f.height, Hash: fmt.Sprintf("TX%d", f.height)}
	for _, m := range msgs {
		switch r := m.(type) {
		case *markettypes.MsgReportDeployment:
			l := f.leases[r.LeaseId]
			l.DeployInfo = r.Info
			if r.Result == markettypes.DEPLOYMENT_RESULT_DEPLOYED {
				l.State = markettypes.LEASE_STATE_ACTIVE
			} else {
				l.State, l.CloseReason = markettypes.LEASE_STATE_CLOSED, markettypes.ReasonDeployFailed
			}
		case *markettypes.MsgClaimProvider:
			next := uint64(0)
			if len(f.claimNext) > 0 {
				next, f.claimNext = f.claimNext[0], f.claimNext[1:]
			}
			resp := &markettypes.MsgClaimProviderResponse{Paid: sdk.NewCoins(sdk.NewInt64Coin("uusdc", 5)), Leases: 1, Next: next}
			a, _ := codectypes.NewAnyWithValue(resp)
			res.Responses = append(res.Responses, a)
		}
	}
	f.txs = append(f.txs, msgs)
	return res, nil
}

// fakeDriver records calls and keeps workloads in memory; errs makes Deploy fail per lease.
type fakeDriver struct {
	mu     sync.Mutex
	name   string
	state  map[uint64]driver.State
	data   map[uint64]string
	calls  []string
	errs   map[uint64]error
	failed map[string]error // "pause" → error for every lease
}

func newFakeDriver(name string) *fakeDriver {
	return &fakeDriver{name: name, state: map[uint64]driver.State{}, data: map[uint64]string{},
		errs: map[uint64]error{}, failed: map[string]error{}}
}

func (d *fakeDriver) record(op string, id uint64) {
	d.calls = append(d.calls, fmt.Sprintf("%s %d", op, id))
}

// count returns how often op was called for lease id.
func (d *fakeDriver) count(op string, id uint64) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, c := range d.calls {
		if c == fmt.Sprintf("%s %d", op, id) {
			n++
		}
	}
	return n
}

func (d *fakeDriver) get(id uint64) driver.State {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state[id]
}

func (d *fakeDriver) Name() string { return d.name }

func (d *fakeDriver) Deploy(_ context.Context, w driver.Workload) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record("deploy", w.LeaseID)
	if err := d.errs[w.LeaseID]; err != nil {
		return "", err
	}
	if d.state[w.LeaseID] == driver.StateMissing {
		d.state[w.LeaseID] = driver.StateRunning
	}
	d.data[w.LeaseID] = w.Data
	return fmt.Sprintf(`{"lease":%d,"size":%d}`, w.LeaseID, w.Resources.StorageBytes), nil
}

func (d *fakeDriver) Pause(_ context.Context, w driver.Workload) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record("pause", w.LeaseID)
	if err := d.failed["pause"]; err != nil {
		return err
	}
	if d.state[w.LeaseID] != driver.StateMissing {
		d.state[w.LeaseID] = driver.StatePaused
	}
	return nil
}

func (d *fakeDriver) Resume(_ context.Context, w driver.Workload) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record("resume", w.LeaseID)
	if d.state[w.LeaseID] != driver.StateMissing {
		d.state[w.LeaseID] = driver.StateRunning
	}
	return nil
}

func (d *fakeDriver) Teardown(_ context.Context, w driver.Workload) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.record("teardown", w.LeaseID)
	delete(d.state, w.LeaseID)
	return nil
}

func (d *fakeDriver) Status(_ context.Context, w driver.Workload) (driver.Status, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return driver.Status{State: d.state[w.LeaseID]}, nil
}
