package ado

import (
	"crypto/ed25519"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdked25519 "github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
)

// KeyringSigner signs with an ed25519 key held in an SDK keyring (internal/edkey), so the
// issuer key (and a requester key) never sits in a config file.
type KeyringSigner struct {
	kr   keyring.Keyring
	name string
	pub  ed25519.PublicKey
}

// NewKeyringSigner looks the key up and checks that it is ed25519.
func NewKeyringSigner(kr keyring.Keyring, name string) (*KeyringSigner, error) {
	rec, err := kr.Key(name)
	if err != nil {
		return nil, fmt.Errorf("keyring key %q: %w", name, err)
	}
	pk, err := rec.GetPubKey()
	if err != nil {
		return nil, err
	}
	if _, ok := pk.(*sdked25519.PubKey); !ok {
		return nil, fmt.Errorf("keyring key %q is %s, want ed25519 (guildd keys add %s --algo ed25519)", name, pk.Type(), name)
	}
	return &KeyringSigner{kr: kr, name: name, pub: ed25519.PublicKey(pk.Bytes())}, nil
}

// PublicKey implements Signer.
func (s *KeyringSigner) PublicKey() ed25519.PublicKey { return s.pub }

// Sign implements Signer: an ed25519 signature of hash.
func (s *KeyringSigner) Sign(hash []byte) ([]byte, error) {
	sig, _, err := s.kr.Sign(s.name, hash, signing.SignMode_SIGN_MODE_DIRECT)
	return sig, err
}

// Public implements jose.OpaqueSigner, so a keyring key signs JWS requests.
func (s *KeyringSigner) Public() *jose.JSONWebKey {
	return &jose.JSONWebKey{Key: s.pub, Algorithm: string(jose.EdDSA)}
}

// Algs implements jose.OpaqueSigner.
func (s *KeyringSigner) Algs() []jose.SignatureAlgorithm {
	return []jose.SignatureAlgorithm{jose.EdDSA}
}

// SignPayload implements jose.OpaqueSigner.
func (s *KeyringSigner) SignPayload(payload []byte, alg jose.SignatureAlgorithm) ([]byte, error) {
	if alg != jose.EdDSA {
		return nil, fmt.Errorf("algorithm %s: only EdDSA", alg)
	}
	return s.Sign(payload)
}

// FindKeyringSigner returns the keyring's ed25519 key whose public key is pub.
func FindKeyringSigner(kr keyring.Keyring, pub []byte) (*KeyringSigner, error) {
	recs, err := kr.List()
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		pk, err := rec.GetPubKey()
		if err != nil {
			continue
		}
		if _, ok := pk.(*sdked25519.PubKey); ok && string(pk.Bytes()) == string(pub) {
			return NewKeyringSigner(kr, rec.Name)
		}
	}
	return nil, fmt.Errorf("no ed25519 key in the keyring matches the agent's requester key %x", pub)
}
