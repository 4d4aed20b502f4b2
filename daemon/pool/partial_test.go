package pool

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/protocol"
	"github.com/guild-network/guild/daemon/pool/store"
)

func TestPartialAcceptedEarnsDifficulty(t *testing.T) {
	e := newEnv(t, testConfig(t))
	fk := newFarmer(t, e.chain, e.cfg, 1)
	e.join(fk)
	for i, s := range fk.sps(1, 3) {
		e.srv.AddSignagePoint(s)
		req, ok := fk.partial(t, s, e.clk.Now())
		require.True(t, ok)
		var resp protocol.PostPartialResponse
		code, perr := e.do("POST", "/partial", req, &resp)
		require.Nil(t, perr)
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, uint64(1), resp.NewDifficulty)
		require.Equal(t, uint64(i+1), e.farmer(fk).Points)
	}
	recent, err := e.st.RecentPartials(context.Background(), fk.lid, 10)
	require.NoError(t, err)
	require.Len(t, recent, 3)
}

// Every refusal answers its error code and credits nothing.
func TestPartialRefusals(t *testing.T) {
	cfg := testConfig(t)
	e := newEnv(t, cfg)
	fk := newFarmer(t, e.chain, cfg, 1)
	other := newFarmer(t, e.chain, cfg, 2) // member of the pool too, but never joins
	stranger := newFarmer(t, e.chain, cfg, 3)
	e.chain.contracts[stranger.lid].Target = addr("another pool")
	e.join(fk)
	sps := fk.sps(1, 20)
	next := 0
	fresh := func() (*protocol.PostPartialRequest, SignagePoint) {
		s := sps[next]
		next++
		e.srv.AddSignagePoint(s)
		req, ok := fk.partial(t, s, e.clk.Now())
		require.True(t, ok)
		return req, s
	}
	resign := func(r *protocol.PostPartialRequest) {
		r.AggregateSignature = protocol.SignPartial(&r.Payload, fk.plot, fk.auth)
	}
	for _, tc := range []struct {
		name string
		mod  func(r *protocol.PostPartialRequest)
		code protocol.ErrorCode
	}{
		{"forged plot key signature", func(r *protocol.PostPartialRequest) {
			r.AggregateSignature = protocol.SignPartial(&r.Payload, edKey("thief"), fk.auth)
		}, protocol.InvalidSignature},
		{"forged authentication key signature", func(r *protocol.PostPartialRequest) {
			r.AggregateSignature = protocol.SignPartial(&r.Payload, fk.plot, edKey("thief"))
		}, protocol.InvalidSignature},
		{"stale token", func(r *protocol.PostPartialRequest) {
			r.Payload.AuthenticationToken -= 6
			resign(r)
		}, protocol.InvalidAuthenticationToken},
		{"future token", func(r *protocol.PostPartialRequest) {
			r.Payload.AuthenticationToken += 6
			resign(r)
		}, protocol.InvalidAuthenticationToken},
		{"unknown signage point", func(r *protocol.PostPartialRequest) {
			r.Payload.SPHash[0] ^= 1
			resign(r)
		}, protocol.NotFound},
		{"tampered proof", func(r *protocol.PostPartialRequest) {
			r.Payload.ProofOfSpace.Proof[3] ^= 0x10
			resign(r)
		}, protocol.InvalidProof},
		{"wrong k", func(r *protocol.PostPartialRequest) {
			r.Payload.ProofOfSpace.Size = testK + 1
			resign(r)
		}, protocol.InvalidProof},
		{"proof for another pool contract", func(r *protocol.PostPartialRequest) {
			r.Payload.ProofOfSpace.PoolContractPuzzleHash = protocol.Bytes32(other.lid)
			resign(r)
		}, protocol.InvalidP2SingletonPuzzleHash},
		{"another pool's contract", func(r *protocol.PostPartialRequest) {
			r.Payload.LauncherID = protocol.Bytes32(stranger.lid)
			r.AggregateSignature = protocol.SignPartial(&r.Payload, fk.plot, stranger.auth)
		}, protocol.FarmerNotKnown},
		{"end of sub-slot", func(r *protocol.PostPartialRequest) {
			r.Payload.EndOfSubSlot = true
			resign(r)
		}, protocol.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.farmer(fk)
			req, _ := fresh()
			tc.mod(req)
			_, perr := e.do("POST", "/partial", req, nil)
			require.NotNil(t, perr)
			require.Equal(t, tc.code, perr.Code, perr.Message)
			require.Equal(t, before, e.farmer(fk), "nothing credited")
		})
	}

	t.Run("late partial", func(t *testing.T) {
		before := e.farmer(fk)
		req, _ := fresh()
		e.clk.Advance(cfg.Pool.PartialTimeLimit.D() + time.Second)
		_, perr := e.do("POST", "/partial", req, nil)
		require.NotNil(t, perr)
		require.Equal(t, protocol.TooLate, perr.Code)
		require.Equal(t, before, e.farmer(fk))
	})

	t.Run("duplicate", func(t *testing.T) {
		req, _ := fresh()
		_, perr := e.do("POST", "/partial", req, nil)
		require.Nil(t, perr)
		before := e.farmer(fk)
		_, perr = e.do("POST", "/partial", req, nil)
		require.NotNil(t, perr)
		require.Equal(t, protocol.InvalidProof, perr.Code)
		require.Contains(t, perr.Message, "duplicate")
		// the same plot for the same signage point under another token is a duplicate too
		req.Payload.AuthenticationToken--
		resign(req)
		_, perr = e.do("POST", "/partial", req, nil)
		require.NotNil(t, perr)
		require.Contains(t, perr.Message, "duplicate")
		require.Equal(t, before, e.farmer(fk), "a duplicate earns nothing")
	})

	t.Run("duplicate after a restart", func(t *testing.T) {
		req, s := fresh()
		_, perr := e.do("POST", "/partial", req, nil)
		require.Nil(t, perr)
		before := e.farmer(fk)
		e.restart(cfg)
		e.srv.AddSignagePoint(s)
		_, perr = e.do("POST", "/partial", req, nil)
		require.NotNil(t, perr)
		require.Equal(t, protocol.InvalidProof, perr.Code)
		require.Equal(t, before, e.farmer(fk))
		// the farmer's cache was dropped; the next partial still counts once
		req, _ = fresh()
		_, perr = e.do("POST", "/partial", req, nil)
		require.Nil(t, perr)
		require.Equal(t, before.Points+1, e.farmer(fk).Points)
	})

	t.Run("not good enough at the farmer's difficulty", func(t *testing.T) {
		d := uint64(1) << 40
		require.NoError(t, e.st.UpdateFarmer(context.Background(), fk.lid, store.FarmerUpdate{Difficulty: &d}))
		e.srv.farmers.invalidate(fk.lid)
		before := e.farmer(fk)
		req, _ := fresh()
		_, perr := e.do("POST", "/partial", req, nil)
		require.NotNil(t, perr)
		require.Equal(t, protocol.ProofNotGoodEnough, perr.Code)
		require.Equal(t, before, e.farmer(fk))
		one := uint64(1)
		require.NoError(t, e.st.UpdateFarmer(context.Background(), fk.lid, store.FarmerUpdate{Difficulty: &one}))
		e.srv.farmers.invalidate(fk.lid)
	})

	t.Run("malformed JSON", func(t *testing.T) {
		code, perr := e.do("POST", "/partial", []byte(`{"payload": {`), nil)
		require.Equal(t, http.StatusBadRequest, code)
		require.Equal(t, protocol.RequestFailed, perr.Code)
	})

	t.Run("oversized body", func(t *testing.T) {
		body := `{"payload":{},"pad":"` + strings.Repeat("0", int(cfg.Limits.MaxBodyBytes)) + `"}`
		code, perr := e.do("POST", "/partial", []byte(body), nil)
		require.Equal(t, http.StatusRequestEntityTooLarge, code)
		require.Equal(t, protocol.RequestFailed, perr.Code)
	})

	t.Run("non-member after leaving", func(t *testing.T) {
		e.chain.mu.Lock()
		pc := e.chain.contracts[fk.lid]
		pc.State, pc.LeavingUntil = LeavingPool, e.chain.height+2
		e.chain.mu.Unlock()
		require.NoError(t, e.srv.MembershipStep(context.Background()))
		req, _ := fresh()
		_, perr := e.do("POST", "/partial", req, nil)
		require.Nil(t, perr, "a leaving member still farms for the pool during its lock")
		e.chain.mine()
		e.chain.mine()
		require.NoError(t, e.srv.MembershipStep(context.Background()))
		require.False(t, e.farmer(fk).IsMember)
		before := e.farmer(fk)
		req, _ = fresh()
		_, perr = e.do("POST", "/partial", req, nil)
		require.NotNil(t, perr)
		require.Equal(t, protocol.InvalidSingleton, perr.Code)
		require.Equal(t, before, e.farmer(fk))
	})
}

