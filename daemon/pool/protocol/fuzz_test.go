package protocol

import (
	"bytes"
	"encoding/json"
	"net/url"
	"testing"
)

// The decoders must never panic, and whatever they accept must re-encode to the same hash.

func FuzzDecodePartial(f *testing.F) {
	good, _ := json.Marshal(PostPartialRequest{Payload: *samplePartial(), AggregateSignature: make(HexBytes, 128)})
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"payload":{"proof_of_space":{"pool_public_key":"0x00"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodePartial(bytes.NewReader(body), 8192)
		if err != nil {
			return
		}
		raw, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodePartial(bytes.NewReader(raw), 1<<20)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", raw, err)
		}
		if again.Payload.Hash() != req.Payload.Hash() {
			t.Fatal("hash changed across a round trip")
		}
	})
}

func FuzzDecodePostFarmer(f *testing.F) {
	d := uint64(5)
	good, _ := json.Marshal(PostFarmerRequest{Payload: PostFarmerPayload{PayoutInstructions: "guild1x", SuggestedDifficulty: &d}, Signature: make(HexBytes, 64)})
	f.Add(good)
	f.Add([]byte(`{"payload":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodePostFarmer(bytes.NewReader(body), 8192)
		if err != nil {
			return
		}
		_ = req.Payload.Hash()
	})
}

func FuzzDecodePutFarmer(f *testing.F) {
	s := "guild1x"
	good, _ := json.Marshal(PutFarmerRequest{Payload: PutFarmerPayload{PayoutInstructions: &s}, Signature: make(HexBytes, 64)})
	f.Add(good)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodePutFarmer(bytes.NewReader(body), 8192)
		if err != nil {
			return
		}
		_ = req.Payload.Hash()
	})
}

func FuzzParseAuthQuery(f *testing.F) {
	f.Add("launcher_id=0x01&authentication_token=5&signature=00")
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		a, err := ParseAuthQuery(v)
		if err != nil {
			return
		}
		b, err := ParseAuthQuery(a.Values())
		if err != nil || b.AuthenticationToken != a.AuthenticationToken || b.LauncherID != a.LauncherID {
			t.Fatalf("round trip: %v", err)
		}
	})
}
