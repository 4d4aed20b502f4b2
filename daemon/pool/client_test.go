package pool

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/farmer"
	"github.com/guild-network/guild/daemon/pool/client"
	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

type keySigner map[[32]byte]ed25519.PrivateKey

func (k keySigner) Sign(pub, msg []byte) ([]byte, error) {
	key, ok := k[[32]byte(pub)]
	if !ok {
		return nil, fmt.Errorf("no key %x", pub[:4])
	}
	return ed25519.Sign(key, msg), nil
}

// The farmer's pool client against a real server: join, partials that follow the difficulty,
// a record update, and the status it reports.
func TestClientAgainstServer(t *testing.T) {
	cfg := testConfig(t)
	e := newEnv(t, cfg)
	fk := newFarmer(t, e.chain, cfg, 1)
	web := httptest.NewServer(e.h)
	defer web.Close()
	signer := keySigner{}
	for _, k := range []ed25519.PrivateKey{fk.owner, fk.auth, fk.plot} {
		signer[[32]byte(protocol.PublicKey(k))] = k
	}
	m := client.Member{ContractID: fk.id, OwnerPublicKey: [32]byte(protocol.PublicKey(fk.owner)),
		AuthPublicKey: [32]byte(protocol.PublicKey(fk.auth)), PayoutAddress: fk.payout}
	c := client.New(web.URL, signer, []client.Member{m}, "harvester-1", e.clk)
	ctx := context.Background()
	require.Zero(t, c.Difficulty(fk.id), "no partials before joining")
	_, err := c.PoolInfo(ctx)
	require.NoError(t, err)
	require.NoError(t, c.Join(ctx, fk.id, nil))
	require.NoError(t, c.Join(ctx, fk.id, nil), "joining again is harmless")
	require.Equal(t, uint64(1), c.Difficulty(fk.id))

	pk := protocol.PublicKey(fk.plot)
	plot := &farmer.Plot{ID: pospace.DerivePlotID(farmingtypes.PoolContractKey(fk.id), [32]byte(pk)), K: testK,
		PoolContractID: fk.id, PublicKey: pk[:]}
	for _, s := range fk.sps(1, 3) {
		e.srv.AddSignagePoint(s)
		ch := farmingtypes.ProofChallenge(plot.ID, s.Hash)
		proof, err := fk.prover.Proof(ch, 0)
		require.NoError(t, err)
		p := farmer.Proof{Plot: plot, SPHeight: int64(s.Height), SPHash: s.Hash, Proof: proof, Difficulty: c.Difficulty(fk.id)}
		require.NoError(t, c.Send(ctx, p))
		require.Error(t, c.Send(ctx, p), "the pool refuses a duplicate")
	}
	st := c.Status()
	require.Len(t, st, 1)
	require.Equal(t, uint64(3), st[0].Accepted)
	require.Equal(t, uint64(3), st[0].Refused)
	require.Contains(t, st[0].LastError, "duplicate")
	require.Equal(t, uint64(3), e.farmer(fk).Points)

	got, err := c.Farmer(ctx, fk.id)
	require.NoError(t, err)
	require.Equal(t, uint64(3), got.CurrentPoints)

	newAddr := addr("elsewhere")
	resp, err := c.Update(ctx, fk.id, protocol.PutFarmerPayload{PayoutInstructions: &newAddr})
	require.NoError(t, err)
	require.True(t, *resp.PayoutInstructions)
	require.Equal(t, newAddr, e.farmer(fk).PayoutAddress)

	// the queue: SubmitPartial never blocks, Run sends
	s := fk.sps(100, 1)[0]
	e.srv.AddSignagePoint(s)
	proof, _ := fk.prover.Proof(farmingtypes.ProofChallenge(plot.ID, s.Hash), 0)
	require.NoError(t, c.SubmitPartial(ctx, farmer.Proof{Plot: plot, SPHash: s.Hash, Proof: proof, Difficulty: 1}))
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- c.Run(rctx) }()
	require.Eventually(t, func() bool { return e.farmer(fk).Points == 4 }, 10e9, 1e6)
	cancel()
	require.NoError(t, <-done)
}
