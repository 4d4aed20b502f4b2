package pool

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzHandlers sends arbitrary bodies to every POST and PUT route: the server never panics,
// always answers JSON, and credits nothing.
func FuzzHandlers(f *testing.F) {
	f.Add(uint8(0), []byte(`{"payload":{}}`))
	f.Add(uint8(1), []byte(`{"payload":{"launcher_id":"0x00"},"signature":"00"}`))
	f.Add(uint8(2), []byte(`{`))
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		e := fuzzEnv(t)
		method, path := "POST", "/partial"
		switch route % 3 {
		case 1:
			path = "/farmer"
		case 2:
			method, path = "PUT", "/farmer"
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		e.h.ServeHTTP(rec, req)
		var v map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &v), "answer %q", rec.Body.String())
		f := e.farmer(e.kit)
		require.Zero(t, f.Points)
	})
}

var fuzzShared *env

// fuzzEnv is one server with one joined farmer, shared by every fuzz input.
func fuzzEnv(t *testing.T) *env {
	if fuzzShared == nil {
		cfg := testConfig(t)
		e := newEnvNoCleanup(t, cfg)
		e.kit = newFarmer(t, e.chain, cfg, 1)
		e.join(e.kit)
		fuzzShared = e
	}
	fuzzShared.t = t
	return fuzzShared
}
