package protocol

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
)

// MaxProofBytes bounds a proof: 64 x values of k ≤ 50 bits are at most 400 bytes (Chia also
// refuses proofs of 2000 bytes or more).
const MaxProofBytes = 400

// ErrBodyTooLarge is returned when a body exceeds the decoder's limit.
var ErrBodyTooLarge = errors.New("request body too large")

// decode reads exactly one JSON value of at most limit bytes into v. Unknown fields are
// ignored, as pool-reference does (Chia's farmer sends authentication_token_v2 to v1 servers).
func decode(r io.Reader, limit int64, v any) error {
	body, err := ReadBody(r, limit)
	if err != nil {
		return err
	}
	return unmarshal(body, v)
}

// ReadBody reads a request body of at most limit bytes.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, Errorf(RequestFailed, "reading body: %v", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes: %w", ErrBodyTooLarge, limit, Errorf(RequestFailed, "body larger than %d bytes", limit))
	}
	return body, nil
}

func unmarshal(body []byte, v any) error {
	// Unmarshal, not a Decoder: it reads the body once without a copy, and refuses data after
	// the value.
	if err := json.Unmarshal(body, v); err != nil {
		return Errorf(RequestFailed, "malformed JSON: %v", err)
	}
	return nil
}

// DecodePartial reads and checks the shape of a POST /partial body.
func DecodePartial(r io.Reader, limit int64) (*PostPartialRequest, error) {
	body, err := ReadBody(r, limit)
	if err != nil {
		return nil, err
	}
	return DecodePartialBody(body)
}

// DecodePartialBody checks the shape of a POST /partial body that ReadBody read.
func DecodePartialBody(body []byte) (*PostPartialRequest, error) {
	var req PostPartialRequest
	if err := unmarshal(body, &req); err != nil {
		return nil, err
	}
	pos := &req.Payload.ProofOfSpace
	switch {
	case pos.PoolPublicKey != nil:
		return nil, Errorf(InvalidProof, "pool_public_key must be null: Guild plots farm to pool contracts")
	case len(pos.Proof) == 0 || len(pos.Proof) > MaxProofBytes:
		return nil, Errorf(InvalidProof, "proof must be 1…%d bytes, got %d", MaxProofBytes, len(pos.Proof))
	case len(req.AggregateSignature) != 2*SignatureSize:
		return nil, Errorf(InvalidSignature, "aggregate_signature must be %d bytes, got %d", 2*SignatureSize, len(req.AggregateSignature))
	}
	return &req, nil
}

// DecodePostFarmer reads and checks the shape of a POST /farmer body.
func DecodePostFarmer(r io.Reader, limit int64) (*PostFarmerRequest, error) {
	var req PostFarmerRequest
	if err := decode(r, limit, &req); err != nil {
		return nil, err
	}
	if len(req.Signature) != SignatureSize {
		return nil, Errorf(InvalidSignature, "signature must be %d bytes, got %d", SignatureSize, len(req.Signature))
	}
	return &req, nil
}

// DecodePutFarmer reads and checks the shape of a PUT /farmer body.
func DecodePutFarmer(r io.Reader, limit int64) (*PutFarmerRequest, error) {
	var req PutFarmerRequest
	if err := decode(r, limit, &req); err != nil {
		return nil, err
	}
	if len(req.Signature) != SignatureSize {
		return nil, Errorf(InvalidSignature, "signature must be %d bytes, got %d", SignatureSize, len(req.Signature))
	}
	return &req, nil
}

// AuthQuery is the query of GET /farmer and GET /login.
type AuthQuery struct {
	LauncherID          Bytes32
	AuthenticationToken uint64
	Signature           []byte
}

// ParseAuthQuery reads launcher_id, authentication_token and signature from a query string.
func ParseAuthQuery(q url.Values) (*AuthQuery, error) {
	lid, err := ParseBytes32(q.Get("launcher_id"))
	if err != nil {
		return nil, Errorf(RequestFailed, "launcher_id: %v", err)
	}
	tok, err := strconv.ParseUint(q.Get("authentication_token"), 10, 64)
	if err != nil {
		return nil, Errorf(InvalidAuthenticationToken, "authentication_token: %v", err)
	}
	sig, err := decodeHex(q.Get("signature"))
	if err != nil || len(sig) != SignatureSize {
		return nil, Errorf(InvalidSignature, "signature must be %d hex-encoded bytes", SignatureSize)
	}
	return &AuthQuery{LauncherID: lid, AuthenticationToken: tok, Signature: sig}, nil
}

// Values returns the query for a GET /farmer or GET /login request.
func (a *AuthQuery) Values() url.Values {
	v := url.Values{}
	v.Set("launcher_id", a.LauncherID.Hex())
	v.Set("authentication_token", strconv.FormatUint(a.AuthenticationToken, 10))
	v.Set("signature", HexBytes(a.Signature).String())
	return v
}
