package ado

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/internal/daemonkit"
)

func key(name string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte(name))
	return ed25519.NewKeyFromSeed(s[:])
}

func keyOf(k ed25519.PrivateKey) func(uint64) (ed25519.PublicKey, error) {
	return func(uint64) (ed25519.PublicKey, error) { return k.Public().(ed25519.PublicKey), nil }
}

var req = Request{ChainID: "guild-dev", Agent: 1, Action: "/guild.credit.v1.MsgBorrow", Value: "100ugld", Height: 10, JTI: "a"}

func TestRequestSignatureChecks(t *testing.T) {
	k := key("requester")
	jws, err := SignRequest(req, k)
	require.NoError(t, err)
	t.Run("good", func(t *testing.T) {
		got, err := ParseRequest(jws, keyOf(k))
		require.NoError(t, err)
		require.Equal(t, req, got)
	})
	t.Run("signed by another key", func(t *testing.T) {
		_, err := ParseRequest(jws, keyOf(key("mallory")))
		require.ErrorIs(t, err, ErrBadSignature)
	})
	t.Run("alg none", func(t *testing.T) {
		parts := strings.Split(jws, ".")
		none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + "."
		_, err := ParseRequest(none, keyOf(k))
		require.ErrorIs(t, err, ErrMalformed)
	})
	t.Run("HS256", func(t *testing.T) {
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")}, nil)
		require.NoError(t, err)
		obj, err := s.Sign([]byte(`{"agent":1,"action":"x","height":1,"jti":"j"}`))
		require.NoError(t, err)
		c, err := obj.CompactSerialize()
		require.NoError(t, err)
		_, err = ParseRequest(c, keyOf(k))
		require.ErrorIs(t, err, ErrMalformed)
	})
	t.Run("tampered payload", func(t *testing.T) {
		parts := strings.Split(jws, ".")
		other := req
		other.Value = "1000000ugld"
		forged, err := SignRequest(other, key("mallory"))
		require.NoError(t, err)
		fp := strings.Split(forged, ".")
		_, err = ParseRequest(parts[0]+"."+fp[1]+"."+parts[2], keyOf(k))
		require.ErrorIs(t, err, ErrBadSignature)
	})
	t.Run("missing jti", func(t *testing.T) {
		r := req
		r.JTI = ""
		j, err := SignRequest(r, k)
		require.NoError(t, err)
		_, err = ParseRequest(j, keyOf(k))
		require.ErrorIs(t, err, ErrMalformed)
	})
}

func TestStoreRefusesAReusedJTIAndKeepsTheAuditLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ado.db")
	now := func() time.Time { return time.Unix(1000, 0) }
	s, err := OpenSQLite(ctx, path, now)
	require.NoError(t, err)
	require.NoError(t, s.UseJTI(ctx, 1, "a", now()))
	require.ErrorIs(t, s.UseJTI(ctx, 1, "a", now()), ErrReplay)
	require.NoError(t, s.UseJTI(ctx, 2, "a", now()), "jtis are per agent")
	require.NoError(t, s.Audit(ctx, AuditRecord{At: now(), Agent: 1, JTI: "a", Outcome: "issued"}))
	require.NoError(t, s.Close())
	// Persisted: a restart still refuses the jti.
	s, err = OpenSQLite(ctx, path, now)
	require.NoError(t, err)
	defer s.Close()
	require.ErrorIs(t, s.UseJTI(ctx, 1, "a", now()), ErrReplay)
	log, err := s.AuditLog(ctx, 1, 10)
	require.NoError(t, err)
	require.Len(t, log, 1)
}

// TestGroupCommit: concurrent writers share transactions, and of many concurrent uses of one
// jti exactly one succeeds; every acknowledged row is there after a restart.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ado.db")
	now := func() time.Time { return time.Unix(1000, 0) }
	s, err := OpenSQLite(ctx, path, now)
	require.NoError(t, err)
	const n = 64
	errs := make(chan error, 2*n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(2)
		go func() { defer wg.Done(); errs <- s.UseJTI(ctx, 7, "same", now()) }()
		go func() {
			defer wg.Done()
			errs <- s.Audit(ctx, AuditRecord{At: now(), Agent: 7, JTI: fmt.Sprint("j", i), Outcome: "issued"})
		}()
	}
	wg.Wait()
	close(errs)
	ok, replays := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrReplay):
			replays++
		default:
			t.Fatal(err)
		}
	}
	require.Equal(t, n+1, ok, "every audit row and one jti use")
	require.Equal(t, n-1, replays)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close is idempotent")
	require.ErrorIs(t, s.UseJTI(ctx, 7, "other", now()), errStoreClosed)
	s, err = OpenSQLite(ctx, path, now)
	require.NoError(t, err)
	defer s.Close()
	log, err := s.AuditLog(ctx, 7, 1000)
	require.NoError(t, err)
	require.Len(t, log, n)
	require.ErrorIs(t, s.UseJTI(ctx, 7, "same", now()), ErrReplay)
}

func TestConfigValidation(t *testing.T) {
	require.NoError(t, DefaultConfig().ValidateBasic())
	c := DefaultConfig()
	c.Credential.ValidityBlocks = 0
	err := c.ValidateBasic()
	require.ErrorIs(t, err, daemonkit.ErrInvalidConfig)
	var ce *daemonkit.ConfigError
	require.True(t, errors.As(err, &ce))
	require.Equal(t, "credential", ce.Section)
	c = DefaultConfig()
	c.Issuer.KeyringBackend = "plain"
	require.ErrorIs(t, c.ValidateBasic(), daemonkit.ErrInvalidConfig)
}
