package protocol

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func key(seed string) ed25519.PrivateKey {
	s := sha256.Sum256([]byte(seed))
	return ed25519.NewKeyFromSeed(s[:])
}

func samplePartial() *PostPartialPayload {
	return &PostPartialPayload{
		LauncherID:          Bytes32{1},
		AuthenticationToken: 42,
		ProofOfSpace: ProofOfSpace{
			Challenge: Bytes32{2}, PoolContractPuzzleHash: Bytes32{1},
			PlotPublicKey: PublicKey(key("plot")), Size: 18, Proof: HexBytes{1, 2, 3},
		},
		SPHash: Bytes32{3}, HarvesterID: Bytes32{4},
	}
}

func TestAuthTokenWindow(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	cur := AuthToken(now, 5)
	require.Equal(t, uint64(1_800_000_000/60/5), cur)
	for _, tc := range []struct {
		name  string
		token uint64
		ok    bool
	}{
		{"current", cur, true},
		{"oldest accepted", cur - 5, true},
		{"newest accepted", cur + 5, true},
		{"stale", cur - 6, false},
		{"future", cur + 6, false},
		{"zero", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAuthToken(tc.token, now, 5)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, &Error{Code: InvalidAuthenticationToken})
			}
		})
	}
}

func TestPartialSignatures(t *testing.T) {
	plot, auth, other := key("plot"), key("auth"), key("other")
	p := samplePartial()
	sig := SignPartial(p, plot, auth)
	require.NoError(t, VerifyPartial(p, PublicKey(auth), sig))

	t.Run("wrong auth key", func(t *testing.T) {
		require.ErrorIs(t, VerifyPartial(p, PublicKey(other), sig), &Error{Code: InvalidSignature})
	})
	t.Run("forged plot signature", func(t *testing.T) {
		forged := SignPartial(p, other, auth)
		require.ErrorIs(t, VerifyPartial(p, PublicKey(auth), forged), &Error{Code: InvalidSignature})
	})
	t.Run("any field changed", func(t *testing.T) {
		mutations := []func(*PostPartialPayload){
			func(q *PostPartialPayload) { q.LauncherID[0] ^= 1 },
			func(q *PostPartialPayload) { q.AuthenticationToken++ },
			func(q *PostPartialPayload) { q.ProofOfSpace.Challenge[0] ^= 1 },
			func(q *PostPartialPayload) { q.ProofOfSpace.PoolContractPuzzleHash[0] ^= 1 },
			func(q *PostPartialPayload) { q.ProofOfSpace.Size++ },
			func(q *PostPartialPayload) { q.ProofOfSpace.Proof = HexBytes{1, 2, 4} },
			func(q *PostPartialPayload) { q.SPHash[0] ^= 1 },
			func(q *PostPartialPayload) { q.EndOfSubSlot = true },
			func(q *PostPartialPayload) { q.HarvesterID[0] ^= 1 },
		}
		for i, mut := range mutations {
			q := *samplePartial()
			mut(&q)
			require.NotEqual(t, p.Hash(), q.Hash(), "mutation %d", i)
			require.Error(t, VerifyPartial(&q, PublicKey(auth), sig), "mutation %d", i)
		}
	})
}

func TestDomainsDiffer(t *testing.T) {
	a := AuthenticationPayload{MethodName: MethodGetFarmer, LauncherID: Bytes32{1}, TargetPuzzleHash: "guild1x", AuthenticationToken: 7}
	b := a
	b.MethodName = MethodGetLogin
	require.NotEqual(t, a.Hash(), b.Hash())
	auth := key("auth")
	sig := Sign(auth, a.Hash())
	require.NoError(t, VerifyAuth(&a, PublicKey(auth), sig))
	require.ErrorIs(t, VerifyAuth(&b, PublicKey(auth), sig), &Error{Code: InvalidSignature})
}

func TestFarmerPayloadHashes(t *testing.T) {
	d := uint64(10)
	post := PostFarmerPayload{LauncherID: Bytes32{1}, AuthenticationToken: 1, AuthenticationPublicKey: Bytes32{2}, PayoutInstructions: "guild1abc", SuggestedDifficulty: &d}
	post2 := post
	post2.SuggestedDifficulty = nil
	require.NotEqual(t, post.Hash(), post2.Hash())
	owner := key("owner")
	require.NoError(t, VerifyOwner(PublicKey(owner), post.Hash(), Sign(owner, post.Hash())))
	require.ErrorIs(t, VerifyOwner(PublicKey(owner), post2.Hash(), Sign(owner, post.Hash())), &Error{Code: InvalidSignature})
	put := PutFarmerPayload{LauncherID: Bytes32{1}, AuthenticationToken: 1, SuggestedDifficulty: &d}
	require.NotEqual(t, digest(MethodPostFarmer, nil), put.Hash())
}

func TestJSONRoundTripAndFieldNames(t *testing.T) {
	req := PostPartialRequest{Payload: *samplePartial(), AggregateSignature: make(HexBytes, 128)}
	raw, err := json.Marshal(req)
	require.NoError(t, err)
	for _, f := range []string{"launcher_id", "authentication_token", "proof_of_space", "challenge", "pool_public_key",
		"pool_contract_puzzle_hash", "plot_public_key", "size", "proof", "sp_hash", "end_of_sub_slot", "harvester_id", "aggregate_signature"} {
		require.Contains(t, string(raw), `"`+f+`"`)
	}
	got, err := DecodePartial(strings.NewReader(string(raw)), 4096)
	require.NoError(t, err)
	require.Equal(t, req.Payload.Hash(), got.Payload.Hash())
	// hex without 0x prefix is accepted too
	noPrefix := strings.ReplaceAll(string(raw), `"0x`, `"`)
	got, err = DecodePartial(strings.NewReader(noPrefix), 4096)
	require.NoError(t, err)
	require.Equal(t, req.Payload.Hash(), got.Payload.Hash())
}

func TestDecodeRefusals(t *testing.T) {
	good, _ := json.Marshal(PostPartialRequest{Payload: *samplePartial(), AggregateSignature: make(HexBytes, 128)})
	for _, tc := range []struct {
		name string
		body string
		code ErrorCode
	}{
		{"not json", "{", RequestFailed},
		{"trailing data", string(good) + "{}", RequestFailed},
		{"bad hex", strings.Replace(string(good), `"sp_hash":"0x03`, `"sp_hash":"0xzz`, 1), RequestFailed},
		{"short signature", strings.Replace(string(good), `"aggregate_signature":"0x00`, `"aggregate_signature":"0x`, 1), InvalidSignature},
		{"oversized", `{"payload":{},"x":"` + strings.Repeat("a", 5000) + `"}`, RequestFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodePartial(strings.NewReader(tc.body), 4096)
			require.ErrorIs(t, err, &Error{Code: tc.code})
		})
	}
	_, err := DecodePartial(strings.NewReader(`{"x":"`+strings.Repeat("a", 5000)+`"}`), 4096)
	require.True(t, errors.Is(err, ErrBodyTooLarge))
}

func TestAuthQuery(t *testing.T) {
	q := AuthQuery{LauncherID: Bytes32{9}, AuthenticationToken: 77, Signature: make([]byte, 64)}
	got, err := ParseAuthQuery(q.Values())
	require.NoError(t, err)
	require.Equal(t, q, *got)
	_, err = ParseAuthQuery(url.Values{"launcher_id": {"00"}})
	require.ErrorIs(t, err, &Error{Code: RequestFailed})
}
