package pool

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/protocol"
)

func TestPostFarmer(t *testing.T) {
	cfg := testConfig(t)
	e := newEnv(t, cfg)
	fk := newFarmer(t, e.chain, cfg, 1)
	now := e.clk.Now()

	refusals := []struct {
		name string
		req  func() *protocol.PostFarmerRequest
		code protocol.ErrorCode
	}{
		{"forged owner signature", func() *protocol.PostFarmerRequest {
			r := fk.postFarmer(now, nil)
			r.Signature = protocol.Sign(edKey("thief"), r.Payload.Hash())
			return r
		}, protocol.InvalidSignature},
		{"signature over other fields", func() *protocol.PostFarmerRequest {
			r := fk.postFarmer(now, nil)
			r.Payload.PayoutInstructions = addr("thief")
			return r
		}, protocol.InvalidSignature},
		{"stale token", func() *protocol.PostFarmerRequest { return fk.postFarmer(now.Add(-time.Hour), nil) }, protocol.InvalidAuthenticationToken},
		{"bad payout address", func() *protocol.PostFarmerRequest {
			r := fk.postFarmer(now, nil)
			r.Payload.PayoutInstructions = "cosmos1notours"
			r.Signature = protocol.Sign(fk.owner, r.Payload.Hash())
			return r
		}, protocol.InvalidPayoutInstructions},
		{"unknown contract", func() *protocol.PostFarmerRequest {
			r := fk.postFarmer(now, nil)
			r.Payload.LauncherID[0] ^= 1
			r.Signature = protocol.Sign(fk.owner, r.Payload.Hash())
			return r
		}, protocol.InvalidSingleton},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			_, perr := e.do("POST", "/farmer", tc.req(), nil)
			require.NotNil(t, perr)
			require.Equal(t, tc.code, perr.Code, perr.Message)
			farmers, err := e.st.Farmers(context.Background())
			require.NoError(t, err)
			require.Empty(t, farmers, "nothing stored")
		})
	}
	t.Run("contract of another pool", func(t *testing.T) {
		other := newFarmer(t, e.chain, cfg, 2)
		e.chain.contracts[other.lid].Target = addr("another pool")
		_, perr := e.do("POST", "/farmer", other.postFarmer(now, nil), nil)
		require.Equal(t, protocol.InvalidSingleton, perr.Code)
		e.chain.contracts[other.lid].Target = cfg.Pool.Address
		e.chain.contracts[other.lid].PoolURL = "https://elsewhere.example"
		_, perr = e.do("POST", "/farmer", other.postFarmer(now, nil), nil)
		require.Equal(t, protocol.InvalidSingleton, perr.Code)
		e.chain.contracts[other.lid].PoolURL = cfg.Pool.URL
		e.chain.contracts[other.lid].RelativeLock = cfg.Pool.RelativeLock + 1
		_, perr = e.do("POST", "/farmer", other.postFarmer(now, nil), nil)
		require.Equal(t, protocol.InvalidSingleton, perr.Code)
		e.chain.contracts[other.lid].RelativeLock = cfg.Pool.RelativeLock
		e.chain.contracts[other.lid].State = SelfPooling
		_, perr = e.do("POST", "/farmer", other.postFarmer(now, nil), nil)
		require.Equal(t, protocol.InvalidSingleton, perr.Code)
	})

	d := uint64(50)
	_, perr := e.do("POST", "/farmer", fk.postFarmer(now, &d), nil)
	require.Nil(t, perr)
	f := e.farmer(fk)
	require.Equal(t, uint64(50), f.Difficulty, "a suggested difficulty at or above the minimum is taken")
	require.Equal(t, fk.payout, f.PayoutAddress)
	require.True(t, f.IsMember)
	_, perr = e.do("POST", "/farmer", fk.postFarmer(now, nil), nil)
	require.Equal(t, protocol.FarmerAlreadyKnown, perr.Code)
}

func (fk *farmerKit) putFarmer(now time.Time, p protocol.PutFarmerPayload) *protocol.PutFarmerRequest {
	p.LauncherID, p.AuthenticationToken = protocol.Bytes32(fk.lid), protocol.AuthToken(now, 5)
	return &protocol.PutFarmerRequest{Payload: p, Signature: protocol.Sign(fk.owner, p.Hash())}
}

