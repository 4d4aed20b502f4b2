package keeper_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

// TestRandomScenario runs long random sequences of messages and market calls. After every
// successful step the invariants hold (see fixture.checkInvariants); after every failed step the
// state, the balances and the events are unchanged. Leases are modelled outside the keeper:
// every booking made must be releasable, exactly once.
func TestRandomScenario(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run("", func(t *testing.T) { runScenario(t, seed, 1000) })
	}
}

type lease struct{ offer, units uint64 }

func runScenario(t *testing.T, seed uint64, steps int) {
	f := setup(t)
	f.register()
	f.ok(func() error { return f.k.RegisterProvider(f.ctx, stranger, "two", "", nil) })
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	r := rand.New(rand.NewPCG(seed, 99))
	signers := []string{owner, operator, stranger, newOwner}
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	// nodeID and offerID pick an existing id most of the time, sometimes any id up to one not
	// yet used.
	var gs *types.GenesisState
	nodeID := func() uint64 {
		if len(gs.Nodes) == 0 || r.IntN(10) == 0 {
			return r.Uint64N(gs.NextNodeId + 2)
		}
		return gs.Nodes[r.IntN(len(gs.Nodes))].Id
	}
	offerID := func() uint64 {
		if len(gs.Offers) == 0 || r.IntN(10) == 0 {
			return r.Uint64N(gs.NextOfferId + 2)
		}
		return gs.Offers[r.IntN(len(gs.Offers))].Id
	}
	// Mostly the owner or the operator, sometimes someone without rights.
	signer := func() string {
		if r.IntN(5) == 0 {
			return pick(signers)
		}
		return pick(signers[:2])
	}
	var leases []lease
	var now int64
	outcomes := map[string]int{}

	for i := 0; i < steps; i++ {
		gs = f.export()
		capacity := types.Resources{CpuMilli: 1000 * (1 + r.Uint64N(8)), MemoryBytes: gib * (1 + r.Uint64N(16)), StorageBytes: 10 * gib * (1 + r.Uint64N(10)), Gpus: r.Uint64N(2)}
		if r.IntN(8) == 0 {
			capacity = types.Resources{} // keeps the capacity in UpdateNode, refused by AddNode
		}
		unit := types.Resources{CpuMilli: 500 * r.Uint64N(3), MemoryBytes: gib * r.Uint64N(3), StorageBytes: gib * r.Uint64N(20)}
		var op func() error
		reserving := false
		switch r.IntN(20) {
		case 0, 1: // add a node
			op = func() error {
				_, err := f.msg.AddNode(f.ctx, &types.MsgAddNode{Signer: signer(), Provider: owner,
					PubKey: pubKey(byte(r.IntN(12))), Capacity: capacity, Bond: ugld([]int64{0, 8_000_000, 25_000_000, 25_000_000}[r.IntN(4)])})
				return err
			}
		case 2: // update a node
			st := types.NodeStatus(r.IntN(4))
			op = func() error {
				_, err := f.msg.UpdateNode(f.ctx, &types.MsgUpdateNode{Signer: signer(), NodeId: nodeID(), Capacity: capacity, Status: st})
				return err
			}
		case 3: // remove a node
			op = func() error {
				_, err := f.msg.RemoveNode(f.ctx, &types.MsgRemoveNode{Signer: signer(), NodeId: nodeID()})
				return err
			}
		case 4: // deposit bond
			op = func() error {
				_, err := f.msg.DepositBond(f.ctx, &types.MsgDepositBond{Sender: funder, NodeId: nodeID(), Amount: ugld(1 + r.Int64N(5_000_000))})
				return err
			}
		case 5: // withdraw bond
			op = func() error {
				_, err := f.msg.WithdrawBond(f.ctx, &types.MsgWithdrawBond{Owner: signer(), NodeId: nodeID(), Amount: ugld(1 + r.Int64N(5_000_000))})
				return err
			}
		case 6, 7: // heartbeat
			n := nodeID()
			op = func() error {
				acc := addr(9)
				if node, err := f.k.GetNode(f.ctx, n); err == nil && r.IntN(4) > 0 {
					acc = node.Account
				}
				_, err := f.msg.Heartbeat(f.ctx, &types.MsgHeartbeat{NodeAccount: acc, NodeId: n})
				return err
			}
		case 8, 9, 10: // add an offer
			op = func() error {
				_, err := f.msg.AddOffer(f.ctx, &types.MsgAddOffer{Signer: signer(), NodeId: nodeID(), Kind: types.OfferKind(1 + r.IntN(2)),
					Resources: unit, Price: usdc("0.001"), Units: r.Uint64N(5)})
				return err
			}
		case 11: // update an offer
			op = func() error {
				_, err := f.msg.UpdateOffer(f.ctx, &types.MsgUpdateOffer{Signer: signer(), OfferId: offerID(), Price: usdc("0.002"),
					UnitsTotal: r.Uint64N(6), Active: r.IntN(4) > 0})
				return err
			}
		case 12: // remove an offer
			op = func() error {
				_, err := f.msg.RemoveOffer(f.ctx, &types.MsgRemoveOffer{Signer: signer(), OfferId: offerID()})
				return err
			}
		case 13, 14, 15: // book
			l := lease{offerID(), 1 + r.Uint64N(3)}
			op = func() error {
				_, _, err := f.k.ReserveUnits(f.ctx, l.offer, l.units)
				if err == nil {
					leases = append(leases, l)
				}
				return err
			}
			reserving = true
		case 16, 17: // release a booking
			if len(leases) == 0 {
				continue
			}
			j := r.IntN(len(leases))
			l := leases[j]
			leases = append(leases[:j], leases[j+1:]...)
			f.ok(release(f, l.offer, l.units)) // a booking is always releasable
			continue
		case 18: // slash
			op = func() error { _, err := f.k.SlashBond(f.ctx, nodeID(), uint32(r.IntN(3000)), "test"); return err }
		case 19: // time passes
			now += r.Int64N(200)
			f.at(now)
			continue
		}
		before := f.export()
		balances := f.bank.snapshot()
		em := f.newEvents()
		err := op()
		outcomes[map[bool]string{true: "ok", false: "failed"}[err == nil]]++
		if err != nil {
			if reserving {
				outcomes["reserve: "+lastWord(err)]++
			}
			require.Equal(t, before, f.export(), "step %d failed (%v) but changed the state", i, err)
			require.Equal(t, balances, f.bank.snapshot(), "step %d failed (%v) but moved coins", i, err)
			require.Empty(t, em.Events(), "step %d failed (%v) but emitted events", i, err)
			continue
		}
		f.checkInvariants()
		if reserving {
			outcomes["reserved"]++
		}
	}
	// Everything booked can be released, after which nothing is reserved.
	for _, l := range leases {
		f.ok(release(f, l.offer, l.units))
	}
	for _, n := range f.export().Nodes {
		require.True(t, n.Reserved.IsZero(), "node %d", n.Id)
		require.Zero(t, n.LiveLeases, "node %d", n.Id)
	}
	require.Positive(t, outcomes["ok"])
	require.Positive(t, outcomes["failed"])
	require.Positive(t, outcomes["reserved"])
	t.Logf("seed %d: %v, %d leases open at the end", seed, outcomes, len(leases))
}

func lastWord(err error) string {
	msg := err.Error()
	for i := len(msg) - 1; i >= 0; i-- {
		if msg[i] == ':' {
			return msg[i+1:]
		}
	}
	return msg
}
