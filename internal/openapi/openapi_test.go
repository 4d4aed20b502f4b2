package openapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gorilla/mux"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/openapi"
	_ "github.com/guild-network/guild/x/market/types"   // registers guild.market.v1's enums
	_ "github.com/guild-network/guild/x/provider/types" // registers guild.provider.v1's enums
)

func TestGuildEnums(t *testing.T) {
	names := openapi.GuildEnums()
	require.EqualValues(t, 2, names["LEASE_STATE_ACTIVE"])
	require.EqualValues(t, 1, names["OFFER_KIND_VM"])
	require.NotContains(t, names, "PROPOSAL_STATUS_PASSED", "only Guild's enums: the SDK's routes take names already")
}

func TestEnumNamesRewritesGuildRoutesOnly(t *testing.T) {
	var seen string
	r := mux.NewRouter()
	r.Use(openapi.EnumNames(openapi.GuildEnums()))
	r.PathPrefix("/").HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { seen = r.URL.RawQuery })
	for _, tc := range []struct{ url, want string }{
		{"/guild/market/v1/leases?state=LEASE_STATE_ACTIVE&tenant=guild1x", "state=2&tenant=guild1x"},
		{"/guild/provider/v1/available_offers?kind=OFFER_KIND_VOLUME", "kind=2"},
		{"/guild/market/v1/leases?state=2", "state=2"},
		{"/cosmos/gov/v1/proposals?proposal_status=LEASE_STATE_ACTIVE", "proposal_status=LEASE_STATE_ACTIVE"},
	} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, tc.url, nil))
		require.Equal(t, tc.want, seen, tc.url)
	}
}

func TestHandlerServesUIAndDocument(t *testing.T) {
	r := mux.NewRouter()
	openapi.Register(r, true)
	for path, want := range map[string]string{
		"/swagger/":                     "SwaggerUIBundle",
		"/swagger/openapi.json":         `"/guild/market/v1/leases"`,
		"/swagger/swagger-ui-bundle.js": "SwaggerUIBundle",
		"/swagger/swagger-ui.css":       ".swagger-ui",
	} {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		require.Equal(t, http.StatusOK, rec.Code, path)
		require.Contains(t, rec.Body.String(), want, path)
	}
	var doc struct {
		Swagger string                     `json:"swagger"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(openapi.Document, &doc))
	require.Equal(t, "2.0", doc.Swagger)
	for _, p := range []string{"/guild/provider/v1/available_offers", "/cosmos/nft/v1beta1/nfts", "/cosmos/tx/v1beta1/txs"} {
		require.Contains(t, doc.Paths, p)
	}
}

func TestSwaggerOffServesNothing(t *testing.T) {
	r := mux.NewRouter()
	openapi.Register(r, false)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/swagger/", nil))
	require.Equal(t, http.StatusNotFound, rec.Code)
}
