package ado

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// Request is what an agent's requester key signs and sends to the ADO, as the payload of a
// compact JWS (EdDSA): one action, for one agent, at a recent chain height, with a fresh jti.
type Request struct {
	ChainID string `json:"chain_id"`
	Agent   uint64 `json:"agent"`
	// Action is the type URL of the message the credential is for.
	Action string `json:"action"`
	// Value is the coin the action moves ("100ugld"), or "".
	Value string `json:"value"`
	// Target is the provider (remove-provider), the recipient (withdraw), or "".
	Target string `json:"target"`
	// Height is the chain height the requester saw; the ADO wants it within a few blocks of its head.
	Height int64 `json:"height"`
	// JTI is a unique id; the ADO answers each at most once.
	JTI string `json:"jti"`
}

// Errors of request parsing; each answers a distinct HTTP error code.
var (
	ErrMalformed    = errors.New("malformed request")
	ErrBadSignature = errors.New("request signature does not verify against the agent's requester key")
)

// SignRequest signs r with an ed25519 key as a compact JWS (alg EdDSA).
func SignRequest(r Request, key ed25519.PrivateKey) (string, error) {
	return SignRequestWith(r, key)
}

// SignRequestWith signs r with any jose signer of an ed25519 key: an ed25519.PrivateKey, or a
// jose.OpaqueSigner over a keyring.
func SignRequestWith(r Request, key any) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// ParseRequest parses a compact JWS, refusing every algorithm but EdDSA (so "none", HS256 and
// the rest fail), and verifies it with the key keyOf returns for the agent the payload names
// (the agent's requester key on chain). The payload is read before verification only to find
// that key; nothing else in it is used until the signature verifies.
func ParseRequest(compact string, keyOf func(agent uint64) (ed25519.PublicKey, error)) (Request, error) {
	obj, err := jose.ParseSigned(compact, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return Request{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(obj.Signatures) != 1 {
		return Request{}, fmt.Errorf("%w: want one signature", ErrMalformed)
	}
	var unverified Request
	if err := json.Unmarshal(obj.UnsafePayloadWithoutVerification(), &unverified); err != nil {
		return Request{}, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if unverified.Agent == 0 {
		return Request{}, fmt.Errorf("%w: no agent", ErrMalformed)
	}
	key, err := keyOf(unverified.Agent)
	if err != nil {
		return Request{}, err
	}
	payload, err := obj.Verify(key)
	if err != nil {
		return Request{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	var r Request
	if err := json.Unmarshal(payload, &r); err != nil {
		return Request{}, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	if r.JTI == "" || len(r.JTI) > 128 || r.Action == "" || r.Height <= 0 {
		return Request{}, fmt.Errorf("%w: jti, action and height are required (jti at most 128 bytes)", ErrMalformed)
	}
	return r, nil
}
