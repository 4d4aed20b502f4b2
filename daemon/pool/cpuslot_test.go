package pool

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/protocol"
)

// A partial waiting for a CPU slot whose request is cancelled is refused (16), credits nothing and
// claims nothing: the same partial is accepted once a slot is free.
func TestPartialWaitsForACPUSlot(t *testing.T) {
	e := newEnv(t, testConfig(t))
	fk := newFarmer(t, e.chain, e.cfg, 1)
	e.join(fk)
	s := fk.sps(1, 1)[0]
	e.srv.AddSignagePoint(s)
	req, ok := fk.partial(t, s, e.clk.Now())
	require.True(t, ok)
	raw, err := json.Marshal(req)
	require.NoError(t, err)

	for i := 0; i < cap(e.srv.cpu); i++ {
		e.srv.cpu <- struct{}{} // every slot taken
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("POST", "/partial", bytes.NewReader(raw)).WithContext(ctx)
	r.RemoteAddr = "10.0.0.1:5555"
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	var pe protocol.Error
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &pe), rec.Body.String())
	require.Equal(t, protocol.RequestFailed, pe.Code)
	require.Contains(t, pe.Message, "cancelled")
	require.Zero(t, e.farmer(fk).Points)

	for i := 0; i < cap(e.srv.cpu); i++ {
		<-e.srv.cpu
	}
	var resp protocol.PostPartialResponse
	_, perr := e.do("POST", "/partial", req, &resp)
	require.Nil(t, perr)
	require.Equal(t, uint64(1), e.farmer(fk).Points)
}