func TestPartialRateLimits(t *testing.T) {
	cfg := testConfig(t)
	cfg.Limits.PerLauncherPerMinute, cfg.Limits.PerLauncherBurst = 60, 2
	e := newEnv(t, cfg)
	fk := newFarmer(t, e.chain, cfg, 1)
	e.join(fk)
	sps := fk.sps(1, 4)
	for i, s := range sps {
		e.srv.AddSignagePoint(s)
		req, _ := fk.partial(t, s, e.clk.Now())
		code, perr := e.do("POST", "/partial", req, nil)
		if i < 2 {
			require.Nil(t, perr)
			continue
		}
		if i == 2 {
			require.Equal(t, http.StatusTooManyRequests, code)
			require.Equal(t, protocol.RequestFailed, perr.Code)
			e.clk.Advance(time.Second) // one token per second
			continue
		}
		require.Nil(t, perr, "the bucket refilled")
	}
	require.Equal(t, uint64(3), e.farmer(fk).Points)

	cfg.Limits.PerIPPerMinute, cfg.Limits.PerIPBurst = 60, 1
	e2 := newEnv(t, cfg)
	code, _ := e2.do("GET", "/pool_info", nil, nil)
	require.Equal(t, http.StatusOK, code)
	code, perr := e2.do("GET", "/pool_info", nil, nil)
	require.Equal(t, http.StatusTooManyRequests, code)
	require.Equal(t, protocol.RequestFailed, perr.Code)
}