func TestPutFarmerAndDifficultyCooldown(t *testing.T) {
	cfg := testConfig(t)
	e := newEnv(t, cfg)
	fk := newFarmer(t, e.chain, cfg, 1)
	e.join(fk)
	newAddr, newAuth, d := addr("new payout"), edKey("new auth"), uint64(40)

	forged := fk.putFarmer(e.clk.Now(), protocol.PutFarmerPayload{PayoutInstructions: &newAddr})
	forged.Signature = protocol.Sign(fk.auth, forged.Payload.Hash()) // the auth key may not change the record
	_, perr := e.do("PUT", "/farmer", forged, nil)
	require.Equal(t, protocol.InvalidSignature, perr.Code)

	auth := protocol.PublicKey(newAuth)
	var resp protocol.PutFarmerResponse
	_, perr = e.do("PUT", "/farmer", fk.putFarmer(e.clk.Now(), protocol.PutFarmerPayload{
		PayoutInstructions: &newAddr, AuthenticationPublicKey: &auth, SuggestedDifficulty: &d}), &resp)
	require.Nil(t, perr)
	require.True(t, *resp.PayoutInstructions)
	require.True(t, *resp.AuthenticationPublicKey)
	require.True(t, *resp.SuggestedDifficulty)
	f := e.farmer(fk)
	require.Equal(t, newAddr, f.PayoutAddress)
	require.Equal(t, uint64(1), f.Difficulty, "the suggested difficulty waits for the cooldown")

	_, perr = e.do("PUT", "/farmer", fk.putFarmer(e.clk.Now(), protocol.PutFarmerPayload{PayoutInstructions: &newAddr}), nil)
	require.Equal(t, protocol.RequestFailed, perr.Code, "a second update within the cooldown is refused")

	// the partial path now uses the new authentication key
	fk.auth = newAuth
	s := fk.sps(1, 1)[0]
	e.srv.AddSignagePoint(s)
	req, _ := fk.partial(t, s, e.clk.Now())
	_, perr = e.do("POST", "/partial", req, nil)
	require.Nil(t, perr)
	require.Equal(t, uint64(1), e.farmer(fk).Points, "before the cooldown, points at the old difficulty")

	e.clk.Advance(cfg.Pool.DifficultyCooldown.D())
	s = fk.sps(s.Height+1, 1)[0]
	e.srv.AddSignagePoint(s)
	req, _ = fk.partial(t, s, e.clk.Now())
	_, perr = e.do("POST", "/partial", req, nil)
	require.Nil(t, perr)
	f = e.farmer(fk)
	require.Equal(t, uint64(40), f.Difficulty)
	require.Equal(t, uint64(41), f.Points)

	other := newFarmer(t, e.chain, cfg, 9)
	_, perr = e.do("PUT", "/farmer", other.putFarmer(e.clk.Now(), protocol.PutFarmerPayload{PayoutInstructions: &newAddr}), nil)
	require.Equal(t, protocol.FarmerNotKnown, perr.Code)
}

func authQuery(fk *farmerKit, method, target string, now time.Time) string {
	ap := protocol.AuthenticationPayload{MethodName: method, LauncherID: protocol.Bytes32(fk.lid), TargetPuzzleHash: target,
		AuthenticationToken: protocol.AuthToken(now, 5)}
	q := protocol.AuthQuery{LauncherID: ap.LauncherID, AuthenticationToken: ap.AuthenticationToken, Signature: protocol.Sign(fk.auth, ap.Hash())}
	return q.Values().Encode()
}

func TestGetFarmerAndLogin(t *testing.T) {
	cfg := testConfig(t)
	e := newEnv(t, cfg)
	fk := newFarmer(t, e.chain, cfg, 1)
	e.join(fk)
	s := fk.sps(1, 1)[0]
	e.srv.AddSignagePoint(s)
	req, _ := fk.partial(t, s, e.clk.Now())
	_, perr := e.do("POST", "/partial", req, nil)
	require.Nil(t, perr)
	_, perr = e.do("POST", "/partial", req, nil) // a refused duplicate, shown on the login page
	require.NotNil(t, perr)

	var got protocol.GetFarmerResponse
	_, perr = e.do("GET", "/farmer?"+authQuery(fk, protocol.MethodGetFarmer, poolAddr, e.clk.Now()), nil, &got)
	require.Nil(t, perr)
	require.Equal(t, protocol.GetFarmerResponse{AuthenticationPublicKey: protocol.PublicKey(fk.auth), PayoutInstructions: fk.payout,
		CurrentDifficulty: 1, CurrentPoints: 1}, got)

	_, perr = e.do("GET", "/farmer?"+authQuery(fk, protocol.MethodGetLogin, poolAddr, e.clk.Now()), nil, nil)
	require.Equal(t, protocol.InvalidSignature, perr.Code, "a login signature is not a get_farmer signature")
	_, perr = e.do("GET", "/farmer?"+authQuery(fk, protocol.MethodGetFarmer, addr("other pool"), e.clk.Now()), nil, nil)
	require.Equal(t, protocol.InvalidSignature, perr.Code, "signed for another pool")
	_, perr = e.do("GET", "/farmer?"+authQuery(fk, protocol.MethodGetFarmer, poolAddr, e.clk.Now().Add(-time.Hour)), nil, nil)
	require.Equal(t, protocol.InvalidAuthenticationToken, perr.Code)

	r := httptest.NewRequest("GET", "/login?"+authQuery(fk, protocol.MethodGetLogin, poolAddr, e.clk.Now()), nil)
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	require.Equal(t, http.StatusOK, rec.Code)
	body, _ := io.ReadAll(rec.Body)
	page := string(body)
	require.Contains(t, page, "<th>Points since the last payout</th><td>1</td>")
	require.Contains(t, page, "duplicate partial")
	require.True(t, strings.Contains(page, "Estimated space"))
}