func TestDifficultyFollowsPartials(t *testing.T) {
	cfg := testConfig(t)
	cfg.Pool.DifficultyCount, cfg.Pool.DifficultyTime = 5, Duration(time.Hour)
	e := newEnv(t, cfg)
	fk := newFarmer(t, e.chain, cfg, 1)
	e.join(fk)
	// five partials a minute apart at difficulty 1 span 4 minutes: 1·3600/240 = 15
	var last protocol.PostPartialResponse
	for i, s := range fk.sps(1, 5) {
		if i > 0 {
			e.clk.Advance(time.Minute)
		}
		e.srv.AddSignagePoint(s)
		req, _ := fk.partial(t, s, e.clk.Now())
		_, perr := e.do("POST", "/partial", req, &last)
		require.Nil(t, perr)
	}
	require.Equal(t, uint64(15), last.NewDifficulty)
	f := e.farmer(fk)
	require.Equal(t, uint64(15), f.Difficulty)
	require.Equal(t, uint64(5), f.Points, "points are the difficulty at submission")
}

func TestPoolInfo(t *testing.T) {
	e := newEnv(t, testConfig(t))
	var info protocol.PoolInfo
	_, perr := e.do("GET", "/pool_info", nil, &info)
	require.Nil(t, perr)
	require.Equal(t, "0.01", info.Fee)
	require.Equal(t, poolAddr, info.TargetPuzzleHash)
	require.Equal(t, 1, info.ProtocolVersion)
	require.Equal(t, uint8(5), info.AuthenticationTokenTimeout)
	raw, _ := json.Marshal(info)
	for _, f := range []string{"name", "logo_url", "minimum_difficulty", "relative_lock_height", "protocol_version", "fee", "description", "target_puzzle_hash", "authentication_token_timeout"} {
		require.Contains(t, string(raw), `"`+f+`"`)
	}
	require.Equal(t, "0.0125", bpsDecimal(125))
	require.Equal(t, "1", bpsDecimal(10_000))
	require.Equal(t, "0", bpsDecimal(0))
}
